"""`tanyakerja import vacancies`: load a vacancy feed into the integrated vacancy database.

Idempotent on (source, source_id); one transaction; every bad line reported. Places are resolved to
the region gazetteer; what cannot be resolved is kept as written and counted. The same vacancy arriving
from several sources (employer, title and place spelled differently) gets one `group_key`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from knowledge.importing import ImportSummary, RowError, collect, optional, parse_date, require
from knowledge.models import Dataset, Vacancy, VacancyTerm, utcnow
from knowledge.places import Place, overseas_scope, resolve_place
from knowledge.text import fold, normalize_license, normalize_name
from knowledge.vacancy_feed import CANONICAL_MAPPING, DATE_FIELDS, Mapping, load_mapping, read_feed
from knowledge.vacancy_terms import NO_END, NO_START, VACANCY_DATASET, terms_for
from knowledge.vocab import education_level, normalize_country

# Two titles of one employer at one place this similar (token set) are the same vacancy.
SAME_TITLE_CUTOFF = 90
# Words that say nothing about the job itself ("Dibutuhkan Segera: Welder") in a group key.
_TITLE_NOISE = {"lowongan", "loker", "dibutuhkan", "segera", "urgent", "dicari", "hiring", "kerja", "pekerjaan",
                "staf", "staff", "karyawan", "tenaga", "posisi", "bagian", "untuk", "di", "yang"}
_SALARY_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(jt|juta|rb|ribu|k)$")
# Rows per insert batch (and per id lookup: stays under SQLite's bound-parameter limit).
_BATCH = 900


@dataclass(frozen=True)
class VacancyRow:
    """One validated vacancy record, ready to store."""

    source: str
    source_id: str
    title: str
    company: str
    headcount: int | None
    city: str
    province: str
    region_code: str | None
    province_code: str | None
    sector: str
    education: str
    education_level: int | None
    skills: str
    experience: str
    salary_min: int | None
    salary_max: int | None
    posted_at: date | None
    expires_at: date | None
    country: str
    agency_license: str
    agency_license_norm: str
    url: str
    description: str

    def values(self) -> dict:
        """The fields as a new dict (shallow: every field is immutable)."""
        return dict(self.__dict__)

    def content_hash(self) -> str:
        """Fingerprint of everything the source said (to tell 'updated' from 'unchanged')."""
        return hashlib.sha256(repr(sorted(self.__dict__.items())).encode()).hexdigest()


def parse_money(value: str, column: str) -> int | None:
    """'4.500.000', 'Rp 4,500,000', '4,5 jt', '4500k' -> rupiah; '' -> None."""
    text = fold(value).replace("rp", "").replace(" ", "") if value.strip() else ""
    if not text:
        return None
    raw = value.lower().replace("rp", "").strip()
    unit = _SALARY_UNIT.match(raw.replace(" ", ""))
    if unit:
        number = float(unit.group(1).replace(",", "."))
        amount = int(number * (1_000_000 if unit.group(2) in ("jt", "juta") else 1_000))
    else:
        digits = raw.replace(".", "").replace(",", "").replace(" ", "")
        if not digits.isdigit():
            raise RowError(f"{column} '{value[:30]}' is not an amount in rupiah")
        amount = int(digits)
    if amount > 10_000_000_000:
        raise RowError(f"{column} '{value[:30]}' is not a plausible amount")
    return amount


def _headcount(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise RowError(f"headcount '{value[:20]}' is not a whole number")
    return int(value)


def parse_vacancy_row(row: dict[str, str], date_format: str = "%Y-%m-%d") -> VacancyRow:
    """Validate one canonical row (RowError says what is wrong)."""
    source = require(row, "source", max_len=80)
    dates = {f: parse_date(row.get(f, ""), f, date_format) for f in DATE_FIELDS}
    if dates["posted_at"] and dates["expires_at"] and dates["expires_at"] < dates["posted_at"]:
        raise RowError("expires_at is before posted_at")
    salary_min = parse_money(row.get("salary_min", ""), "salary_min")
    salary_max = parse_money(row.get("salary_max", ""), "salary_max")
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise RowError("salary_min is larger than salary_max")
    url = optional(row, "url", 1000)
    if url and not url.lower().startswith(("http://", "https://")):
        raise RowError("url must start with http:// or https://")
    country_raw = optional(row, "country", 80)
    country = (normalize_country(country_raw) or country_raw.title()) if country_raw else ""
    agency_license = optional(row, "agency_license", 120)
    city, province = optional(row, "city", 120), optional(row, "province", 120)
    place = resolve_place(city, province) if not country else resolve_place("", "")
    education = optional(row, "education", 200)
    return VacancyRow(
        source=source, source_id=require(row, "source_id", max_len=200), title=require(row, "title"),
        company=require(row, "company"), headcount=_headcount(row.get("headcount", "")), city=city,
        province=province, region_code=place.region_code, province_code=place.province_code,
        sector=optional(row, "sector", 200), education=education,
        education_level=education_level(education) if education else None,
        skills=optional(row, "skills", 2000), experience=optional(row, "experience", 200),
        salary_min=salary_min, salary_max=salary_max, posted_at=dates["posted_at"], expires_at=dates["expires_at"],
        country=country, agency_license=agency_license, agency_license_norm=normalize_license(agency_license),
        url=url, description=optional(row, "description"),
    )


def title_key(title: str) -> str:
    """A job title without the noise around it, for recognising one vacancy across sources."""
    return " ".join(w for w in fold(title).split() if w not in _TITLE_NOISE) or fold(title)


def place_key(row: VacancyRow) -> str:
    """Where, for recognising one vacancy across sources."""
    if row.country:
        return f"LN:{fold(row.country)}"
    return row.region_code or (f"P:{row.province_code}:{fold(row.city)}" if row.province_code else fold(row.city))


class _Groups:
    """Group keys by (employer, place), so a title spelled differently still finds its group."""

    def __init__(self) -> None:
        self._by_place: dict[str, list[tuple[str, str]]] = {}

    def add(self, group_key: str) -> None:
        employer_place, _, title = group_key.rpartition("|")
        self._by_place.setdefault(employer_place, []).append((title, group_key))

    def key_for(self, row: VacancyRow) -> str:
        employer_place = f"{normalize_name(row.company)}|{place_key(row)}"
        title = title_key(row.title)
        for known_title, key in self._by_place.get(employer_place, ()):
            if known_title == title or fuzz.token_set_ratio(known_title, title) >= SAME_TITLE_CUTOFF:
                return key
        key = f"{employer_place}|{title}"
        self._by_place.setdefault(employer_place, []).append((title, key))
        return key


def import_vacancies(session: Session, path: Path, *, mapping_path: Path | None = None, skip_invalid: bool = False,
                     demo: bool = False) -> ImportSummary:
    """Validate the whole feed, then upsert it in the caller's transaction (see module docstring)."""
    mapping = load_mapping(mapping_path) if mapping_path else CANONICAL_MAPPING
    summary = ImportSummary()
    parsed = collect(read_feed(path, mapping), lambda r: parse_vacancy_row(r, mapping.date_format),
                     skip_invalid=skip_invalid, summary=summary)
    rows = _last_per_id(parsed, summary)
    if not demo:
        removed = session.execute(delete(Vacancy).where(Vacancy.is_demo.is_(True))).rowcount
        if removed:
            session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id.not_in(select(Vacancy.id))))
            summary.notes.append(f"demo vacancies removed ({removed} rows)")
    _store(session, rows, summary, demo=demo)
    unresolved = sum(1 for r in rows if not r.country and r.region_code is None)
    summary.notes.append(f"places not resolved (kept as written): {unresolved}")
    dataset = session.get(Dataset, VACANCY_DATASET) or Dataset(name=VACANCY_DATASET, version=0)
    session.add(dataset)
    dataset.version = (dataset.version or 0) + 1
    dataset.is_demo = demo and (not dataset.row_count or dataset.is_demo)
    dataset.as_of = date.today()
    dataset.source_file = path.name[:500]
    dataset.imported_at = utcnow()
    session.flush()
    # Fresh planner statistics: without them SQLite walks a whole term in date order instead of using
    # the (term, place) index, ~15x slower on a million vacancies.
    session.execute(text("ANALYZE vacancy_terms"))
    session.execute(text("ANALYZE vacancies"))
    return summary


def _last_per_id(parsed: list[tuple[int, object]], summary: ImportSummary) -> list[VacancyRow]:
    """A feed may repeat a record (a later line updates an earlier one); the last one counts."""
    latest: dict[tuple[str, str], VacancyRow] = {}
    for _, row in parsed:
        assert isinstance(row, VacancyRow)
        key = (row.source, row.source_id)
        if key in latest:
            summary.notes.append(f"repeated id {row.source}/{row.source_id}: last line kept")
        latest[key] = row
    return list(latest.values())


def _store(session: Session, rows: list[VacancyRow], summary: ImportSummary, *, demo: bool) -> None:
    now = utcnow()
    sources = sorted({r.source for r in rows})
    existing: dict[tuple[str, str], tuple[int, str, str]] = {}
    groups = _Groups()
    for vid, source, source_id, chash, gkey in session.execute(
            select(Vacancy.id, Vacancy.source, Vacancy.source_id, Vacancy.content_hash, Vacancy.group_key)):
        groups.add(gkey)
        if source in sources:
            existing[(source, source_id)] = (vid, chash, gkey)
    group_sources = _group_sources(session)
    new_rows: list[tuple[dict, set[str]]] = []
    changed: list[tuple[int, dict, set[str]]] = []
    seen_ids: list[int] = []
    duplicates = 0
    for row in rows:
        values = row.values()
        chash = row.content_hash()
        current = existing.get((row.source, row.source_id))
        if current and current[1] == chash:
            summary.unchanged += 1
            seen_ids.append(current[0])
            continue
        gkey = groups.key_for(row)
        if group_sources.get(gkey, {row.source}) - {row.source}:
            duplicates += 1
        group_sources.setdefault(gkey, set()).add(row.source)
        values.update(group_key=gkey, content_hash=chash, last_seen=now, is_demo=demo)
        if current:
            changed.append((current[0], values, terms_for(row)))
        else:
            values["first_seen"] = now
            new_rows.append((values, terms_for(row)))
    _insert(session, new_rows)
    _update(session, changed)
    for start in range(0, len(seen_ids), 900):
        session.execute(update(Vacancy).where(Vacancy.id.in_(seen_ids[start:start + 900])).values(last_seen=now))
    summary.added += len(new_rows)
    summary.updated += len(changed)
    summary.notes.append(f"same vacancy already from another source: {duplicates}")


def _group_sources(session: Session) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for gkey, source in session.execute(select(Vacancy.group_key, Vacancy.source).distinct()):
        out.setdefault(gkey, set()).add(source)
    return out


def _term_rows(vacancy_id: int, values: dict, terms: set[str]) -> list[dict]:
    scope = _scope(values)
    expires = values["expires_at"] or NO_END
    posted = values["posted_at"] or NO_START
    return [{"term": t, "vacancy_id": vacancy_id, "scope": scope, "expires_at": expires, "posted_at": posted}
            for t in terms]


def _scope(values: dict) -> str:
    if values["country"]:
        return overseas_scope(values["country"])
    return Place(values["region_code"], values["province_code"]).scope


def _insert(session: Session, new_rows: list[tuple[dict, set[str]]]) -> None:
    """Plain executemany inserts (fast on every database), then the new ids looked up by source id."""
    for start in range(0, len(new_rows), _BATCH):
        batch = new_rows[start:start + _BATCH]
        session.execute(insert(Vacancy.__table__), [values for values, _ in batch])  # Core: no ORM overhead
        ids: dict[tuple[str, str], int] = {}
        for source in {values["source"] for values, _ in batch}:
            wanted = [values["source_id"] for values, _ in batch if values["source"] == source]
            ids.update(((source, sid), vid) for vid, sid in session.execute(
                select(Vacancy.id, Vacancy.source_id).where(Vacancy.source == source, Vacancy.source_id.in_(wanted))))
        term_rows = [t for values, terms in batch
                     for t in _term_rows(ids[(values["source"], values["source_id"])], values, terms)]
        if term_rows:
            session.execute(insert(VacancyTerm.__table__), term_rows)


def _update(session: Session, changed: list[tuple[int, dict, set[str]]]) -> None:
    if not changed:
        return
    ids = [vid for vid, _, _ in changed]
    for start in range(0, len(ids), 900):
        session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id.in_(ids[start:start + 900])))
    session.execute(update(Vacancy), [{"id": vid, **values} for vid, values, _ in changed])
    term_rows = [t for vid, values, terms in changed for t in _term_rows(vid, values, terms)]
    for start in range(0, len(term_rows), _BATCH):
        session.execute(insert(VacancyTerm.__table__), term_rows[start:start + _BATCH])
