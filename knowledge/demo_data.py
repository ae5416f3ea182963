"""The fictional demo data set (knowledge/demo/), loaded only into an empty database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.import_agencies import import_agencies
from knowledge.importing import ImportSummary
from knowledge.models import Agency

DEMO_DIR = Path(__file__).parent / "demo"


def load_demo_if_empty(session: Session) -> dict[str, ImportSummary]:
    """Load each demo data set whose table is empty; returns what was loaded, by data set name."""
    loaded: dict[str, ImportSummary] = {}
    if not session.scalar(select(func.count()).select_from(Agency)):
        loaded["agencies"] = import_agencies(session, DEMO_DIR / "agencies.csv", demo=True)
    return loaded
