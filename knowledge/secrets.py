"""Secrets the application makes for itself (table app_secrets): every process of one deployment (gateway
workers, action servers) shares them through the database, and nobody has to configure them."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.models import AppSecret, utcnow

# (database, name) -> value: a secret never changes once stored, so one read per process is enough.
_cache: dict[tuple[str, str], str] = {}


def app_secret(bind: Session | Engine | Connection, name: str) -> str:
    """The secret called `name`, made on first use: insert-if-absent, then read, so processes racing to
    make it all end up with the first one stored (SQLite and PostgreSQL alike).

    It is made in its own short transaction on its own connection: the caller's transaction (which may roll
    back) never holds a secret another process could miss.
    """
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    engine = engine.engine if isinstance(engine, Connection) else engine
    cache_key = (engine.url.render_as_string(hide_password=True), name)
    found = _cache.get(cache_key)
    if found is not None:
        return found
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with engine.begin() as conn:
        value = conn.scalar(select(AppSecret.value).where(AppSecret.name == name))
        if value is None:
            made = secrets.token_hex(32)
            conn.execute(insert(AppSecret).values(name=name, value=made, created_at=utcnow()).on_conflict_do_nothing())
            value = conn.scalar(select(AppSecret.value).where(AppSecret.name == name))
    if not value:  # cannot happen after the insert above; never hand out an empty key
        raise RuntimeError(f"app secret {name!r} could not be stored")
    _cache[cache_key] = value
    return value
