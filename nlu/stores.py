"""Rasa's tracker and lock stores chosen by the environment (CONTRACTS.md), for endpoints.yml.

Loaded inside the Rasa process (Python 3.10, Rasa's own SQLAlchemy 1.4 and redis 4): import nothing
from the application environment here.

- `RASA_TRACKER_DB`: a SQLite file path (the embedded default) or a `postgresql://` URL, shared by
  every Rasa server. On PostgreSQL, pooled connections are tested before use, so a database restart
  costs the turns that arrive while it is down, not every pooled connection once afterwards.
- Compaction: Rasa loads, replays and featurizes every event of the conversation's latest session on every
  turn, so a turn cost grows with the conversation. After a turn that leaves the session longer than
  `TRACKER_COMPACT_EVENTS` events (default 80), at rest (no form open), the store starts a new session that
  carries the slots and a copy of the last two user turns (`compacted_session`): the next turn loads about
  30 events whatever the conversation's length. Older sessions stay in the database (Rasa's full-tracker
  API still returns every event; the copies carry `compaction_copy` in their metadata).
- `REDIS_URL` set: Rasa's Redis lock store, so one conversation's messages are handled one at a time,
  in order, whichever server they reach. Unset: the in-memory lock store (one Rasa server only).
"""

from __future__ import annotations

import copy
import os
import time
from typing import Any, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from nlu import rasa_speedups

rasa_speedups.install()  # Rasa loads this module with endpoints.yml: the one place our code runs in every server

DEFAULT_TRACKER_DB = "var/rasa-tracker.db"
DEFAULT_COMPACT_EVENTS = 80
COPY_MARK = "compaction_copy"  # in the metadata of the events a compacted session repeats
KEPT_USER_TURNS = 2  # the recent context the dialogue policies look at (max_history 4 counts both sides)
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


def compact_after(raw: Optional[str]) -> int:
    """TRACKER_COMPACT_EVENTS -> the session length that triggers compaction (0 turns it off)."""
    value = int((raw or "").strip() or DEFAULT_COMPACT_EVENTS)
    if value < 0:
        raise ValueError("TRACKER_COMPACT_EVENTS must be 0 (off) or a positive number of events")
    return value


def session_events(tracker: DialogueStateTracker) -> list[Event]:
    """The events of the tracker's latest session (everything when it has no session start)."""
    events = list(tracker.events)
    starts = [i for i, event in enumerate(events) if isinstance(event, SessionStarted)]
    return events[starts[-1] :] if starts else events


def compacted_session(tracker: DialogueStateTracker, limit: int, now: float) -> Optional[list[Event]]:
    """The events of a new session equal in state to the tracker's, or None when it needs none.

    Only at rest: after the bot's turn (action_listen), with no form open and the bot not paused. The new
    session is what Rasa's own session start writes (action_session_start, SessionStarted, the slots
    carried over, action_listen), followed by a copy of the last user turns, so the dialogue policies see
    the same recent history. Every event is stamped `now`: Rasa finds a session by its start's timestamp.
    """
    if not limit or len(tracker.events) <= limit:
        return None  # the common case, before copying the event list (this runs on every save)
    events = session_events(tracker)
    if len(events) <= limit or tracker.active_loop_name or tracker.is_paused():
        return None
    if tracker.latest_action_name != "action_listen":
        return None
    users = [i for i, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(users) <= KEPT_USER_TURNS:
        return None
    tail = events[users[-KEPT_USER_TURNS] :]
    carried = [SlotSet(name, slot.value) for name, slot in tracker.slots.items() if slot.value != slot.initial_value]
    fresh = [ActionExecuted("action_session_start"), SessionStarted(), *carried, ActionExecuted("action_listen")]
    copies = [copy.deepcopy(event) for event in tail]
    for event in copies:
        event.metadata = {**(event.metadata or {}), COPY_MARK: True}  # the full history counts each message once
    fresh += copies
    for event in fresh:
        event.timestamp = now
    return fresh


class EnvTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store on whatever RASA_TRACKER_DB names, compacting long sessions."""

    def __init__(self, host: Optional[str] = None, domain: Any = None, event_broker: Any = None, **kwargs: Any):
        target = tracker_target(os.environ.get("RASA_TRACKER_DB"))
        super().__init__(domain=domain, event_broker=event_broker, **target, **kwargs)
        if target["dialect"] == "postgresql":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(str(url)))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.compact_after = compact_after(os.environ.get("TRACKER_COMPACT_EVENTS"))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save; then, when the session has grown long, a compacted session in the same tracker.

        The tracker object is brought to the new session too (its old events dropped), so a later save of
        the same object counts its events against the new session, as Rasa's save expects."""
        await super().save(tracker)
        fresh = compacted_session(tracker, self.compact_after, time.time())
        if fresh is None:
            return
        for event in fresh:
            tracker.update(event)
        await super().save(tracker)  # writes exactly the new session (the stored one is still the old)
        while len(tracker.events) > len(fresh):
            tracker.events.popleft()


class EnvLockStore(LockStore):
    """The Redis lock store when REDIS_URL is set, else the in-memory one (Rasa builds it by class path)."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        raw = os.environ.get("REDIS_URL", "").strip()
        if raw:
            return RedisLockStore(**redis_target(raw))
        return InMemoryLockStore()
