"""Dashboard logins: a random token in the cookie, only its SHA-256 in the database (a copy of the table
lets nobody log in), a CSRF token per session, an idle timeout and a hard expiry. Several gateway
processes share the table, so a login works on any of them and a logout or a disabled account ends it
everywhere."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge.models import StaffUser, utcnow
from knowledge.staff.clock import aware
from knowledge.staff.models import StaffSession

TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often (not on every request)


@dataclass(frozen=True)
class StaffIdentity:
    """Who is logged in on a dashboard request."""

    username: str
    is_admin: bool
    csrf: str
    session_id: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start(session: Session, username: str, *, address: str, lifetime: timedelta) -> tuple[str, StaffIdentity]:
    """A new session for an account that just logged in; returns (cookie token, identity). Flushes."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise ValueError(f"no staff account {username!r}")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    row = StaffSession(
        id=_hash(token),
        username=username,
        csrf=csrf,
        address=address[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return token, StaffIdentity(username, user.is_admin, csrf, row.id)


def resume(
    session: Session, token: str, *, idle: timedelta, touch: bool = True, now: datetime | None = None
) -> StaffIdentity | None:
    """The identity of a valid session (None: unknown, expired, idle too long, or the account is disabled).

    `touch=False` for the page's own background polling: it must not keep an unattended screen logged in.
    Commits when it changes something."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = session.get(StaffSession, _hash(token))
    if row is None:
        return None
    user = session.scalar(select(StaffUser).where(StaffUser.username == row.username, StaffUser.active.is_(True)))
    if user is None or aware(row.expires_at) <= now or aware(row.last_seen_at) + idle <= now:
        session.delete(row)
        session.commit()
        return None
    if touch and now - aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return StaffIdentity(user.username, user.is_admin, row.csrf, row.id)


def end(session: Session, token: str) -> None:
    """Log out: the session is gone on every gateway. Flushes."""
    session.execute(delete(StaffSession).where(StaffSession.id == _hash(token)))


def end_all(session: Session, username: str) -> int:
    """Every session of an account (it was disabled); returns how many. Flushes."""
    result = session.execute(delete(StaffSession).where(StaffSession.username == username))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(session: Session, *, now: datetime | None = None) -> None:
    """Forget sessions past their hard expiry (idle ones are removed when they are next used)."""
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= (now or utcnow())))
