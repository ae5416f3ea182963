"""The fictional demo data set (knowledge/demo/), loaded only into tables that are empty.

Demo dates are written relative to DEMO_REFERENCE_DATE and moved forward to the loading day, so the
demo never shows only closed vacancies or expired licences that were meant to be current.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge.importing import ImportSummary
from knowledge.models import Agency, Training, Vacancy, VacancyTerm
from knowledge.registry.importer import import_agencies
from knowledge.trainings.importer import import_trainings
from knowledge.vacancies.importer import import_vacancies
from knowledge.vacancies.terms import NO_END, NO_START

DEMO_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "demo"
DEMO_REFERENCE_DATE = date(2026, 11, 24)
VACANCY_FEEDS = (
    ("vacancies.csv", None),
    ("feeds/bursakerja-kepri.csv", "feeds/bursakerja-kepri.mapping.yml"),
    ("feeds/disnaker-jatim.jsonl", "feeds/disnaker-jatim.mapping.yml"),
)


def _empty(session: Session, model: type) -> bool:
    return not session.scalar(select(func.count()).select_from(model))


def load_demo_if_empty(session: Session, *, today: date | None = None) -> dict[str, ImportSummary]:
    """Load each demo data set whose table is empty; returns what was loaded, by data set name."""
    shift = (today or date.today()) - DEMO_REFERENCE_DATE
    loaded: dict[str, ImportSummary] = {}
    if _empty(session, Agency):
        loaded["agencies"] = import_agencies(session, DEMO_DIR / "agencies.csv", demo=True)
        _shift_agencies(session, shift)
    if _empty(session, Vacancy):
        for feed, mapping in VACANCY_FEEDS:
            loaded[f"vacancies {Path(feed).name}"] = import_vacancies(
                session, DEMO_DIR / feed, mapping_path=DEMO_DIR / mapping if mapping else None, demo=True
            )
        _shift_vacancies(session, shift)
    if _empty(session, Training):
        loaded["trainings"] = import_trainings(session, DEMO_DIR / "trainings.csv", demo=True)
        for training in session.scalars(select(Training).where(Training.is_demo.is_(True))):
            training.start_date = _moved(training.start_date, shift)
            training.end_date = _moved(training.end_date, shift)
    return loaded


def _moved(value: date | None, shift: timedelta) -> date | None:
    if value is None or value in (NO_END, NO_START):
        return value
    return value + shift


def _shift_agencies(session: Session, shift: timedelta) -> None:
    if not shift:
        return
    for agency in session.scalars(select(Agency).where(Agency.valid_until.is_not(None))):
        agency.valid_until = _moved(agency.valid_until, shift)


def _shift_vacancies(session: Session, shift: timedelta) -> None:
    if not shift:
        return
    for vacancy in session.scalars(select(Vacancy).where(Vacancy.is_demo.is_(True))):
        vacancy.posted_at = _moved(vacancy.posted_at, shift)
        vacancy.expires_at = _moved(vacancy.expires_at, shift)
        session.execute(
            update(VacancyTerm)
            .where(VacancyTerm.vacancy_id == vacancy.id)
            .values(posted_at=vacancy.posted_at or NO_START, expires_at=vacancy.expires_at or NO_END)
        )
