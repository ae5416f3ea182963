"""Training search: by field and place; finished programmes never offered; upcoming before running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from knowledge.import_trainings import TRAINING_DATASET
from knowledge.models import Dataset, Training
from knowledge.places import place_label, scopes_for
from knowledge.regions import get_gazetteer
from knowledge.vacancy_terms import TAG_PREFIX, title_words
from knowledge.vocab import correct_words, occupation_tags

PAGE_SIZE = 5
CANDIDATE_LIMIT = 5000


@dataclass(frozen=True)
class TrainingQuery:
    """A field (as typed, may be empty) and a place (region codes; empty = anywhere)."""

    field: str = ""
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainingHit:
    """One programme as offered."""

    title: str
    provider: str
    place: str
    field: str
    start_date: date | None
    end_date: date | None
    fee: int
    quota: int | None
    url: str
    running: bool


@dataclass(frozen=True)
class TrainingResults:
    """One page of programmes."""

    query: TrainingQuery
    hits: tuple[TrainingHit, ...]
    total: int
    page: int
    has_more: bool
    is_demo: bool = False


def _matches(terms: set[str], tags: set[str], words: list[str]) -> bool:
    if tags:
        return bool(tags & terms)
    return all(w in terms for w in words)


def search_trainings(session: Session, query: TrainingQuery, *, page: int = 0, page_size: int = PAGE_SIZE,
                     today: date | None = None) -> TrainingResults:
    """Open programmes matching the field and place, upcoming (soonest first) before running ones."""
    today = today or date.today()
    corrected = correct_words(query.field) if query.field.strip() else ""
    tags = {TAG_PREFIX + t for t in occupation_tags(corrected)}
    words = sorted(title_words(corrected))
    stmt = select(Training).where(or_(Training.end_date.is_(None), Training.end_date >= today))
    if query.regions:
        gaz = get_gazetteer()
        scopes = scopes_for([gaz.get(code) for code in query.regions])
        codes = sorted(s for s in scopes if not s.startswith("P:"))
        provinces = sorted(s[2:] for s in scopes if s.startswith("P:"))
        stmt = stmt.where(or_(Training.region_code.in_(codes),
                              Training.region_code.is_(None) & Training.province_code.in_(provinces)))
    rows = [t for t in session.scalars(stmt.limit(CANDIDATE_LIMIT))
            if not corrected or _matches(set(t.search_terms.split()), tags, words)]

    def order(t: Training) -> tuple:
        running = bool(t.start_date and t.start_date <= today)
        return (running, t.start_date or date.max, t.fee, t.id)

    rows.sort(key=order)
    start = page * page_size
    hits = tuple(TrainingHit(
        title=t.title, provider=t.provider, place=place_label(t.region_code, t.province_code, t.city),
        field=t.field, start_date=t.start_date, end_date=t.end_date, fee=t.fee, quota=t.quota,
        url=t.registration_url, running=bool(t.start_date and t.start_date <= today),
    ) for t in rows[start:start + page_size])
    ds = session.get(Dataset, TRAINING_DATASET)
    return TrainingResults(query=query, hits=hits, total=len(rows), page=page,
                           has_more=start + page_size < len(rows), is_demo=bool(ds and ds.is_demo))
