"""Channel-neutral messages: what a channel hands the router; the router hands back `Answer`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge.answers import Answer, Button

__all__ = ["Answer", "Button", "Incoming", "InputKind"]

InputKind = Literal["text", "non_text"]


@dataclass(frozen=True)
class Incoming:
    """A user's message as any channel delivers it."""

    channel: str
    user_id: str
    text: str = ""
    kind: InputKind = "text"
    external_id: str | None = None  # Telegram update_id / WhatsApp message id, for de-duplication
    meta: dict = field(default_factory=dict, compare=False)
