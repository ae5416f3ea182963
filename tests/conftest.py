"""Shared fixtures: a fresh, migrated SQLite database per test, filled from CSV text written in the test."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from actions.base import set_session_factory
from knowledge.db import make_engine, session_scope
from knowledge.migrations import upgrade_to_head
from knowledge.registry.importer import import_agencies
from tanyakerja.demo import load_demo_if_empty
from tests.factories import UJI_REGISTRY
from tests.support.pgtemp import find_pg_bin, temporary_postgres


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt's cost protects real passwords; tests hash with the minimum so a staff account costs milliseconds."""
    monkeypatch.setattr("helpdesk.accounts.BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema revision, made once (Alembic) and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()
    return path


@pytest.fixture
def db(tmp_path: Path, migrated_template: Path) -> Iterator[sessionmaker[Session]]:
    """An empty application database (schema only) in a fresh SQLite file."""
    path = tmp_path / "app.db"
    shutil.copy(migrated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def uji_csv() -> str:
    """The small fictional registry of tests/factories.py, as CSV text."""
    return UJI_REGISTRY


@pytest.fixture
def load_registry(db: sessionmaker[Session], tmp_path: Path) -> Callable[..., sessionmaker[Session]]:
    """Import CSV text as the registry (as of 2026-11-01) and return the session factory."""

    def load(csv_text: str = UJI_REGISTRY, *, as_of: date = date(2026, 11, 1)) -> sessionmaker[Session]:
        path = tmp_path / "agencies.csv"
        path.write_text(csv_text, encoding="utf-8")
        with session_scope(db) as session:
            import_agencies(session, path, as_of=as_of)
        return db

    return load


@pytest.fixture
def wired(db: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """The test database wired into the actions' session factory."""
    set_session_factory(db)
    yield db
    set_session_factory(None)


@pytest.fixture
def actions_db(load_registry: Callable[..., sessionmaker[Session]]) -> Iterator[sessionmaker[Session]]:
    """The Uji registry wired into the actions' session factory."""
    factory = load_registry()
    set_session_factory(factory)
    yield factory
    set_session_factory(None)


@pytest.fixture
def demo_db(db: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """The fictional demo data (agencies, vacancies, trainings) wired into the actions' session factory."""
    with session_scope(db) as session:
        load_demo_if_empty(session)
    set_session_factory(db)
    yield db
    set_session_factory(None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A private PostgreSQL server (Debian's package) for the whole session; its first database's URL.

    Skipped only when PostgreSQL is not installed and TANYAKERJA_REQUIRE_PG is unset; CI sets it.
    """
    if find_pg_bin() is None:
        if os.environ.get("TANYAKERJA_REQUIRE_PG"):
            pytest.fail("PostgreSQL is required here but not installed (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    with temporary_postgres() as url:
        yield url


@pytest.fixture
def pg_database(pg_server: str) -> Callable[[], str]:
    """Make a new, empty database on the session's PostgreSQL server; returns its URL."""

    def make() -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return pg_server.rsplit("/", 1)[0] + "/" + name

    return make
