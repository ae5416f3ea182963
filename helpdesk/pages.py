"""Dashboard pages (GET): the queue, one conversation, the audit log for admins, and the fragments the
pages poll for (new escalations, new messages) so nothing needs a reload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from helpdesk.render import CHANNELS, REASONS, VIEWS, html_page, page, render
from helpdesk.requests import MAX_ID
from helpdesk.web import current_staff, login_page, to_login
from knowledge import cursors, transcripts
from knowledge.escalations import handoff, links
from knowledge.escalations.queue import Filters, counts, fingerprint, queue
from knowledge.escalations.shown import staff_lines
from knowledge.escalations.store import masked, summary_of, user_escalations
from knowledge.models import Escalation
from knowledge.staff import audit, throttle
from knowledge.staff.sessions import StaffIdentity
from knowledge.storable import storable_text

router = APIRouter(prefix="/helpdesk")
TRANSCRIPT_LINES = 2000  # "the whole transcript": enough for any real conversation, bounded for the page
POLL_LINES = 200  # new lines per poll of an open conversation; more come with the next poll
FLASH = {
    "claimed": "Laporan ini sekarang Anda tangani. Bot berhenti menjawab pengguna ini.",
    "replied": "Balasan terkirim ke pengguna.",
    "released": "Percakapan dikembalikan ke bot. Pengguna sudah diberi tahu.",
    "closed": "Laporan ditutup.",
    "spammed": "Laporan ditandai spam dan ditutup. Laporan baru dari pengguna atau jaringan ini ditaruh paling bawah.",
    "unspammed": "Tanda spam dibatalkan.",
    "revealed": "Nomor ditampilkan selama 10 menit (tercatat di log audit).",
    "held": "Laporan ini sedang ditangani petugas lain.",
    "already_closed": "Laporan ini sudah ditutup.",
    "empty": "Tulis balasan dulu (paling panjang 4.000 karakter).",
    "bad_outcome": "Pilih hasil penanganan.",
}
T = TypeVar("T")


async def _db(request: Request, work: Callable[[Session], T]) -> T:
    factory = request.app.state.sessions

    def run() -> T:
        with factory() as session:
            result = work(session)
            session.commit()
            return result

    return await anyio.to_thread.run_sync(run)


def _filters(request: Request) -> Filters:
    """The queue filters from the query string; anything unknown falls back to the default."""
    q = request.query_params
    view = q.get("view", "active")
    return Filters(
        view=view if view in VIEWS else "active",
        reason=q.get("reason") if q.get("reason") in REASONS else None,
        channel=q.get("channel") if q.get("channel") in CHANNELS else None,
    )


def _queue_context(session: Session, staff: StaffIdentity, filters: Filters) -> dict[str, Any]:
    links.index_stale(session, limit=100)
    return {
        "rows": queue(session, staff=staff.username, filters=filters),
        "counts": counts(session, staff=staff.username),
        "locks": [r for r in throttle.troubled(session) if r.locked] if staff.is_admin else [],
        "staff": staff,
        "filters": filters,
    }


def _query(filters: Filters) -> str:
    parts = [f"view={filters.view}"]
    parts += [f"reason={filters.reason}"] if filters.reason else []
    parts += [f"channel={filters.channel}"] if filters.channel else []
    return "&".join(parts)


@router.get("/")
async def home(request: Request) -> Response:
    """The queue, or the login page when nobody is logged in (CONTRACTS.md: GET /helpdesk/)."""
    staff = await current_staff(request)
    if staff is None:
        return login_page(request, next_path=request.query_params.get("next", "/helpdesk/"))
    filters = _filters(request)
    context = await _db(request, lambda s: _queue_context(s, staff, filters))
    return page("queue.html", query=_query(filters), **context)


@router.get("/queue/rows")
async def queue_rows(request: Request) -> Response:
    """The queue's rows and counts for the page's polling (does not keep an idle session alive)."""
    staff = await current_staff(request, touch=False)
    if staff is None:
        return JSONResponse({"error": "logged_out"}, status_code=401)
    filters = _filters(request)
    seen = request.query_params.get("v", "")

    def read(session: Session) -> dict:
        version = fingerprint(session)
        if version == seen:  # nothing changed since the page's last poll: no rendering, a tiny answer
            return {"unchanged": True, "v": version}
        context = _queue_context(session, staff, filters)
        c = context["counts"]
        return {
            "html": render("_queue_rows.html", **context),
            "ids": [row.escalation.id for row in context["rows"]],
            "counts": {"waiting_for_me": c.waiting_for_me, "unclaimed": c.unclaimed, "urgent": c.unclaimed_urgent},
            "v": version,
        }

    return JSONResponse(await _db(request, read), headers={"Cache-Control": "no-store"})


def escalation_id_of(raw: str) -> int | None:
    """A dashboard URL's escalation id, None for anything that cannot be one."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 20 and 1 <= int(raw) <= MAX_ID else None


def _conversation(session: Session, staff: StaffIdentity, escalation_id: int, *, log_view: bool) -> dict | None:
    row = session.get(Escalation, escalation_id)
    if row is None:
        return None
    esc = summary_of(row)
    links.index_stale(session, limit=50)
    if log_view:
        audit.record(session, staff.username, "view", escalation_id=escalation_id)
    revealed = audit.revealed(session, staff.username, escalation_id)
    lines = transcripts.conversation(session, channel=esc.channel, user_id=esc.user_id, limit=TRANSCRIPT_LINES)
    lines = staff_lines(lines, revealed=revealed)  # masked copies, stored with each line; clear when revealed
    return {
        "esc": esc,
        "details": dict(row.details or {}) if revealed else masked(dict(row.details or {})),
        "lines": lines,
        "cursor": cursors.encode(cursors.start([ln.id for ln in lines], top=max((ln.id for ln in lines), default=0))),
        "revealed": revealed,
        "holder": handoff.holder_of(session, esc.channel, esc.user_id),
        "linked": links.linked(session, escalation_id),
        "others": [e for e in user_escalations(session, channel=esc.channel, user_id=esc.user_id) if e.id != esc.id],
        "history": audit.entries(session, escalation_id=escalation_id, limit=50) if staff.is_admin else [],
        "staff": staff,
        "can_act": esc.assigned_to in (None, staff.username) or staff.is_admin,
    }


@router.get("/escalations/{escalation_id}")
async def conversation_page(request: Request, escalation_id: str) -> Response:
    """One conversation: transcript, what the bot collected, linked and earlier reports, the actions."""
    staff = await current_staff(request)
    if staff is None:
        return to_login(request)
    esc_id = escalation_id_of(escalation_id)
    flash = FLASH.get(request.query_params.get("ok", "")) or FLASH.get(request.query_params.get("err", ""))
    error = "err" in request.query_params

    def read(session: Session) -> str | None:  # up to 2,000 lines: read and rendered off the event loop
        context = _conversation(session, staff, esc_id, log_view=True) if esc_id else None
        return None if context is None else render("conversation.html", flash=flash, error=error, **context)

    html = await _db(request, read)
    if html is None:
        return page("not_found.html", status_code=404, staff=staff)
    return html_page(html)


@router.get("/escalations/{escalation_id}/lines")
async def new_lines(request: Request, escalation_id: str, after: str = "0") -> Response:
    """Transcript lines after a cursor, with the escalation's state, for the conversation page's polling."""
    staff = await current_staff(request, touch=False)
    if staff is None:
        return JSONResponse({"error": "logged_out"}, status_code=401)
    esc_id = escalation_id_of(escalation_id)
    cursor = cursors.parse(after) or cursors.Cursor()  # opaque (knowledge/cursors.py); nonsense = from the start

    def read(session: Session) -> dict | None:
        row = session.get(Escalation, esc_id) if esc_id else None
        if row is None:
            return None
        esc = summary_of(row)
        lines, text = cursors.poll(
            cursor,
            lambda low, seen: transcripts.lines_after(
                session, channel=esc.channel, user_id=esc.user_id, after=low, skip=seen, limit=POLL_LINES
            ),
            lambda: 0,  # every line of the conversation is read: the newest handed out is the newest there is
            limit=POLL_LINES,
        )
        revealed = audit.revealed(session, staff.username, esc.id)
        if lines:  # reading new lines is reading the conversation: logged, at most once per few minutes
            audit.record_view(session, staff.username, esc.id)
        return {
            "html": render("_lines.html", lines=staff_lines(lines, revealed=revealed)),
            "cursor": text,
            "state": f"{esc.status}:{esc.assigned_to or ''}",
        }

    data = await _db(request, read)
    if data is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


@router.get("/audit")
async def audit_page(request: Request) -> Response:
    """Every staff action, newest first, with the accounts and addresses locked for wrong passwords: admins only."""
    staff = await current_staff(request)
    if staff is None:
        return to_login(request)
    if not staff.is_admin:
        return page("forbidden.html", status_code=403, staff=staff)
    q = request.query_params
    who = storable_text(q.get("staff", ""))[:80].strip().lower() or None  # used in SQL: no NUL
    action = q.get("action") if q.get("action") in audit.ACTIONS else None
    esc_id = escalation_id_of(q.get("escalation", ""))

    def read(session: Session) -> dict:
        return {
            "entries": audit.entries(session, staff=who, escalation_id=esc_id, action=action, limit=300),
            "troubled": throttle.troubled(session),
        }

    context = await _db(request, read)
    return page("audit.html", staff=staff, who=who or "", action=action or "", escalation=esc_id or "", **context)
