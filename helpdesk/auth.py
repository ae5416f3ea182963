"""Staff authentication: HTTP Basic for the JSON API, and the one login check both it and the dashboard use,
throttled per account-and-address pair and per address (knowledge/staff/throttle.py), with lockouts logged
and audited. State-changing API requests must also come as JSON from no other site (CONTRACTS.md)."""

from __future__ import annotations

import base64
import logging
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import StaffAccount, remembered, verify_staff
from knowledge.logtext import escaped
from knowledge.staff import audit, throttle
from knowledge.storable import storable_name

log = logging.getLogger(__name__)

CHALLENGE = {"WWW-Authenticate": 'Basic realm="TanyaKerja help desk", charset="UTF-8"'}
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


class Throttled(Exception):
    """Too many wrong passwords for this account from this address, or from this address: refused unchecked."""

    def __init__(self, retry_after: int):
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts the proxy's X-Forwarded-For here when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    """Behind HTTPS: the scheme uvicorn saw, or the proxy's X-Forwarded-Proto, or the setting says so."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    secure = request.app.state.settings.helpdesk_secure_cookie
    return secure or request.url.scheme == "https" or forwarded == "https"


def _origin(scheme: str, host: str) -> str:
    """scheme://host[:port], lower case, without the scheme's default port."""
    scheme, host = scheme.lower(), host.strip().lower()
    default = _DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{host.removesuffix(default) if default else host}"


def same_origin(request: Request, origin: str) -> bool:
    """Whether an Origin header names this gateway: the scheme the browser used (see `is_https`) and the Host
    it asked for (the proxies in docs/deploy.md pass Host through)."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc or parts.path:
        return False  # includes "null": a sandboxed frame, a file, a redirect across sites
    own = _origin("https" if is_https(request) else request.url.scheme, request.headers.get("host", ""))
    return _origin(parts.scheme, parts.netloc) == own


def cross_site_refusal(request: Request) -> JSONResponse | None:
    """For a state-changing request: 403 when another site's page sent it (its Origin), 415 unless the body is
    declared JSON (the one content type a page elsewhere cannot send without the browser asking us first);
    None: go on. Checked before the password: a forged request costs no bcrypt and counts no failure."""
    if request.method not in STATE_CHANGING:
        return None
    origin = request.headers.get("origin")
    if origin is not None and not same_origin(request, origin):
        return api_error(403, "cross_origin", "Permintaan dari situs lain ditolak.")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return api_error(415, "unsupported_media_type", "Kirim permintaan dengan Content-Type: application/json.")
    return None


def attempt_login(sessions: sessionmaker[Session], username: str, password: str, address: str) -> StaffAccount | None:
    """Check one login (blocking: run it in a thread). None for wrong credentials; Throttled while locked.

    The attempt is counted (and committed) before bcrypt runs, so parallel guesses cannot all pass a check
    that has not counted them yet; a right password takes its count back."""
    username = storable_name(username)  # "ani\x00": a wrong login counted and audited like any other, no 500
    attempt_keys = throttle.keys(username, address)
    with sessions() as session:
        wait = throttle.locked_for(session, attempt_keys)
        if wait:
            raise Throttled(wait)
        account = remembered(session, username, password)  # verified minutes ago: no guess, nothing to count
        attempt = throttle.Attempt()
        if account is None:
            attempt = throttle.count_attempt(session, attempt_keys)
            if attempt.wait:
                session.rollback()
                raise Throttled(attempt.wait)
            session.commit()
            account = verify_staff(session, username, password)
        if account is not None:
            throttle.forgive(session, account.username, address, attempt)
            session.commit()
            return account
        for lock in attempt.locks():
            # the account owner's admins see these in the dashboard (audit log and its security panel)
            audit.record(session, escaped(username) or "?", "login_locked", key=lock.key, failures=lock.failures)
            log.warning("helpdesk: %s locked after %d wrong passwords", escaped(lock.key, 140), lock.failures)
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
    """The staff member behind HTTP Basic, or the response to send: 403/415 (a state-changing request from
    another site or not JSON), 401 (anonymous or wrong), 429 (locked). Every staff API route starts here."""
    refused = cross_site_refusal(request)
    if refused is not None:
        return refused
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
