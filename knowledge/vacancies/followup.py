"""Questions about the vacancies just listed ("gajinya berapa?", "ada mess?", "daftarnya gimana?"),
answered from the same page of results instead of opening another topic."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy
from knowledge.language.text import fold
from knowledge.requests import ANYWHERE, regions_of, remembered_request
from knowledge.turns import Turn
from knowledge.vacancies.answer import salary_text
from knowledge.vacancies.search import VacancyHit, VacancyQuery, search_vacancies

FEATURE = "vacancy"
TOPICS = (
    ("salary", re.compile(r"\b(gaji\w*|upah\w*|bayaran\w*|salary|penghasilan|digaji)\b")),
    ("housing", re.compile(r"\b(mess|asrama|tempat tinggal|kos|kost|kosan|tidur|makan|akomodasi|tempat istirahat)\b")),
    ("apply", re.compile(r"\b(daftar\w*|mendaftar|melamar|lamar\w*|apply|syarat\w*|link\w*|tautan|kirim cv|cv)\b")),
    ("place", re.compile(r"\b(alamat\w*|lokasi\w*|kantor\w*|dimana|di mana|daerah mana)\b")),
)


def topic_of(text: str) -> str | None:
    """Which detail of the listed vacancies a message asks about, or None."""
    folded = fold(text)
    return next((name for name, pattern in TOPICS if pattern.search(folded)), None)


def _hits(session: Session, turn: Turn) -> list[VacancyHit]:
    request = remembered_request(turn)
    regions = regions_of(request.location) if not request.country else ()
    if regions is None or not (request.job or request.country):
        return []
    query = VacancyQuery(job="" if request.job == ANYWHERE else request.job, regions=regions, country=request.country)
    return list(search_vacancies(session, query, page=int(turn.slot("vacancy_page") or 0)).hits)


def answer_about_list(session: Session, turn: Turn) -> Answer | None:
    """The asked detail of each vacancy on the page just shown, or None when it is not such a question."""
    topic = topic_of(turn.typed)
    hits = _hits(session, turn) if topic else []
    if not hits:
        return None
    copy = load_copy(FEATURE)
    first = int(turn.slot("vacancy_page") or 0) * 5 + 1

    def value(hit: VacancyHit) -> str:
        if topic == "salary":
            return salary_text(hit.salary_min, hit.salary_max) or copy["about_unknown"]
        if topic == "place":
            return hit.place
        return hit.url or ", ".join(hit.sources)

    lines = [copy["about_item"].format(n=first + i, title=hit.title, value=value(hit)) for i, hit in enumerate(hits)]
    return Answer("\n".join([copy[f"about_{topic}"], *lines]))
