"""Throttling wrong passwords, shared by every gateway process (a table), per account *and* address pair and
per address.

A few failures are free; after that each failure locks the key for a window that doubles (30 s, 1 min,
2 min ... up to 15 min). While locked, every attempt is refused without checking the password, and is not
counted (an attacker cannot extend a lock forever, and pays no bcrypt time). Failures are forgotten a day
after the last one.

Keys: "pair:<account>|<address>" (5 free) and "address:<address>" (20 free, for any accounts). There is no
account-wide lock: with one, anybody anywhere could keep a staff member (or an API script) locked out for
good with one wrong password every 15 minutes. A guesser spread over many addresses is slowed per address
and by bcrypt instead; admins see every pair and address in the dashboard and can unlock them.

An attempt is counted *before* its password is checked, in one atomic statement that also starts the lock
when the count reaches it: parallel guesses cannot all pass a check that has not counted them yet. A right
password takes its count back (`forgive`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.models import utcnow
from knowledge.staff.clock import aware
from knowledge.staff.models import AuthThrottle

PAIR, ADDRESS = "pair", "address"
LEGACY_ACCOUNT = "account"  # account-wide rows written before pairs existed: unlock clears them too


@dataclass(frozen=True)
class Policy:
    """How many failures are free, and how long locks last."""

    pair_free: int = 5
    address_free: int = 20  # an office behind one NAT address has several staff members
    first_lock: timedelta = timedelta(seconds=30)
    max_lock: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)

    def free(self, key: str) -> int:
        """Failures allowed before the first lock."""
        return self.address_free if key.startswith(ADDRESS) else self.pair_free

    def lock(self, failures: int, key: str) -> timedelta | None:
        """The lock after this many failures (None: still free)."""
        over = failures - self.free(key)
        if over < 0:
            return None
        return min(self.max_lock, self.first_lock * 2 ** min(over, 20))


DEFAULT = Policy()


@dataclass(frozen=True)
class Counted:
    """One key's count after an attempt; `locked_until` is set when this attempt started a lock."""

    key: str
    failures: int
    locked_until: datetime | None


@dataclass(frozen=True)
class Attempt:
    """An attempt counted on every key (its password may be checked), or refused: locked for `wait` s."""

    counted: list[Counted] = field(default_factory=list)
    wait: int = 0

    def locks(self, now: datetime | None = None) -> list[Counted]:
        """The keys this attempt locked (if its password turns out wrong, that is a lockout)."""
        now = now or utcnow()
        return [c for c in self.counted if c.locked_until is not None and c.locked_until > now]


@dataclass(frozen=True)
class ThrottleRow:
    """One pair or address with failures, for the admins' security view."""

    key: str
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None
    locked: bool  # the lock is running now


def _name(username: str) -> str:
    return username.strip().lower()[:80]


def keys(username: str, address: str) -> list[str]:
    """The throttle keys of one login attempt (at most 140 characters, the column's size)."""
    return [f"{PAIR}:{_name(username)}|{address[:54]}", f"{ADDRESS}:{address[:64]}"]


def locked_for(session: Session, attempt_keys: list[str], *, now: datetime | None = None) -> int:
    """Seconds until the longest running lock of these keys ends (0: not locked)."""
    now = now or utcnow()
    rows = session.scalars(select(AuthThrottle).where(AuthThrottle.key.in_(attempt_keys)))
    waits = [(aware(r.locked_until) - now).total_seconds() for r in rows if r.locked_until]
    return max([0, *(int(w) + 1 for w in waits if w > 0)])


def _lock_after(count: Any, key: str, policy: Policy, now: datetime) -> Any:
    """SQL: the end of the lock that `count` failures start (NULL while still free)."""
    stamp = DateTime(timezone=True)
    free, whens = policy.free(key), []
    for over in range(21):
        lock = policy.lock(free + over, key)
        assert lock is not None
        if lock >= policy.max_lock or over == 20:
            whens.append((count >= free + over, literal(now + lock, stamp)))
            break
        whens.append((count == free + over, literal(now + lock, stamp)))
    return case(*whens, else_=literal(None, stamp))


def _count_one(session: Session, key: str, policy: Policy, now: datetime) -> Counted | None:
    """Count one failure on `key` unless it is locked (None), and start its lock if the count reaches one."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    forgotten = AuthThrottle.last_failure_at < now - policy.forget_after
    count = case((forgotten, 1), else_=AuthThrottle.failures + 1)
    first = policy.lock(1, key)
    new = insert(AuthThrottle).values(key=key, failures=1, last_failure_at=now, locked_until=first and now + first)
    stmt = new.on_conflict_do_update(
        index_elements=[AuthThrottle.key],
        set_={"failures": count, "last_failure_at": now, "locked_until": _lock_after(count, key, policy, now)},
        where=or_(AuthThrottle.locked_until.is_(None), AuthThrottle.locked_until <= now),
    ).returning(AuthThrottle.failures, AuthThrottle.locked_until)
    row = session.execute(stmt).one_or_none()
    if row is None:
        return None
    return Counted(key, row.failures, aware(row.locked_until) if row.locked_until else None)


def count_attempt(
    session: Session, attempt_keys: list[str], *, policy: Policy = DEFAULT, now: datetime | None = None
) -> Attempt:
    """Count an attempt on every key before its password is checked (commit before checking it). Refused
    (`wait` > 0) when a key is locked: then roll back, nothing may stay counted."""
    now = now or utcnow()
    counted = []
    for key in sorted(attempt_keys):  # one order everywhere: two attempts never wait on each other's rows
        one = _count_one(session, key, policy, now)
        if one is None:
            return Attempt(wait=max(1, locked_for(session, attempt_keys, now=now)))
        counted.append(one)
    session.flush()
    return Attempt(counted=counted)


def forgive(session: Session, username: str, address: str, attempt: Attempt) -> None:
    """A right password: the pair's failures are forgiven; the address keeps its count except this attempt
    (and the lock this attempt started, if any). Flushes."""
    pair = keys(username, address)[0]
    mine = AuthThrottle.key.in_([pair, f"{LEGACY_ACCOUNT}:{_name(username)}"])
    if session.scalar(select(AuthThrottle.key).where(mine).limit(1)) is not None:  # usually none: no write
        session.execute(delete(AuthThrottle).where(mine))
    for c in attempt.counted:
        if c.key == pair:
            continue
        undo: dict[str, Any] = {"failures": AuthThrottle.failures - 1}
        if c.locked_until is not None:  # nobody was counted after this lock began: it was this attempt's
            undo["locked_until"] = None
        session.execute(update(AuthThrottle).where(AuthThrottle.key == c.key, AuthThrottle.failures > 0).values(**undo))
    session.flush()


def unlock(session: Session, username: str, *, address: str | None = None) -> int:
    """An admin lifts the locks of an account (every pair with it) and, if given, of an address; returns
    how many rows were cleared. Flushes."""
    name = _name(username)
    where = or_(
        AuthThrottle.key.startswith(f"{PAIR}:{name}|", autoescape=True), AuthThrottle.key == f"{LEGACY_ACCOUNT}:{name}"
    )
    if address:
        where = or_(where, AuthThrottle.key == f"{ADDRESS}:{address[:64]}")
    done = session.execute(delete(AuthThrottle).where(where))
    session.flush()
    return int(getattr(done, "rowcount", 0) or 0)


def unlock_key(session: Session, key: str) -> bool:
    """Clear one row of the security view (a pair or an address). Flushes."""
    done = session.execute(delete(AuthThrottle).where(AuthThrottle.key == key[:140]))
    session.flush()
    return bool(getattr(done, "rowcount", 0))


def troubled(session: Session, *, now: datetime | None = None, limit: int = 50) -> list[ThrottleRow]:
    """Pairs and addresses with recent failures, locked ones first (for admins)."""
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


def purge_stale(session: Session, *, policy: Policy = DEFAULT, now: datetime | None = None) -> int:
    """Delete rows whose failures are already forgotten (the last one over `forget_after` ago, far longer than
    any lock) and that hold no running lock; returns how many. The table stays as small as recent trouble."""
    now = now or utcnow()
    result = session.execute(
        delete(AuthThrottle).where(
            AuthThrottle.last_failure_at < now - policy.forget_after,
            or_(AuthThrottle.locked_until.is_(None), AuthThrottle.locked_until <= now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
