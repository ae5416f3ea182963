"""Dashboard actions (POST forms, each with the session's CSRF token): claim, reply, release, close, marking
as spam (and back), and revealing the masked numbers of a conversation (logged). After each: back to the
conversation page."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.accounts import StaffAccount
from helpdesk.api import desk_of
from helpdesk.desk import MAX_REPLY_CHARS
from helpdesk.pages import escalation_id_of
from helpdesk.render import page
from helpdesk.requests import clean_text, optional_text
from helpdesk.web import csrf_ok, current_staff, refused, to_login
from knowledge.escalations.handoff import MAX_NOTE_CHARS, AlreadyClosed, HeldByOther, NotFound, normalize_outcome
from knowledge.models import Escalation
from knowledge.staff import audit

router = APIRouter(prefix="/helpdesk/escalations")
ACTIONS = ("claim", "reply", "release", "close", "spam", "unspam", "reveal")


def _back(escalation_id: int, key: str, *, error: bool = False) -> RedirectResponse:
    anchor = "#reply" if key in ("replied", "empty") else ""
    flag = "err" if error else "ok"
    return RedirectResponse(f"/helpdesk/escalations/{escalation_id}?{flag}={key}{anchor}", status_code=303)


@router.post("/{escalation_id}/{action}")
async def act(request: Request, escalation_id: str, action: str) -> Response:
    """One staff action on one escalation; refused (403) without this session's CSRF token."""
    identity = await current_staff(request)
    if identity is None:
        return to_login(request)
    form = await request.form()
    if not csrf_ok(identity, form.get("csrf")):
        return refused(identity)
    esc_id = escalation_id_of(escalation_id)
    if esc_id is None or action not in ACTIONS:
        return page("not_found.html", status_code=404, staff=identity)
    staff = StaffAccount(identity.username, identity.is_admin)
    desk = desk_of(request)
    try:
        if action == "claim":
            await desk.claim(staff, esc_id)
            return _back(esc_id, "claimed")
        if action == "reply":
            text = clean_text(form.get("text"), limit=MAX_REPLY_CHARS)
            if text is None:
                return _back(esc_id, "empty", error=True)
            await desk.reply(staff, esc_id, text)
            return _back(esc_id, "replied")
        if action == "release":
            await desk.release(staff, esc_id)
            return _back(esc_id, "released")
        if action == "close":
            outcome = normalize_outcome(str(form.get("outcome", ""))[:60])
            note = optional_text(form.get("note"), limit=MAX_NOTE_CHARS)
            if outcome is None or note is None:
                return _back(esc_id, "bad_outcome", error=True)
            await desk.close(staff, esc_id, outcome, note)
            return _back(esc_id, "closed")
        if action in ("spam", "unspam"):
            await desk.mark_spam(staff, esc_id, spam=action == "spam")
            return _back(esc_id, "spammed" if action == "spam" else "unspammed")
        await _reveal(request, staff, esc_id)
        return _back(esc_id, "revealed")
    except NotFound:
        return page("not_found.html", status_code=404, staff=identity)
    except HeldByOther:
        return _back(esc_id, "held", error=True)
    except AlreadyClosed:
        return _back(esc_id, "already_closed", error=True)
    except SQLAlchemyError:
        return page("unavailable.html", status_code=503, staff=identity)


async def _reveal(request: Request, staff: StaffAccount, escalation_id: int) -> None:
    """Log the reveal; the log entry is what lets the page show the numbers (for a few minutes)."""
    factory = request.app.state.sessions

    def log() -> None:
        with factory() as session, session.begin():
            if session.get(Escalation, escalation_id) is None:
                raise NotFound(str(escalation_id))
            audit.record(session, staff.username, "reveal", escalation_id=escalation_id)

    await anyio.to_thread.run_sync(log)
