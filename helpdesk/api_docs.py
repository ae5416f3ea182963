"""The OpenAPI description of the JSON endpoints (CONTRACTS.md): request bodies and the documented answers,
so /openapi.json says what the routes really accept and return (they read their bodies themselves) and
schemathesis can check the answers against it."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
BUTTON = {
    "type": "object",
    "required": ["title", "payload"],
    "properties": {"title": {"type": "string"}, "payload": {"type": "string"}},
}
REPLY = {
    "type": "object",
    "required": ["text", "buttons"],
    "properties": {"text": {"type": "string"}, "buttons": {"type": "array", "items": BUTTON}},
}
CHAT_REQUEST = {
    "type": "object",
    "required": ["user_id"],
    "properties": {
        "user_id": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 200}, {"type": "integer"}]},
        "text": {"type": ["string", "null"]},
    },
}
CHAT_ANSWER = {"type": "object", "required": ["replies"], "properties": {"replies": {"type": "array", "items": REPLY}}}
UPDATES = {
    "type": "object",
    "required": ["messages", "cursor"],
    "properties": {
        "messages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text", "buttons", "from", "created_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "text": {"type": "string"},
                    "buttons": {"type": "array"},
                    "from": {"type": "string"},
                    "created_at": {"type": "string"},
                },
            },
        },
        "cursor": {"type": "string"},
    },
}
ESCALATION = {
    "type": "object",
    "required": ["id", "user_id", "channel", "reason", "priority", "status", "assigned_to", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "user_id": {"type": "string"},
        "channel": {"type": "string"},
        "reason": {"type": "string"},
        "priority": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "assigned", "resolved"]},
        "assigned_to": {"type": ["string", "null"]},
        "created_at": {"type": "string"},
    },
}
ESCALATION_DETAIL: dict[str, Any] = {
    "type": "object",
    "required": [*ESCALATION["required"], "details", "transcript"],
    "properties": {
        **ESCALATION["properties"],  # type: ignore[dict-item]
        "spam": {"type": "boolean"},
        "lowered": {"type": ["string", "null"], "enum": ["flood", "spam_source", None]},
        "details": {"type": "object"},
        "transcript": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["direction", "sender", "text", "created_at"],
                "properties": {
                    "direction": {"type": "string", "enum": ["in", "out"]},
                    "sender": {"type": "string"},
                    "text": {"type": "string"},
                    "created_at": {"type": "string"},
                },
            },
        },
    },
}
REPLY_REQUEST = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
CLOSE_REQUEST = {
    "type": "object",
    "required": ["outcome"],
    "properties": {"outcome": {"type": "string"}, "note": {"type": ["string", "null"]}},
}
SPAM_REQUEST = {"type": "object", "properties": {"spam": {"type": "boolean"}}}
_ERROR_TEXT = {
    400: "not JSON, or nested too deep",
    401: "no or wrong staff credentials",
    403: "sent by a page of another site (its Origin header)",
    404: "unknown id",
    409: "another staff member holds it, or it is closed",
    413: "body too large",
    415: "a state-changing request without Content-Type: application/json",
    422: "a malformed id, parameter or body",
    429: "too many attempts (wrong passwords, new web chats from one address): wait Retry-After seconds",
    503: "the database does not answer",
}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def documented(ok: dict, *errors: int, body: dict | None = None, ok_text: str = "OK") -> dict[str, Any]:
    """Keyword arguments for a route decorator: its request body, 200 answer and JSON errors."""
    responses: dict[int | str, dict[str, Any]] = {200: {"description": ok_text, **_json(ok)}}
    for status in errors:
        responses[status] = {"description": _ERROR_TEXT[status], **_json(ERROR)}
    extra: dict[str, Any] = {}
    if body is not None:
        extra["requestBody"] = {"required": True, **_json(body)}
    return {"responses": responses, "openapi_extra": extra}


STAFF_ERRORS = (401, 404, 409, 413, 422, 429, 503)
STAFF_ACTION_ERRORS = (403, *STAFF_ERRORS, 415)  # POST: JSON only, from no other site (helpdesk/auth.py)
