"""Vacancy search: by job (words or occupation), place and education; never expired; overseas job
orders only through agencies active today; one result per vacancy however many sources list it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from knowledge.importing import VACANCY_DATASET, dataset_info
from knowledge.language.vocab import TAG_PREFIX, correct_words, occupation_tags, title_words
from knowledge.models import Agency, LicenseStatus, Vacancy, VacancyTerm, effective_status
from knowledge.places.gazetteer import get_gazetteer
from knowledge.places.scopes import OVERSEAS_PREFIX, overseas_scope, place_label, scopes_for

PAGE_SIZE = 5
CANDIDATE_LIMIT = 1000
TERM_FUZZY_CUTOFF = 85


@dataclass(frozen=True)
class VacancyQuery:
    """What the user asked for; empty `regions` means anywhere (domestic unless `country` is set)."""

    job: str = ""
    regions: tuple[str, ...] = ()
    education_level: int | None = None
    country: str | None = None


@dataclass(frozen=True)
class VacancyHit:
    """One vacancy as offered, with every source that lists it."""

    title: str
    company: str
    place: str
    salary_min: int | None
    salary_max: int | None
    expires_at: date | None
    sources: tuple[str, ...]
    url: str
    education: str
    country: str = ""
    agency_name: str = ""
    agency_license: str = ""
    headcount: int | None = None
    experience: str = ""
    skills: str = ""


@dataclass(frozen=True)
class HiddenOrder:
    """An overseas job order that is NOT offered, and why (its agency's status, or unknown)."""

    title: str
    company: str
    agency_license: str
    agency_name: str
    reason: str  # LicenseStatus value, "tidak_terdaftar" or "tanpa_izin"


@dataclass(frozen=True)
class VacancyResults:
    """One page of results."""

    query: VacancyQuery
    hits: tuple[VacancyHit, ...]
    total: int
    page: int
    has_more: bool
    hidden: tuple[HiddenOrder, ...] = ()
    is_demo: bool = False
    known_job: bool = True
    more_than_total: bool = False  # the search stopped at CANDIDATE_LIMIT: `total` is a lower bound


@dataclass
class _Vocabulary:
    version: int
    words: list[str] = field(default_factory=list)


_vocab_lock = threading.Lock()
_vocabularies: dict[str, _Vocabulary] = {}


def _term_vocabulary(session: Session) -> list[str]:
    """Distinct title words of all vacancies (cached until the next import)."""
    version = dataset_info(session, VACANCY_DATASET).version
    key = str(session.get_bind().engine.url)
    cached = _vocabularies.get(key)
    if cached and cached.version == version:
        return cached.words
    with _vocab_lock:
        words = [t for t in session.scalars(select(VacancyTerm.term).distinct()) if not t.startswith(TAG_PREFIX)]
        _vocabularies[key] = _Vocabulary(version=version, words=sorted(words))
        return _vocabularies[key].words


def job_terms(session: Session, job: str) -> tuple[list[str], list[str]]:
    """(terms to fetch candidates by - any of them, words a title should contain - for ranking)."""
    corrected = correct_words(job)
    tags = occupation_tags(corrected)
    words = sorted(title_words(corrected))
    if tags:
        return [TAG_PREFIX + t for t in sorted(tags)], words
    vocabulary = _term_vocabulary(session)
    known = set(vocabulary)
    fixed = []
    for w in words:
        if w in known or len(w) < 4:
            fixed.append(w)
            continue
        hit = process.extractOne(w, vocabulary, scorer=fuzz.ratio, score_cutoff=TERM_FUZZY_CUTOFF)
        fixed.append(hit[0] if hit else w)
    return fixed, fixed


def _scopes(query: VacancyQuery) -> set[str] | None:
    if query.country:
        return {overseas_scope(query.country)}
    if not query.regions:
        return None
    gaz = get_gazetteer()
    return scopes_for([gaz.get(code) for code in query.regions])


# The few columns ranking and grouping need; full rows are read only for the page shown.
_LIGHT = (
    Vacancy.id,
    Vacancy.title,
    Vacancy.company,
    Vacancy.group_key,
    Vacancy.posted_at,
    Vacancy.education_level,
    Vacancy.country,
    Vacancy.agency_license,
    Vacancy.agency_license_norm,
    Vacancy.source,
)


def _candidates(session: Session, query: VacancyQuery, terms: list[str], today: date) -> list:
    """Light rows of matching, open vacancies, newest first (at most CANDIDATE_LIMIT)."""
    scopes = _scopes(query)
    if not terms:  # any job: by place only
        stmt = select(*_LIGHT).where(or_(Vacancy.expires_at.is_(None), Vacancy.expires_at >= today))
        if query.country:
            stmt = stmt.where(Vacancy.country == query.country)
        elif scopes is not None:
            stmt = stmt.where(Vacancy.region_code.in_(sorted(s for s in scopes if not s.startswith("P:"))))
        else:
            stmt = stmt.where(Vacancy.country == "")
        return list(session.execute(stmt.order_by(Vacancy.posted_at.desc()).limit(CANDIDATE_LIMIT)))
    # Tags: any of them. Words: fetch by the first and check the others while ranking.
    drive = terms if terms[0].startswith(TAG_PREFIX) else terms[:1]
    stmt = (
        select(*_LIGHT)
        .join(VacancyTerm, VacancyTerm.vacancy_id == Vacancy.id)
        .where(VacancyTerm.term.in_(drive), VacancyTerm.expires_at >= today)
    )
    if scopes is not None:
        stmt = stmt.where(VacancyTerm.scope.in_(sorted(scopes)))
    else:
        stmt = stmt.where(VacancyTerm.scope.not_like(f"{OVERSEAS_PREFIX}%"))
    rows = session.execute(stmt.order_by(VacancyTerm.posted_at.desc()).limit(CANDIDATE_LIMIT))
    return list({row.id: row for row in rows}.values())


def _agency_status(session: Session, licence_norms: set[str], today: date) -> dict[str, tuple[str, LicenseStatus]]:
    if not licence_norms:
        return {}
    rows = session.execute(
        select(Agency.license_norm, Agency.name, Agency.status, Agency.valid_until).where(
            Agency.license_norm.in_(licence_norms)
        )
    )
    return {norm: (name, effective_status(status, until, today)) for norm, name, status, until in rows}


def _rank(vacancy, words: list[str]) -> tuple:
    title = set(title_words(vacancy.title))
    matched = sum(1 for w in words if w in title)
    return (-matched, -(vacancy.posted_at or date.min).toordinal(), vacancy.id)


def search_vacancies(
    session: Session, query: VacancyQuery, *, page: int = 0, page_size: int = PAGE_SIZE, today: date | None = None
) -> VacancyResults:
    """One page of matching vacancies, best first (see module docstring)."""
    today = today or date.today()
    terms, words = job_terms(session, query.job) if query.job.strip() else ([], [])
    rows = _candidates(session, query, terms, today)
    capped = len(rows) >= CANDIDATE_LIMIT
    must = [w for w in words if not terms or not terms[0].startswith(TAG_PREFIX)]
    rows = [v for v in rows if all(w in title_words(v.title) for w in must)]
    if query.education_level is not None:
        rows = [v for v in rows if not v.education_level or v.education_level <= query.education_level]
    licences = _agency_status(session, {v.agency_license_norm for v in rows if v.country}, today)
    offered, hidden = [], []
    for v in rows:
        if not v.country:
            offered.append(v)
            continue
        name, status = licences.get(v.agency_license_norm, ("", None))
        if status is LicenseStatus.AKTIF:
            offered.append(v)
        else:
            reason = status.value if status else ("tidak_terdaftar" if v.agency_license_norm else "tanpa_izin")
            hidden.append(HiddenOrder(v.title, v.company, v.agency_license, name, reason))
    offered.sort(key=lambda v: _rank(v, words))
    groups: dict[str, list] = {}
    for v in offered:
        groups.setdefault(v.group_key, []).append(v)
    ordered = list(groups.values())
    start = page * page_size
    page_groups = ordered[start : start + page_size]
    full = (
        {v.id: v for v in session.scalars(select(Vacancy).where(Vacancy.id.in_([m[0].id for m in page_groups])))}
        if page_groups
        else {}
    )
    hits = tuple(_hit(full[members[0].id], members, licences) for members in page_groups)
    return VacancyResults(
        query=query,
        hits=hits,
        total=len(ordered),
        page=page,
        has_more=start + page_size < len(ordered),
        hidden=tuple(hidden),
        is_demo=dataset_info(session, VACANCY_DATASET).is_demo,
        known_job=bool(terms) or not query.job.strip(),
        more_than_total=capped,
    )


def _hit(v: Vacancy, members: list, licences: dict[str, tuple[str, LicenseStatus]]) -> VacancyHit:
    return VacancyHit(
        title=v.title,
        company=v.company,
        place=v.country or place_label(v.region_code, v.province_code, v.city),
        salary_min=v.salary_min,
        salary_max=v.salary_max,
        expires_at=v.expires_at,
        sources=tuple(dict.fromkeys(m.source for m in members)),
        url=v.url,
        education=v.education,
        country=v.country,
        agency_name=licences.get(v.agency_license_norm, ("", None))[0],
        agency_license=v.agency_license,
        headcount=v.headcount,
        experience=v.experience or "",
        skills=v.skills or "",
    )


def count_elsewhere_in_province(session: Session, query: VacancyQuery, *, today: date | None = None) -> tuple[str, int]:
    """(province code, how many matching vacancies) in the rest of the searched place's province."""
    if not query.regions or query.country:
        return "", 0
    gaz = get_gazetteer()
    provinces = {gaz.get(code).province_code for code in query.regions}
    if len(provinces) != 1:
        return "", 0
    province = provinces.pop()
    wider = VacancyQuery(job=query.job, regions=(province,), education_level=query.education_level)
    results = search_vacancies(session, wider, page=0, page_size=1, today=today)
    return province, results.total


def vacancy_count(session: Session) -> int:
    """How many vacancies are stored (for 'the database is empty' answers)."""
    return session.scalar(select(func.count()).select_from(Vacancy)) or 0
