"""Answers -> WhatsApp Cloud API message bodies: up to 3 buttons as reply buttons, 4-10 as a list, more as
numbered text the user answers with the number; texts over 4,096 characters in several messages."""

from __future__ import annotations

from collections.abc import Callable

from bot.channels.text import clip, split_text
from bot.types import Answer, Button
from knowledge.answers import copy_text

TEXT_LIMIT = 4096
BODY_LIMIT = 1024  # the text of an interactive message
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ID_LIMIT = 200  # list row ids (reply button ids may be 256)
MAX_BUTTONS = 3
MAX_ROWS = 10
SEND = "messages"


def _base(to: str) -> dict:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}


def text_body(to: str, text: str) -> dict:
    """A plain text message (link previews off: a data file's URL should not turn into a big card)."""
    return {**_base(to), "type": "text", "text": {"body": text, "preview_url": False}}


def reply_id(payload: str, shorten: Callable[[str], str]) -> str:
    """What comes back when the user picks an option: the payload, or a short key for a long one."""
    return payload if len(payload) <= ID_LIMIT and not payload.startswith("k:") else shorten(payload)


def unique_titles(titles: list[str], limit: int) -> list[str]:
    """Titles clipped to `limit`, made unique (WhatsApp refuses two options with the same title)."""
    out: list[str] = []
    for title in titles:
        candidate, n = clip(title, limit), 2
        while candidate in out:
            suffix = f" {n}"
            candidate, n = clip(title, limit - len(suffix)) + suffix, n + 1
        out.append(candidate)
    return out


def interactive_body(to: str, body: str, buttons: tuple[Button, ...], shorten: Callable[[str], str]) -> dict:
    """Reply buttons (1-3) or a list (4-10) under a body of at most 1,024 characters."""
    if len(buttons) <= MAX_BUTTONS:
        titles = unique_titles([b.title or b.payload for b in buttons], BUTTON_TITLE_LIMIT)
        action: dict = {
            "buttons": [
                {"type": "reply", "reply": {"id": reply_id(b.payload, shorten), "title": t}}
                for b, t in zip(buttons, titles, strict=True)
            ]
        }
        kind = "button"
    else:
        titles = unique_titles([b.title or b.payload for b in buttons], ROW_TITLE_LIMIT)
        rows = []
        for b, title in zip(buttons, titles, strict=True):
            row = {"id": reply_id(b.payload, shorten), "title": title}
            if title != (b.title or b.payload):  # clipped: the whole title goes underneath
                row["description"] = clip(b.title, ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        action = {
            "button": clip(copy_text("channels", "list_button"), BUTTON_TITLE_LIMIT),
            "sections": [{"rows": rows}],
        }
        kind = "list"
    return {**_base(to), "type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def numbered(text: str, buttons: tuple[Button, ...]) -> str:
    """More than 10 options: the text with the options numbered, and how to answer."""
    options = "\n".join(f"{n}. {b.title or b.payload}" for n, b in enumerate(buttons, start=1))
    return "\n\n".join(part for part in (text, options, copy_text("channels", "numbered_hint")) if part)


def render(to: str, answer: Answer, *, shorten: Callable[[str], str]) -> list[tuple[str, dict]]:
    """The message bodies for one answer, in order."""
    text = answer.text.strip()
    if len(answer.buttons) > MAX_ROWS:
        return [(SEND, text_body(to, piece)) for piece in split_text(numbered(text, answer.buttons), TEXT_LIMIT)]
    pieces = split_text(text, TEXT_LIMIT)
    if not answer.buttons:
        return [(SEND, text_body(to, piece)) for piece in pieces]
    body = copy_text("channels", "pick_one")
    if pieces and len(pieces[-1]) <= BODY_LIMIT:  # the last piece carries the buttons
        body = pieces.pop()
    calls = [(SEND, text_body(to, piece)) for piece in pieces]
    calls.append((SEND, interactive_body(to, body, answer.buttons, shorten)))
    return calls
