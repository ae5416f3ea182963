"""Channel-neutral messages: what a channel hands the router, and what the router hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

InputKind = Literal["text", "non_text"]


@dataclass(frozen=True)
class Button:
    """A reply option: what the user sees and what comes back when they pick it."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One bot message."""

    text: str
    buttons: tuple[Button, ...] = ()

    def as_dict(self) -> dict:
        """JSON shape of /api/chat replies."""
        return {"text": self.text, "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons]}


@dataclass(frozen=True)
class Incoming:
    """A user's message as any channel delivers it."""

    channel: str
    user_id: str
    text: str = ""
    kind: InputKind = "text"
    external_id: str | None = None      # Telegram update_id / WhatsApp message id, for de-duplication
    meta: dict = field(default_factory=dict, compare=False)
