"""Dashboard sessions: the login form (with its own CSRF cookie), the session cookie (HttpOnly,
SameSite=Strict, Secure behind HTTPS), the CSRF token every form carries, logout."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from helpdesk.auth import Throttled, attempt_login, client_address, is_https
from helpdesk.render import page
from knowledge.settings import Settings
from knowledge.staff import audit, sessions, throttle
from knowledge.staff.sessions import StaffIdentity

COOKIE = "tk_staff"
LOGIN_COOKIE = "tk_login"
COOKIE_PATH = "/helpdesk"
HOME = "/helpdesk/"
MAX_FIELD_CHARS = 200

router = APIRouter(prefix="/helpdesk")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    """A cookie only this dashboard's pages get, never readable by scripts nor sent from another site."""
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=is_https(request), path=COOKIE_PATH)


def forget_cookie(response: Response, request: Request, name: str) -> None:
    """Remove a cookie set by `set_cookie`."""
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict", secure=is_https(request))


async def current_staff(request: Request, *, touch: bool = True) -> StaffIdentity | None:
    """Who is logged in (None: nobody, or the session ended); `touch=False` for background polling."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    settings = _settings(request)
    factory = request.app.state.sessions

    def resume() -> StaffIdentity | None:
        with factory() as session:
            return sessions.resume(session, token, idle=timedelta(minutes=settings.helpdesk_idle_minutes), touch=touch)

    return await anyio.to_thread.run_sync(resume)


def csrf_ok(identity: StaffIdentity, sent: object) -> bool:
    """The form's token is this session's (constant-time comparison)."""
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), identity.csrf.encode())


def refused(identity: StaffIdentity | None) -> HTMLResponse:
    """A form without the right CSRF token: 403, nothing done."""
    return page("refused.html", status_code=403, staff=identity)


def to_login(request: Request) -> RedirectResponse:
    """Not logged in: to the login page, coming back here afterwards."""
    return RedirectResponse(f"{HOME}?next={quote(request.url.path)}", status_code=303)


def _safe_next(value: object) -> str:
    """Only a path of this dashboard (never another site: '//evil', 'https://...')."""
    if isinstance(value, str) and value.startswith(HOME) and "//" not in value and "\\" not in value:
        return value
    return HOME


def login_page(request: Request, *, error: str = "", status_code: int = 200, next_path: str = HOME) -> Response:
    """The login form and its CSRF cookie (the one the browser has, so two open login tabs both work)."""
    kept = request.cookies.get(LOGIN_COOKIE, "")
    token = (
        kept
        if 20 <= len(kept) <= 64 and kept.replace("-", "").replace("_", "").isalnum()
        else secrets.token_urlsafe(24)
    )
    response = page("login.html", status_code=status_code, error=error, login_csrf=token, next=_safe_next(next_path))
    set_cookie(response, request, LOGIN_COOKIE, token)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the password (throttled), start a session, go to the queue."""
    form = await request.form()
    username, password = str(form.get("username", ""))[:MAX_FIELD_CHARS], str(form.get("password", ""))
    next_path = _safe_next(form.get("next"))
    sent, expected = str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        error = "Halaman login sudah kedaluwarsa. Silakan coba lagi."
        return login_page(request, error=error, status_code=403, next_path=next_path)
    if not username.strip() or not password:
        return login_page(request, error="Isi nama pengguna dan kata sandi.", status_code=400, next_path=next_path)
    factory = request.app.state.sessions
    try:
        account = await anyio.to_thread.run_sync(
            attempt_login, factory, username, password[:MAX_FIELD_CHARS], client_address(request)
        )
    except Throttled as exc:
        error = f"Terlalu banyak percobaan yang salah. Coba lagi dalam {exc.retry_after} detik."
        return login_page(request, error=error, status_code=429, next_path=next_path)
    if account is None:
        # 200, not 401: a form login has no WWW-Authenticate challenge to offer
        return login_page(request, error="Nama pengguna atau kata sandi salah.", next_path=next_path)
    lifetime = timedelta(hours=_settings(request).helpdesk_session_hours)

    def start() -> str:
        with factory() as session, session.begin():
            sessions.purge_expired(session)
            throttle.purge_stale(session)  # failures already forgotten: the table keeps only recent trouble
            token, _ = sessions.start(session, account.username, address=client_address(request), lifetime=lifetime)
            audit.record(session, account.username, "login")
            return token

    token = await anyio.to_thread.run_sync(start)
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(response, request, COOKIE, token)
    forget_cookie(response, request, LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session everywhere (CSRF-checked: another site cannot log staff out)."""
    identity = await current_staff(request)
    if identity is None:
        return RedirectResponse(HOME, status_code=303)
    form = await request.form()
    if not csrf_ok(identity, form.get("csrf")):
        return refused(identity)
    factory = request.app.state.sessions
    token = request.cookies.get(COOKIE, "")

    def end() -> None:
        with factory() as session, session.begin():
            sessions.end(session, token)
            audit.record(session, identity.username, "logout")

    await anyio.to_thread.run_sync(end)
    response = RedirectResponse(HOME, status_code=303)
    forget_cookie(response, request, COOKIE)
    return response
