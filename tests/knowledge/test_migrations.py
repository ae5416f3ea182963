"""Alembic: a database of the last release (and an older one) upgrades to a schema with every constraint the
code relies on, the models and the migrations agree, and a fresh database gets the same schema."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from knowledge import transcripts
from knowledge.db import make_engine
from knowledge.migrations import current_revision, head_revision, upgrade_to_head
from knowledge.models import Base, Message

DATA = Path(__file__).resolve().parents[1] / "data"
DUMPS = ["release", "legacy-upgraded"]
# Unique constraints the code relies on: (table, columns).
UNIQUE = {
    ("messages", ("channel", "external_id")),  # a redelivered Telegram/WhatsApp update is dropped
    ("vacancies", ("source", "source_id")),  # vacancy imports are idempotent
    ("agencies", ("license_norm",)),  # agency imports are idempotent
    ("trainings", ("natural_key",)),
    ("staff_users", ("username",)),
}


def _schema_problems(engine: Engine) -> list:
    """What autogenerate would change to make the database match the models ([] when they agree)."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def _check(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    inspector = inspect(engine)
    for table, columns in UNIQUE:
        found = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
        assert columns in found, (table, columns, found)
    fks = inspector.get_foreign_keys("vacancy_terms")
    assert fks and fks[0]["referred_table"] == "vacancies" and fks[0]["options"].get("ondelete") == "CASCADE"
    assert _schema_problems(engine) == []
    with Session(engine) as session:
        # every redelivery stored before the constraint is gone; the first delivery is kept
        ids = list(
            session.scalars(select(Message.external_id).where(Message.external_id.is_not(None)).order_by(Message.id))
        )
        assert ids == sorted(set(ids)) and "tg-1" in ids
        texts = list(session.scalars(select(Message.text).where(Message.external_id == "tg-1")))
        assert texts == ["pesan 0"]
        # and a new redelivery is now refused by the database
        assert (
            transcripts.record_message(
                session, channel="telegram", user_id="42", direction="in", text="lagi", external_id="tg-1"
            )
            is None
        )
        session.rollback()


@pytest.mark.parametrize("dump", DUMPS)
def test_a_sqlite_database_of_an_older_release_upgrades(dump, tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((DATA / f"schema-{dump}.sqlite.sql").read_text(encoding="utf-8"))
    engine = make_engine(f"sqlite:///{path}")
    assert current_revision(engine) is None  # made before Alembic
    upgrade_to_head(engine)
    _check(engine)
    upgrade_to_head(engine)  # a second run changes nothing and fails nothing
    _check(engine)
    engine.dispose()


def test_a_fresh_sqlite_database_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade_to_head(engine)
    assert _schema_problems(engine) == []
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_models_and_the_migrations_agree_after_a_model_change_is_detected(tmp_path):
    """The check itself can fail: a column the models have and the database lacks is reported."""
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE agencies DROP COLUMN phone"))
    problems = _schema_problems(engine)
    assert problems and problems[0][0] == "add_column" and problems[0][3].name == "phone"
    engine.dispose()


def _load_pg_dump(url: str, dump: str) -> None:
    u = make_url(url)
    subprocess.run(
        [
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(u.host),
            "-p",
            str(u.port),
            "-U",
            str(u.username),
            "-d",
            str(u.database),
            "-f",
            str(DATA / f"schema-{dump}.pg.sql"),
        ],
        check=True,
        capture_output=True,
    )


@pytest.mark.pg
@pytest.mark.parametrize("dump", DUMPS)
def test_a_postgres_database_of_an_older_release_upgrades(dump, pg_database):
    url = pg_database()
    _load_pg_dump(url, dump)
    engine = make_engine(url)
    assert current_revision(engine) is None
    upgrade_to_head(engine)
    _check(engine)
    upgrade_to_head(engine)
    _check(engine)
    engine.dispose()


@pytest.mark.pg
def test_a_fresh_postgres_database_matches_the_models(pg_database):
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    assert _schema_problems(engine) == []
    engine.dispose()
