"""Reading what a staff client sent: escalation ids from the path and small JSON bodies, with a 4xx for
anything malformed (never a 5xx): huge ids, deep nesting, lone surrogates, NUL characters."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from helpdesk.auth import api_error
from knowledge import safe_json

MAX_ID = 2**63 - 1  # the database's integer range; a larger id cannot exist
MAX_BODY_BYTES = 32 * 1024


def parse_id(raw: str) -> int | JSONResponse:
    """A positive id; 422 for anything that is not a plain decimal number, 404 for one out of range."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 40:
        return api_error(422, "invalid_id", "id laporan harus berupa angka.")
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        return api_error(404, "not_found", "Laporan tidak ditemukan.")
    return value


async def json_object(request: Request) -> dict | JSONResponse:
    """The body as a JSON object (an empty body is an empty object)."""
    body = await request.body()
    if not body.strip() and len(body) <= MAX_BODY_BYTES:
        return {}
    try:
        data = await safe_json.loads_off_loop(body, max_bytes=MAX_BODY_BYTES)
    except safe_json.BadJson as exc:
        if exc.code == "too_large":
            return api_error(413, "too_large", "Isi permintaan terlalu besar.")
        return api_error(422, exc.code, "Isi permintaan harus objek JSON.")
    if not isinstance(data, dict):
        return api_error(422, "invalid_json", "Isi permintaan harus objek JSON.")
    return data


def clean_text(value: object, *, limit: int) -> str | None:
    """A usable text (NUL removed, surrounding space trimmed), or None for a non-text, empty, too long text or
    one with a lone UTF-16 surrogate (no database can store it)."""
    if not isinstance(value, str):
        return None
    text = value.replace("\x00", "").strip()
    if not text or len(text) > limit or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return None
    return text


def optional_text(value: object, *, limit: int) -> str | None:
    """Like `clean_text`, but a missing or blank value is "" (None still means: not acceptable)."""
    if value is None or (isinstance(value, str) and not value.replace("\x00", "").strip()):
        return ""
    return clean_text(value, limit=limit)
