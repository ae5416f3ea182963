"""Where actions get their database sessions; tests replace the factory."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import session_factory

_factory: sessionmaker[Session] | None = None


def get_session_factory() -> sessionmaker[Session]:
    """The session factory for the configured DATABASE_URL, built on first use."""
    global _factory
    if _factory is None:
        _factory = session_factory()
    return _factory


def set_session_factory(factory: sessionmaker[Session] | None) -> None:
    """Replace the factory (tests pass one bound to their own database)."""
    global _factory
    _factory = factory
