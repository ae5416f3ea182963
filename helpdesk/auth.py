"""Staff authentication: HTTP Basic for the JSON API, and the one login check both it and the dashboard use,
throttled per account and per address (knowledge/staff/throttle.py), with lockouts logged and audited."""

from __future__ import annotations

import base64
import logging

import anyio.to_thread
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import StaffAccount, verify_staff
from knowledge.staff import audit, throttle

log = logging.getLogger(__name__)

CHALLENGE = {"WWW-Authenticate": 'Basic realm="TanyaKerja help desk", charset="UTF-8"'}


class Throttled(Exception):
    """Too many wrong passwords for this account or from this address: refused without a check."""

    def __init__(self, retry_after: int):
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts the proxy's X-Forwarded-For here when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


def attempt_login(sessions: sessionmaker[Session], username: str, password: str, address: str) -> StaffAccount | None:
    """Check one login (blocking: run it in a thread). None for wrong credentials; Throttled while locked."""
    attempt = throttle.keys(username, address)
    with sessions() as session:
        wait = throttle.locked_for(session, attempt)
        if wait:
            raise Throttled(wait)
        account = verify_staff(session, username, password)
        if account is not None:
            throttle.record_success(session, account.username)
            session.commit()
            return account
        for lock in throttle.record_failure(session, attempt):
            # the account owner's admins see these in the dashboard (audit log and its security panel)
            audit.record(session, username[:80] or "?", "login_locked", key=lock.key, failures=lock.failures)
            log.warning("helpdesk: %s locked for %d s after %d wrong passwords", lock.key, lock.seconds, lock.failures)
        session.commit()
        return None


def api_error(status_code: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The error shape of every staff endpoint: {"error": code, "message": Indonesian text}."""
    return JSONResponse({"error": code, "message": message}, status_code=status_code, headers=headers)


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """(username, password) from an `Authorization: Basic` header, None when there is none or it is malformed."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value or len(value) > 1024:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon and username else None


async def authenticate(request: Request) -> StaffAccount | JSONResponse:
    """The staff member behind HTTP Basic, or the response to send: 401 (anonymous or wrong), 429 (locked)."""
    credentials = basic_credentials(request)
    if credentials is None:
        return api_error(401, "unauthorized", "Perlu login petugas (HTTP Basic).", headers=CHALLENGE)
    try:
        account = await anyio.to_thread.run_sync(
            attempt_login, request.app.state.sessions, credentials[0], credentials[1], client_address(request)
        )
    except Throttled as exc:
        return api_error(
            429,
            "too_many_attempts",
            f"Terlalu banyak kata sandi salah. Coba lagi dalam {exc.retry_after} detik.",
            headers={"Retry-After": str(exc.retry_after)},
        )
    if account is None:
        return api_error(401, "unauthorized", "Nama pengguna atau kata sandi salah.", headers=CHALLENGE)
    return account
