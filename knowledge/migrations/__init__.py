"""Schema migrations (Alembic): `upgrade_to_head` brings any database of ours to the current schema.

Revisions live in `versions/`; every schema change ships as a new revision, and a test checks that the
models and the migrations agree (autogenerate finds nothing to do).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

# The delivery and help-desk tables live next to knowledge.models: importing them registers them.
import knowledge.delivery.models
import knowledge.staff.models  # noqa: F401

SCRIPT_LOCATION = Path(__file__).parent
# Any constant: serialises concurrent upgrades of one PostgreSQL database (several gateways, a Job).
_PG_LOCK_KEY = 0x74616E79


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our scripts, optionally bound to an open connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision in `versions/`."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None for an empty or pre-Alembic database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision (safe to run from several processes at once)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(conn), "head")
