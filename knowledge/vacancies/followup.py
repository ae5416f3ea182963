"""Questions about the vacancies just listed ("gajinya berapa?", "ada mess?", "daftarnya gimana?"),
answered from the same page of results instead of opening another topic."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy
from knowledge.language.text import fold
from knowledge.language.vocab import education_level
from knowledge.requests import ANYWHERE, mentioned_education, mentioned_items, regions_of, remembered_request
from knowledge.turns import Turn
from knowledge.vacancies.answer import salary_text
from knowledge.vacancies.search import VacancyHit, VacancyQuery, search_vacancies

FEATURE = "vacancy"
# What a follow-up asks about, first match wins (patterns over folded text).
TOPICS = (
    (
        "agency",
        re.compile(r"\b(lewat|lwt|via) (pt|agen\w*|perusahaan)\b|\b(pt|agen\w*|perusahaan\w*)\s?(nya )?(apa|siapa)\b"),
    ),
    (
        "quota",
        re.compile(
            r"\b(kuota\w*|formasi)\b|\b(butuh|perlu|dibutuhkan|cari|nyari)\w* (brp|berapa) (org|orang)\b|"
            r"\b(brp|berapa) (org|orang)\b"
        ),
    ),
    ("salary", re.compile(r"\b(gaji\w*|upah\w*|bayaran\w*|salary|penghasilan|digaji|dibayar|per ?bulan|sebulan)\b")),
    ("housing", re.compile(r"\b(mess|asrama|tempat tinggal|kos|kost|kosan|tidur|makan|akomodasi|tempat istirahat)\b")),
    (
        "requirements",
        re.compile(
            r"\b(syarat\w*|lulusan|pendidikan\w*|ijazah|pengalaman|minimal|umur|usia|"
            r"sd|smp|sma|smk|slta|sltp|d1|d2|d3|d4|s1|s2|paket [abc])\b"
        ),
    ),
    ("apply", re.compile(r"\b(daftar\w*|mendaftar|melamar|lamar\w*|apply|link\w*|tautan|kirim cv|cv|caranya)\b")),
    ("what", re.compile(r"\b(kerja\w* apa|apa kerja\w*|posisi\w*|bagian apa|jabatan\w*|kerjaannya)\b")),
    ("place", re.compile(r"\b(alamat\w*|lokasi\w*|kantor\w*|dimana|di mana|daerah mana)\b")),
)
# "PT nya resmi kan?" about the listed vacancies: a registry check of their agencies (done by the caller).
_LEGALITY = re.compile(r"\b(resmi\w*|legal|terdaftar|berizin|izin\w*|ijin\w*|aman|asli|penipu\w*)\b")


def topic_of(text: str) -> str | None:
    """Which detail of the listed vacancies a message asks about, or None."""
    folded = fold(text)
    return next((name for name, pattern in TOPICS if pattern.search(folded)), None)


def _hits(session: Session, turn: Turn) -> list[VacancyHit]:
    request = remembered_request(turn)
    asked_education = mentioned_education(turn) is not None
    regions = regions_of(request.location) if not request.country else ()
    if regions is None or not (request.job or request.country):
        return []
    query = VacancyQuery(
        job="" if request.job == ANYWHERE else request.job,
        regions=regions,
        # "adik sy lulusan SMA bisa?" asks about the listed vacancies; it does not filter them
        education_level=education_level(request.education) if request.education and not asked_education else None,
        country=request.country,
    )
    return list(search_vacancies(session, query, page=int(turn.slot("vacancy_page") or 0)).hits)


def _label(hit: VacancyHit) -> str:
    return " ".join([hit.title, hit.company, hit.place, hit.agency_name])


def listed_agencies(session: Session, turn: Turn) -> list[str]:
    """Licence numbers of the agencies of the overseas vacancies just listed, when the message asks whether
    they are licensed ("PT nya resmi kan?"); [] otherwise."""
    if not _LEGALITY.search(fold(turn.typed)):
        return []
    hits = _hits(session, turn)
    chosen = [hits[i] for i in mentioned_items([_label(h) for h in hits], turn.typed)]
    return list(dict.fromkeys(h.agency_license for h in chosen if h.agency_license))


def answer_about_list(session: Session, turn: Turn) -> Answer | None:
    """The asked detail of the vacancies just shown (those the message names, else all), or None when it is
    not such a question."""
    topic = topic_of(turn.typed)
    hits = _hits(session, turn) if topic else []
    if not hits:
        return None
    copy = load_copy(FEATURE)
    first = int(turn.slot("vacancy_page") or 0) * 5 + 1
    unknown = copy["about_unknown"]

    def value(hit: VacancyHit) -> str:
        if topic == "salary":
            return salary_text(hit.salary_min, hit.salary_max) or unknown
        if topic == "place":
            return hit.place
        if topic == "quota":
            return copy["about_quota_value"].format(n=hit.headcount) if hit.headcount else unknown
        if topic == "agency":
            if hit.agency_license:
                return copy["item_agency"].format(
                    agency=hit.agency_name or copy["unknown_agency"], license=hit.agency_license
                )
            return hit.company
        if topic == "what":
            return f"{hit.company}, {hit.place}"
        if topic == "requirements":
            parts = [copy["about_education"].format(value=hit.education or unknown)]
            parts += [copy["about_experience"].format(value=hit.experience)] if hit.experience else []
            parts += [copy["about_skills"].format(value=hit.skills)] if hit.skills else []
            return "; ".join(parts)
        return hit.url or ", ".join(hit.sources)

    picked = mentioned_items([_label(h) for h in hits], turn.typed)
    lines = [copy["about_item"].format(n=first + i, title=hits[i].title, value=value(hits[i])) for i in picked]
    return Answer("\n".join([copy[f"about_{topic}"], *lines]))
