"""Throttling wrong passwords, per account and per address, shared by every gateway process (a table).

A few failures are free; after that each failure locks the account (or address) for a window that doubles
(30 s, 1 min, 2 min ... up to 15 min). While locked, every attempt is refused without checking the
password, and is not counted (an attacker cannot extend a lock forever, and pays no bcrypt time). A
correct password resets the account's count; failures are forgotten a day after the last one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.models import utcnow
from knowledge.staff.clock import aware
from knowledge.staff.models import AuthThrottle

ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Policy:
    """How many failures are free, and how long locks last."""

    account_free: int = 5
    address_free: int = 20  # an office behind one NAT address has several staff members
    first_lock: timedelta = timedelta(seconds=30)
    max_lock: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)

    def free(self, key: str) -> int:
        """Failures allowed before the first lock."""
        return self.account_free if key.startswith(ACCOUNT) else self.address_free

    def lock(self, failures: int, key: str) -> timedelta | None:
        """The lock after this many failures (None: still free)."""
        over = failures - self.free(key)
        if over < 0:
            return None
        return min(self.max_lock, self.first_lock * 2 ** min(over, 20))


DEFAULT = Policy()


@dataclass(frozen=True)
class Lockout:
    """A lock that a failure just started (logged, and shown to admins)."""

    key: str
    failures: int
    seconds: int


@dataclass(frozen=True)
class ThrottleRow:
    """One account or address with failures, for the admins' security view."""

    key: str
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None
    locked: bool  # the lock is running now


def keys(username: str, address: str) -> list[str]:
    """The throttle keys of one login attempt."""
    return [f"{ACCOUNT}:{username.strip().lower()[:80]}", f"{ADDRESS}:{address[:64]}"]


def locked_for(session: Session, attempt_keys: list[str], *, now: datetime | None = None) -> int:
    """Seconds until the longest running lock of these keys ends (0: not locked)."""
    now = now or utcnow()
    rows = session.scalars(select(AuthThrottle).where(AuthThrottle.key.in_(attempt_keys)))
    waits = [(aware(r.locked_until) - now).total_seconds() for r in rows if r.locked_until]
    return max([0, *(int(w) + 1 for w in waits if w > 0)])


def record_failure(
    session: Session, attempt_keys: list[str], *, policy: Policy = DEFAULT, now: datetime | None = None
) -> list[Lockout]:
    """Count a wrong password for each key; returns the locks this failure started. Flushes."""
    now = now or utcnow()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    started = []
    for key in attempt_keys:
        session.execute(insert(AuthThrottle).values(key=key, failures=0, last_failure_at=now).on_conflict_do_nothing())
        row = session.get(AuthThrottle, key, populate_existing=True)
        assert row is not None
        if aware(row.last_failure_at) + policy.forget_after < now:
            row.failures, row.locked_until = 0, None
            session.flush()
        # an atomic increment: two gateways counting at once both count
        session.execute(
            update(AuthThrottle)
            .where(AuthThrottle.key == key)
            .values(failures=AuthThrottle.failures + 1, last_failure_at=now)
        )
        session.refresh(row)
        lock = policy.lock(row.failures, key)
        if lock is not None:
            row.locked_until = now + lock
            started.append(Lockout(key, row.failures, int(lock.total_seconds())))
    session.flush()
    return started


def record_success(session: Session, username: str) -> None:
    """A correct password: the account's failures are forgiven (the address keeps its count). Flushes."""
    key = keys(username, "")[0]
    row = session.get(AuthThrottle, key)
    if row is not None:
        session.delete(row)
        session.flush()


def troubled(session: Session, *, now: datetime | None = None, limit: int = 50) -> list[ThrottleRow]:
    """Accounts and addresses with recent failures, locked ones first (for admins)."""
    now = now or utcnow()
    rows = session.scalars(
        select(AuthThrottle).where(AuthThrottle.failures > 0).order_by(AuthThrottle.last_failure_at.desc()).limit(limit)
    )
    out = []
    for r in rows:
        if aware(r.last_failure_at) + DEFAULT.forget_after < now:
            continue
        until = aware(r.locked_until) if r.locked_until else None
        out.append(ThrottleRow(r.key, r.failures, aware(r.last_failure_at), until, bool(until and until > now)))
    return sorted(out, key=lambda r: (not r.locked, -r.last_failure_at.timestamp()))
