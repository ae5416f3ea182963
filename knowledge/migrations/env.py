"""Alembic environment: runs on the connection `knowledge.migrations` hands over (or DATABASE_URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

# The delivery and help-desk tables live next to knowledge.models: importing them registers them.
import knowledge.delivery.models
import knowledge.staff.models  # noqa: F401
from knowledge.db import get_engine
from knowledge.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:  # `alembic` run by hand: the configured database
    with get_engine().begin() as conn:
        _run(conn)
