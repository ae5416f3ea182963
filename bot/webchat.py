"""The web-chat channel: POST /api/chat (CONTRACTS.md), through the shared router."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.types import Incoming

CHANNEL = "web"
MAX_BODY_BYTES = 64 * 1024
MAX_USER_ID_CHARS = 200

router = APIRouter()


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


@router.post("/api/chat")
async def api_chat(request: Request) -> JSONResponse:
    """One chat turn: {"user_id", "text"} -> {"replies": [{"text", "buttons"}]}."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "Pesan terlalu panjang.")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", 'Isi permintaan harus JSON: {"user_id": "...", "text": "..."}.')
    if not isinstance(data, dict):
        return _error(400, "invalid_json", "Isi permintaan harus objek JSON dengan user_id dan text.")
    user_id, text = data.get("user_id"), data.get("text", "")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if not isinstance(user_id, str) or not user_id.strip():
        return _error(422, "missing_user_id", "user_id wajib diisi.")
    if len(user_id) > MAX_USER_ID_CHARS:
        return _error(422, "invalid_user_id", f"user_id paling panjang {MAX_USER_ID_CHARS} karakter.")
    if text is None:
        text = ""
    if not isinstance(text, str):
        return _error(422, "invalid_text", "text harus berupa teks.")
    chat_router = request.app.state.router
    replies = await chat_router.handle(Incoming(channel=CHANNEL, user_id=user_id.strip(), text=text))
    payload = {"replies": [r.as_dict() for r in replies]}
    if len(text) > chat_router.max_chars:
        return JSONResponse(
            {"error": "too_long", "message": replies[0].text if replies else "", **payload}, status_code=413
        )
    return JSONResponse(payload)
