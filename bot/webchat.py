"""The web-chat channel: POST /api/chat (CONTRACTS.md), through the shared router."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.router import local_reply
from bot.types import Incoming
from helpdesk.api_docs import CHAT_ANSWER, CHAT_REQUEST, UPDATES, documented
from knowledge import cursors, safe_json, transcripts
from knowledge.delivery import identities
from knowledge.storable import storable_text

CHANNEL = "web"
MAX_BODY_BYTES = 64 * 1024
MAX_USER_ID_CHARS = 200

router = APIRouter()


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


@router.post("/api/chat", **documented(CHAT_ANSWER, 400, 413, 422, 429, body=CHAT_REQUEST))
async def api_chat(request: Request) -> JSONResponse:
    """One chat turn: {"user_id", "text"} -> {"replies": [{"text", "buttons"}]}."""
    try:
        data = await safe_json.loads_off_loop(await request.body() or b"null", max_bytes=MAX_BODY_BYTES)
    except safe_json.BadJson as exc:
        if exc.code == "too_large":
            return _error(413, "too_large", "Pesan terlalu panjang.")
        return _error(400, exc.code, 'Isi permintaan harus JSON: {"user_id": "...", "text": "..."}.')
    if not isinstance(data, dict):
        return _error(400, "invalid_json", "Isi permintaan harus objek JSON dengan user_id dan text.")
    user_id, text = data.get("user_id"), data.get("text", "")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if isinstance(user_id, str):  # cleaned before the id keys any lookup (PostgreSQL refuses NUL)
        user_id = storable_text(user_id)
    if not isinstance(user_id, str) or not user_id.strip():
        return _error(422, "missing_user_id", "user_id wajib diisi.")
    if len(user_id) > MAX_USER_ID_CHARS:
        return _error(422, "invalid_user_id", f"user_id paling panjang {MAX_USER_ID_CHARS} karakter.")
    if text is None:
        text = ""
    if not isinstance(text, str):
        return _error(422, "invalid_text", "text harus berupa teks.")
    wait = await anyio.to_thread.run_sync(_admit, request, user_id.strip())
    if wait:  # a new id from an address over its budget: told to wait, nothing stored, known ids unaffected
        busy = local_reply("new_chats_busy", seconds=wait)
        return JSONResponse(
            {"error": "too_many_new_chats", "message": busy.text, "replies": [busy.as_dict()]},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    chat_router = request.app.state.router
    replies = await chat_router.handle(Incoming(channel=CHANNEL, user_id=user_id.strip(), text=text))
    payload = {"replies": [r.as_dict() for r in replies]}
    if len(text) > chat_router.max_chars:
        return JSONResponse(
            {"error": "too_long", "message": replies[0].text if replies else "", **payload}, status_code=413
        )
    return JSONResponse(payload)


def _admit(request: Request, user_id: str) -> int:
    """0 when this user id may chat, else the seconds its address must wait to start a new one (blocking)."""
    settings = request.app.state.settings
    budget = identities.Budget(settings.web_new_chats_burst, settings.web_new_chats_refill_s)
    # uvicorn puts X-Forwarded-For here only when it comes from a trusted proxy (--forwarded-allow-ips)
    address = request.client.host if request.client else "unknown"
    if identities.is_local(address):
        return 0  # this machine itself (a local tool, a test harness); clients behind the proxy have their own
    try:
        with request.app.state.sessions() as session:
            key = identities.client_key(session, address, configured=settings.hash_key)
            wait = identities.admit(session, user_id=user_id, key=key, budget=budget)
            session.commit()
            return wait
    except SQLAlchemyError:
        return 0  # the database is down: the chat answers (and spools) as before, unlimited meanwhile


HISTORY_LINES = 60
UPDATE_LINES = 50


@router.get("/api/chat/updates", **documented(UPDATES, 422, 503))
async def chat_updates(request: Request, user_id: str = "", after: str | None = None) -> JSONResponse:
    """Messages for a web-chat user outside a turn (staff replies, notices) after `after`; without `after`,
    the recent history (for a page reload). The cursor is opaque: knowledge/cursors.py (no line committed
    late is skipped)."""
    user = user_id.replace("\x00", "").strip()  # as /api/chat stored it
    if not user or len(user) > MAX_USER_ID_CHARS or any(0xD800 <= ord(ch) <= 0xDFFF for ch in user):
        return _error(422, "invalid_user_id", "user_id wajib diisi (paling panjang 200 karakter).")
    cursor = cursors.parse(after) if after is not None else None
    if after is not None and cursor is None:
        return _error(422, "invalid_cursor", "after harus berupa cursor dari jawaban sebelumnya.")
    sessions = request.app.state.sessions

    def read() -> dict:
        with sessions() as session:
            if cursor is None:
                lines = transcripts.conversation(session, channel=CHANNEL, user_id=user, limit=HISTORY_LINES)
                ids = [line.id for line in lines]
                text = cursors.encode(cursors.start(ids, top=max(ids, default=0)))
            else:
                lines, text = cursors.poll(
                    cursor,
                    lambda low, seen: transcripts.updates_after(
                        session, channel=CHANNEL, user_id=user, after=low, skip=seen, limit=UPDATE_LINES
                    ),
                    lambda: transcripts.newest_id(session, channel=CHANNEL, user_id=user),
                    limit=UPDATE_LINES,
                )
        return {
            "messages": [
                {
                    "id": line.id,
                    "text": line.text,
                    "buttons": list(line.buttons),
                    "from": transcripts.sender_of(line),
                    "created_at": line.created_at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z",
                }
                for line in lines
            ],
            # what was handed out: a staff reply committed while this request ran comes with the next poll
            "cursor": text,
        }

    try:
        return JSONResponse(await anyio.to_thread.run_sync(read))
    except SQLAlchemyError:
        return _error(503, "unavailable", "Riwayat chat belum bisa dimuat. Coba lagi sebentar lagi.")
