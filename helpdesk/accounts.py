"""Help-desk staff accounts: creation and password checks (bcrypt)."""

from __future__ import annotations

import functools
import hashlib
import threading
import time

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import StaffUser

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


def add_staff(session: Session, username: str, password: str) -> int:
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
        username=name, password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()
    )
    session.add(user)
    session.flush()
    return user.id


_verified: dict[str, float] = {}
_lock = threading.Lock()


def check_staff(session: Session, username: str, password: str) -> str | None:
    """The account's username when the credentials are right and the account active, else None."""
    name = username.strip().lower()
    user = session.scalar(select(StaffUser).where(StaffUser.username == name, StaffUser.active.is_(True)))
    stored = user.password_hash.encode() if user else _dummy_hash()
    key = hashlib.sha256(b"\0".join([name.encode(), password.encode(), stored])).hexdigest()
    now = time.monotonic()
    with _lock:
        if user and _verified.get(key, 0) > now:
            return user.username
    try:
        ok = bcrypt.checkpw(password.encode()[:72], stored)  # also for unknown users: same timing
    except ValueError:
        ok = False
    if not (ok and user):
        return None
    with _lock:
        _verified[key] = now + _CACHE_TTL_S
    return user.username
