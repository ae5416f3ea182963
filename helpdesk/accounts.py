"""Help-desk staff accounts: creation and password checks (bcrypt)."""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from dataclasses import dataclass

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.escalations.holds import end_holds_of
from knowledge.models import StaffUser
from knowledge.staff.sessions import end_all

MIN_PASSWORD_CHARS = 10
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
# bcrypt takes ~0.2 s per check by design; a verified login is remembered briefly so the dashboard's
# many requests do not each pay it. Keyed by a hash of the credentials AND the stored hash, so a
# password change invalidates it.
_CACHE_TTL_S = 300
BCRYPT_ROUNDS = 12


@functools.cache
def _dummy_hash() -> bytes:
    """A hash to check unknown usernames against (same timing as a real check); made on first use, not at import."""
    return bcrypt.hashpw(b"not a real password", bcrypt.gensalt(rounds=BCRYPT_ROUNDS))


class StaffError(ValueError):
    """A staff account could not be created (the message says why)."""


@dataclass(frozen=True)
class StaffAccount:
    """A verified staff member."""

    username: str
    is_admin: bool


def add_staff(session: Session, username: str, password: str, *, admin: bool = False) -> int:
    """Create an account; the username is lower-cased; raises StaffError on bad input or a duplicate."""
    name = username.strip().lower()
    if not name or len(name) > 80 or not set(name) <= USERNAME_CHARS:
        raise StaffError("username: 1-80 characters, letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(f"password: at least {MIN_PASSWORD_CHARS} characters")
    if len(password.encode()) > 72:
        raise StaffError("password: at most 72 bytes (bcrypt's limit)")
    if session.scalar(select(StaffUser).where(StaffUser.username == name)):
        raise StaffError(f"username '{name}' already exists")
    user = StaffUser(
        username=name,
        password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode(),
        is_admin=admin,
    )
    session.add(user)
    session.flush()
    return user.id


_verified: dict[str, float] = {}
_lock = threading.Lock()


def _cache_key(name: str, secret: bytes, stored: bytes) -> str:
    return hashlib.sha256(b"\0".join([name.encode("utf-8", "surrogatepass"), secret, stored])).hexdigest()


def _active(session: Session, username: str) -> StaffUser | None:
    name = username.strip().lower()
    return session.scalar(select(StaffUser).where(StaffUser.username == name, StaffUser.active.is_(True)))


def remembered(session: Session, username: str, password: str) -> StaffAccount | None:
    """The account when these exact credentials passed bcrypt in the last minutes (no bcrypt now), else None."""
    user = _active(session, username)
    if user is None:
        return None
    key = _cache_key(user.username, password.encode("utf-8", "surrogatepass"), user.password_hash.encode())
    with _lock:
        return StaffAccount(user.username, user.is_admin) if _verified.get(key, 0) > time.monotonic() else None


def verify_staff(session: Session, username: str, password: str) -> StaffAccount | None:
    """The account when the credentials are right and the account active, else None."""
    name = username.strip().lower()
    user = _active(session, name)
    stored = user.password_hash.encode() if user else _dummy_hash()
    secret = password.encode("utf-8", "surrogatepass")
    key = _cache_key(name, secret, stored)
    now = time.monotonic()
    with _lock:
        if user and _verified.get(key, 0) > now:
            return StaffAccount(user.username, user.is_admin)
    try:
        ok = bcrypt.checkpw(secret[:72], stored)  # also for unknown users: same timing
    except ValueError:
        ok = False
    if not (ok and user):
        return None
    with _lock:
        for old in [k for k, until in _verified.items() if until <= now]:
            del _verified[old]
        _verified[key] = now + _CACHE_TTL_S
    return StaffAccount(user.username, user.is_admin)


def check_staff(session: Session, username: str, password: str) -> str | None:
    """The account's username when the credentials are right and the account active, else None."""
    account = verify_staff(session, username, password)
    return account.username if account else None


def disable_staff(session: Session, username: str) -> bool:
    """Lock an account out (its sessions end too) and give back every conversation it held (the users are told,
    their reports go back to the queue); False when there is no such account. Flushes."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
    if user is None:
        return False
    user.active = False
    end_all(session, user.username)
    session.flush()
    end_holds_of(session, user.username)
    return True
