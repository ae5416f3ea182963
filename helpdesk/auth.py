"""HTTP Basic authentication against the staff accounts."""

from __future__ import annotations

import anyio.to_thread
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from helpdesk.accounts import check_staff

_basic = HTTPBasic(auto_error=False, realm="TanyaKerja help desk")


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="staff login required",
        headers={"WWW-Authenticate": 'Basic realm="TanyaKerja help desk", charset="UTF-8"'},
    )


async def require_staff(request: Request, credentials: HTTPBasicCredentials | None = Depends(_basic)) -> str:
    """The logged-in staff username; 401 for anonymous or wrong credentials."""
    if credentials is None:
        raise _unauthorized()
    sessions = request.app.state.sessions

    def check() -> str | None:
        with sessions() as session:
            return check_staff(session, credentials.username, credentials.password)

    username = await anyio.to_thread.run_sync(check)
    if username is None:
        raise _unauthorized()
    return username
