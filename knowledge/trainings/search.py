"""Training search: by field and place; finished programmes never offered; upcoming before running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.orm import Session

from knowledge.importing import TRAINING_DATASET, dataset_info
from knowledge.language.vocab import TAG_PREFIX, correct_words, occupation_tags, title_words
from knowledge.models import Training
from knowledge.places.gazetteer import get_gazetteer
from knowledge.places.scopes import place_label, scopes_for

PAGE_SIZE = 5


@dataclass(frozen=True)
class TrainingQuery:
    """A field (as typed, may be empty) and a place (region codes; empty = anywhere)."""

    field: str = ""
    regions: tuple[str, ...] = ()
    free_only: bool = False  # "ada pelatihan gratis?"


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


def _term_filter(term: str) -> ColumnElement[bool]:
    """Programmes whose space-separated search terms include this term (terms are folded words or @tags)."""
    return (literal(" ") + Training.search_terms + literal(" ")).like(f"% {term} %")


def _filters(query: TrainingQuery, today: date) -> list[ColumnElement[bool]]:
    """WHERE conditions: still open, in the place, and in the field (any occupation tag, else every word)."""
    conditions = [or_(Training.end_date.is_(None), Training.end_date >= today)]
    if query.free_only:
        conditions.append(Training.fee == 0)
    if query.regions:
        gaz = get_gazetteer()
        scopes = scopes_for([gaz.get(code) for code in query.regions])
        codes = sorted(s for s in scopes if not s.startswith("P:"))
        provinces = sorted(s[2:] for s in scopes if s.startswith("P:"))
        conditions.append(
            or_(Training.region_code.in_(codes), Training.region_code.is_(None) & Training.province_code.in_(provinces))
        )
    corrected = correct_words(query.field) if query.field.strip() else ""
    tags = sorted(TAG_PREFIX + t for t in occupation_tags(corrected))
    if tags:
        conditions.append(or_(*(_term_filter(t) for t in tags)))
    else:
        conditions += [_term_filter(w) for w in sorted(title_words(corrected))]
    return conditions


def search_trainings(
    session: Session, query: TrainingQuery, *, page: int = 0, page_size: int = PAGE_SIZE, today: date | None = None
) -> TrainingResults:
    """Open programmes matching the field and place, upcoming (soonest first) before running ones.

    Filtering, counting and ordering happen in SQL, so every match counts however many programmes exist.
    """
    today = today or date.today()
    conditions = _filters(query, today)
    total = session.scalar(select(func.count()).select_from(Training).where(*conditions)) or 0
    running = case((Training.start_date <= today, 1), else_=0)
    start = page * page_size
    rows = session.scalars(
        select(Training)
        .where(*conditions)
        .order_by(running, Training.start_date.is_(None), Training.start_date, Training.fee, Training.id)
        .offset(start)
        .limit(page_size)
    )
    hits = tuple(
        TrainingHit(
            title=t.title,
            provider=t.provider,
            place=place_label(t.region_code, t.province_code, t.city),
            field=t.field,
            start_date=t.start_date,
            end_date=t.end_date,
            fee=t.fee,
            quota=t.quota,
            url=t.registration_url,
            running=bool(t.start_date and t.start_date <= today),
        )
        for t in rows
    )
    return TrainingResults(
        query=query,
        hits=hits,
        total=total,
        page=page,
        has_more=start + page_size < total,
        is_demo=dataset_info(session, TRAINING_DATASET).is_demo,
    )
