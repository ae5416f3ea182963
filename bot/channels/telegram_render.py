"""Answers -> Bot API sendMessage calls: plain text (no parse_mode, so nothing a user or a data file
writes can inject Markdown or HTML), 4,096-character pieces, buttons as an inline keyboard."""

from __future__ import annotations

from collections.abc import Callable

from bot.channels.text import split_text
from bot.types import Answer, Button
from knowledge.answers import copy_text

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes
KEY_PREFIX = "k:"
SEND = "sendMessage"


def callback_data(payload: str, shorten: Callable[[str], str]) -> str:
    """The payload itself when it fits in 64 bytes, else a short key stored server-side."""
    if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(KEY_PREFIX):
        return payload
    return shorten(payload)


def inline_keyboard(buttons: tuple[Button, ...], shorten: Callable[[str], str]) -> dict:
    """One button per row: titles stay readable on small phones."""
    return {
        "inline_keyboard": [
            [{"text": b.title or b.payload, "callback_data": callback_data(b.payload, shorten)}] for b in buttons
        ]
    }


def render(chat_id: str, answer: Answer, *, shorten: Callable[[str], str]) -> list[tuple[str, dict]]:
    """The sendMessage calls for one answer, in order; the buttons go under the last piece."""
    text = answer.text.strip() or (copy_text("channels", "pick_one") if answer.buttons else "")
    calls: list[tuple[str, dict]] = [
        (SEND, {"chat_id": chat_id, "text": piece}) for piece in split_text(text, TEXT_LIMIT)
    ]
    if answer.buttons and calls:
        calls[-1][1]["reply_markup"] = inline_keyboard(answer.buttons, shorten)
    return calls
