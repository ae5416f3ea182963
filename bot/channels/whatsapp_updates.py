"""WhatsApp Cloud API webhooks -> what the gateway does: messages to store and route, delivery receipts to
record. Pure functions over the JSON Meta sends (signature checking lives in whatsapp.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.types import Incoming
from knowledge.storable import storable_text

CHANNEL = "whatsapp"
NON_TEXT = ("image", "audio", "voice", "video", "document", "location", "sticker", "contacts", "unsupported", "order")
IGNORED = ("reaction", "system", "ephemeral", "request_welcome")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


@dataclass(frozen=True)
class Receipt:
    """A `statuses` entry: what happened to one of our messages."""

    message_id: str
    status: str
    at: datetime
    error: str | None

    def as_dict(self) -> dict:
        """JSON for the inbox."""
        return {"message_id": self.message_id, "status": self.status, "at": self.at.isoformat(), "error": self.error}

    @classmethod
    def from_dict(cls, data: dict) -> Receipt:
        """Back from the inbox's JSON."""
        return cls(data["message_id"], data["status"], datetime.fromisoformat(data["at"]), data.get("error"))


def when(timestamp: object) -> datetime:
    """A webhook's Unix timestamp (a string) as a UTC datetime; now when it is missing or malformed."""
    try:
        return datetime.fromtimestamp(int(str(timestamp)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def _values(body: dict, phone_number_id: str) -> Iterator[dict]:
    """The `value` of every `messages` change addressed to our number."""
    if not isinstance(body, dict) or body.get("object") not in (None, "whatsapp_business_account"):
        return
    for entry in body.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            number = (value.get("metadata") or {}).get("phone_number_id")
            if isinstance(value, dict) and (number is None or str(number) == phone_number_id):
                yield value


def messages(body: dict, phone_number_id: str) -> list[dict]:
    """Every user message in a webhook body (each has `id`, `from`, `type`)."""
    return [
        m
        for value in _values(body, phone_number_id)
        for m in value.get("messages") or []
        if isinstance(m, dict) and m.get("id") and m.get("from")
    ]


def receipts(body: dict, phone_number_id: str) -> list[Receipt]:
    """Every delivery receipt in a webhook body."""
    out = []
    for value in _values(body, phone_number_id):
        for s in value.get("statuses") or []:
            if not isinstance(s, dict) or not s.get("id") or not s.get("status"):
                continue
            errors = [e for e in s.get("errors") or [] if isinstance(e, dict)]
            error = "; ".join(f"{e.get('code')} {e.get('title') or e.get('message') or ''}".strip() for e in errors)
            # the id is looked up and the error stored: no NUL or lone surrogate may reach the database
            message_id, error = storable_text(str(s["id"])), storable_text(error)
            out.append(Receipt(message_id, str(s["status"]), when(s.get("timestamp")), error or None))
    return out


def choice(message: dict) -> str | None:
    """What a user picked: a reply button's or list row's id, or a template quick reply's payload."""
    kind = message.get("type")
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        picked = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(picked["id"]) if picked.get("id") else None
    if kind == "button":
        button = message.get("button") or {}
        return str(button.get("payload") or button.get("text") or "") or None
    return None


def number_choice(text: str, offered: list[dict]) -> str | None:
    """'3' answering a numbered list (more than 10 options) -> the third option's payload."""
    match = _NUMBER.match(text)
    if match is None or len(offered) <= 10:
        return None
    n = int(match.group(1))
    if not 1 <= n <= len(offered):
        return None
    return str(offered[n - 1].get("payload") or "") or None


def to_incoming(message: dict) -> Incoming | None:
    """A message for the router (None for reactions and other events that need no answer).

    Picked options come back with their raw id in `text` and `meta["choice"] = True`: the caller turns a
    short key back into its payload.
    """
    user, external_id, kind = str(message["from"]), str(message["id"]), message.get("type")
    if kind == "text":
        return Incoming(CHANNEL, user, str((message.get("text") or {}).get("body") or ""), external_id=external_id)
    picked = choice(message)
    if picked is not None:
        return Incoming(CHANNEL, user, picked, external_id=external_id, meta={"choice": True})
    if kind in IGNORED or kind is None:
        return None
    label = kind if kind in NON_TEXT else "non_text"
    return Incoming(CHANNEL, user, kind="non_text", external_id=external_id, meta={"type": label})
