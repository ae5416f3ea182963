"""Rasa's tracker and lock stores chosen by the environment (CONTRACTS.md), for endpoints.yml.

Loaded inside the Rasa process (Python 3.10, Rasa's own SQLAlchemy 1.4 and redis 4): import nothing
from the application environment here.

- `RASA_TRACKER_DB`: a SQLite file path (the embedded default) or a `postgresql://` URL, shared by
  every Rasa server. On PostgreSQL, pooled connections are tested before use, so a database restart
  costs the turns that arrive while it is down, not every pooled connection once afterwards.
- `REDIS_URL` set: Rasa's Redis lock store, so one conversation's messages are handled one at a time,
  in order, whichever server they reach. Unset: the in-memory lock store (one Rasa server only).
"""

from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

from nlu import rasa_speedups

rasa_speedups.install()  # Rasa loads this module with endpoints.yml: the one place our code runs in every server

DEFAULT_TRACKER_DB = "var/rasa-tracker.db"
LOCK_KEY_PREFIX = "tanyakerja"


def tracker_target(raw: Optional[str]) -> dict[str, Any]:
    """RASA_TRACKER_DB -> SQLTrackerStore arguments (dialect, host, port, db, username, password, query)."""
    raw = (raw or "").strip() or DEFAULT_TRACKER_DB
    if "://" not in raw:
        return {"dialect": "sqlite", "db": raw}
    url = urlsplit(raw)
    scheme = url.scheme.split("+")[0]
    if scheme not in ("postgresql", "postgres"):
        raise ValueError("RASA_TRACKER_DB must be a SQLite file path or a postgresql:// URL")
    return {
        "dialect": "postgresql",
        "host": url.hostname or "localhost",
        "port": url.port,
        "db": unquote(url.path.lstrip("/")) or "rasa",
        "username": unquote(url.username) if url.username else None,
        "password": unquote(url.password) if url.password else None,
        "query": dict(parse_qsl(url.query)) or None,
    }


def redis_target(raw: str) -> dict[str, Any]:
    """REDIS_URL (redis://[user:password@]host[:port][/db], rediss:// for TLS) -> RedisLockStore arguments."""
    url = urlsplit(raw.strip())
    if url.scheme not in ("redis", "rediss"):
        raise ValueError("REDIS_URL must be a redis:// or rediss:// URL")
    path = url.path.lstrip("/")
    return {
        "host": url.hostname or "localhost",
        "port": url.port or 6379,
        "db": int(path) if path else 0,
        "username": unquote(url.username) if url.username else None,
        "password": unquote(url.password) if url.password else None,
        "use_ssl": url.scheme == "rediss",
        "key_prefix": LOCK_KEY_PREFIX,
    }


class EnvTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store on whatever RASA_TRACKER_DB names."""

    def __init__(self, host: Optional[str] = None, domain: Any = None, event_broker: Any = None, **kwargs: Any):
        target = tracker_target(os.environ.get("RASA_TRACKER_DB"))
        super().__init__(domain=domain, event_broker=event_broker, **target, **kwargs)
        if target["dialect"] == "postgresql":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(str(url)))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


class EnvLockStore(LockStore):
    """The Redis lock store when REDIS_URL is set, else the in-memory one (Rasa builds it by class path)."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        raw = os.environ.get("REDIS_URL", "").strip()
        if raw:
            return RedisLockStore(**redis_target(raw))
        return InMemoryLockStore()
