"""The help-desk JSON API (CONTRACTS.md), staff only (HTTP Basic): the queue, one escalation, and claim,
reply, release, close. Errors are {"error", "message"}: first 403/415 for a POST from another site's page or
not declared JSON (helpdesk/auth.py), then 401/429, then 422 for a malformed id or body, 404 for an unknown
id, 409 when another staff member holds it; never a 5xx."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.accounts import StaffAccount
from helpdesk.api_docs import (
    CLOSE_REQUEST,
    ESCALATION,
    ESCALATION_DETAIL,
    REPLY_REQUEST,
    SPAM_REQUEST,
    STAFF_ACTION_ERRORS,
    STAFF_ERRORS,
    documented,
)
from helpdesk.auth import api_error, authenticate
from helpdesk.desk import MAX_REPLY_CHARS, Desk
from helpdesk.requests import clean_text, json_object, optional_text, parse_id
from knowledge.escalations.handoff import (
    MAX_NOTE_CHARS,
    OUTCOMES,
    AlreadyClosed,
    Change,
    HeldByOther,
    NotFound,
    normalize_outcome,
)
from knowledge.escalations.store import list_escalations
from knowledge.models import EscalationStatus

router = APIRouter(prefix="/api/escalations")

Action = Callable[[Desk, StaffAccount, int, dict], Awaitable[Change | JSONResponse]]


def desk_of(request: Request) -> Desk:
    """The help desk over this app's database and outbox."""
    return Desk(request.app.state.sessions, request.app.state.outbox)


async def _act(request: Request, raw_id: str, action: Action, *, with_body: bool = False) -> JSONResponse:
    """Authenticate, read the id (and body), run the action, answer with the escalation or the error."""
    staff = await authenticate(request)
    if isinstance(staff, JSONResponse):
        return staff
    escalation_id = parse_id(raw_id)
    if isinstance(escalation_id, JSONResponse):
        return escalation_id
    body = await json_object(request) if with_body else {}
    if isinstance(body, JSONResponse):
        return body
    try:
        done = await action(desk_of(request), staff, escalation_id, body)
    except NotFound:
        return api_error(404, "not_found", "Laporan tidak ditemukan.")
    except HeldByOther as exc:
        return api_error(409, "held_by_other", f"Laporan ini sedang ditangani petugas {exc.holder}.")
    except AlreadyClosed:
        return api_error(409, "closed", "Laporan ini sudah ditutup.")
    except SQLAlchemyError:
        return api_error(503, "unavailable", "Database sedang tidak bisa dipakai. Coba lagi sebentar lagi.")
    if isinstance(done, JSONResponse):
        return done
    return JSONResponse(done.escalation.as_dict())


@router.get("", **documented({"type": "array", "items": ESCALATION}, 401, 422, 429, 503))
async def escalations(request: Request, status: str | None = None) -> JSONResponse:
    """The queue, most urgent first; `status` filters (open, assigned, resolved)."""
    staff = await authenticate(request)
    if isinstance(staff, JSONResponse):
        return staff
    allowed = sorted(s.value for s in EscalationStatus)
    if status is not None and status not in allowed:
        return api_error(422, "invalid_status", f"status harus salah satu dari: {', '.join(allowed)}.")
    sessions = request.app.state.sessions

    def read() -> list[dict]:
        with sessions() as session:
            return [e.as_dict() for e in list_escalations(session, status=status)]

    try:
        return JSONResponse(await anyio.to_thread.run_sync(read))
    except SQLAlchemyError:
        return api_error(503, "unavailable", "Database sedang tidak bisa dipakai. Coba lagi sebentar lagi.")


@router.get("/{escalation_id}", **documented(ESCALATION_DETAIL, *STAFF_ERRORS))
async def escalation(request: Request, escalation_id: str) -> JSONResponse:
    """One escalation with what was collected and the whole transcript (numbers masked); the read is logged."""

    async def read(desk: Desk, staff: StaffAccount, esc_id: int, _body: dict) -> JSONResponse:
        found = await desk.read(staff, esc_id)
        if found is None:
            raise NotFound(str(esc_id))
        return JSONResponse(found.as_dict())

    return await _act(request, escalation_id, read)


@router.post("/{escalation_id}/claim", **documented(ESCALATION, *STAFF_ACTION_ERRORS))
async def claim(request: Request, escalation_id: str) -> JSONResponse:
    """Assign to the caller; the bot is paused for that user. 409 when another staff member holds it."""
    return await _act(request, escalation_id, lambda desk, staff, esc_id, _: desk.claim(staff, esc_id))


@router.post("/{escalation_id}/reply", **documented(ESCALATION, *STAFF_ACTION_ERRORS, body=REPLY_REQUEST))
async def reply(request: Request, escalation_id: str) -> JSONResponse:
    """{"text": "..."}: delivered to the user on their channel; claims it when unclaimed."""

    async def send(desk: Desk, staff: StaffAccount, esc_id: int, body: dict) -> Change | JSONResponse:
        text = clean_text(body.get("text"), limit=MAX_REPLY_CHARS)
        if text is None:
            return api_error(
                422, "invalid_text", f"text wajib diisi (teks, paling panjang {MAX_REPLY_CHARS} karakter)."
            )
        return await desk.reply(staff, esc_id, text)

    return await _act(request, escalation_id, send, with_body=True)


@router.post("/{escalation_id}/release", **documented(ESCALATION, *STAFF_ACTION_ERRORS))
async def release(request: Request, escalation_id: str) -> JSONResponse:
    """The bot answers that user again (they are told); 409 when another staff member holds it."""
    return await _act(request, escalation_id, lambda desk, staff, esc_id, _: desk.release(staff, esc_id))


@router.post("/{escalation_id}/close", **documented(ESCALATION, *STAFF_ACTION_ERRORS, body=CLOSE_REQUEST))
async def close(request: Request, escalation_id: str) -> JSONResponse:
    """{"outcome": "...", "note": "..."}: status resolved with the outcome; releases."""

    async def finish(desk: Desk, staff: StaffAccount, esc_id: int, body: dict) -> Change | JSONResponse:
        raw = body.get("outcome")
        outcome = normalize_outcome(raw) if isinstance(raw, str) and len(raw) <= 60 else None
        if outcome is None:
            return api_error(422, "invalid_outcome", f"outcome harus salah satu dari: {', '.join(OUTCOMES)}.")
        note = optional_text(body.get("note"), limit=MAX_NOTE_CHARS)
        if note is None:
            return api_error(422, "invalid_note", f"note harus teks, paling panjang {MAX_NOTE_CHARS} karakter.")
        return await desk.close(staff, esc_id, outcome, note)

    return await _act(request, escalation_id, finish, with_body=True)


@router.post("/{escalation_id}/spam", **documented(ESCALATION, *STAFF_ACTION_ERRORS, body=SPAM_REQUEST))
async def spam(request: Request, escalation_id: str) -> JSONResponse:
    """Mark as spam (`{}` or `{"spam": true}`): closed with outcome spam, and later escalations of that user or
    from that web-chat address are queued last; `{"spam": false}` takes the mark back (it stays closed)."""

    async def mark(desk: Desk, staff: StaffAccount, esc_id: int, body: dict) -> Change | JSONResponse:
        flag = body.get("spam", True)
        if not isinstance(flag, bool):
            return api_error(422, "invalid_spam", "spam harus true atau false.")
        return await desk.mark_spam(staff, esc_id, spam=flag)

    return await _act(request, escalation_id, mark, with_body=True)
