"""Keyed hashes (HMAC-SHA256) standing for values that must be compared but never read back: user ids in log
lines, phone and account numbers in the report-link index. Without the key, hashing every possible phone
number finds nothing (a plain SHA-256 of a phone number is reversed in minutes).

The key is TANYAKERJA_HASH_KEY when a deployment configures one, else the app secret "hash_key" (table
app_secrets), made on first use and shared by every process through the database. Each process reads it
once (the gateway at startup, before any log line needs it) and keeps it in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from knowledge.secrets import app_secret

KEY_NAME = "hash_key"  # the app_secrets row holding the key
# Until the gateway has read the shared key, log pseudonyms use one of this process only: still not reversible.
_log_key: bytes = secrets.token_bytes(32)


def hash_key(bind: Session | Engine | Connection, configured: str | None = None) -> bytes:
    """The deployment's key: the configured one, else the shared app secret (read once per database)."""
    return configured.encode() if configured else app_secret(bind, KEY_NAME).encode()


def digest(key: bytes, value: str, *, kind: str = "", size: int = 40) -> str:
    """HMAC-SHA256 of "kind:value" under `key`, in hex, cut to `size` characters."""
    message = f"{kind}:{value}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:size]


def use_for_logs(key: bytes) -> None:
    """Make `key` the one log pseudonyms use in this process (called once at startup)."""
    global _log_key
    _log_key = key


def log_pseudonym(value: str) -> str:
    """A value (a user id) for log lines: stable across the deployment's processes, not reversible."""
    return digest(_log_key, value, kind="log", size=12)
