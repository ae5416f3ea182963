"""The admins' security panel action (on the audit page): lifting a wrong-password lock, CSRF-checked and
written to the audit log. The command line has the same (`tanyakerja staff unlock`)."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from helpdesk.render import page
from helpdesk.web import csrf_ok, current_staff, refused, to_login
from knowledge.staff import audit, throttle

router = APIRouter(prefix="/helpdesk/audit")


@router.post("/unlock")
async def unlock(request: Request) -> Response:
    """Clear one pair or address of the security panel (admins only); back to the audit page."""
    identity = await current_staff(request)
    if identity is None:
        return to_login(request)
    form = await request.form()
    if not csrf_ok(identity, form.get("csrf")):
        return refused(identity)
    if not identity.is_admin:
        return page("forbidden.html", status_code=403, staff=identity)
    key = str(form.get("key", ""))[:140]
    factory = request.app.state.sessions

    def clear() -> None:
        with factory() as session, session.begin():
            if throttle.unlock_key(session, key):
                audit.record(session, identity.username, "staff_unlock", key=key)

    await anyio.to_thread.run_sync(clear)
    return RedirectResponse("/helpdesk/audit", status_code=303)
