"""Channel-neutral messages: what a channel hands the router; the router hands back `Answer`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge.answers import Answer, Button
from knowledge.storable import storable_text

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
    # A command the adapter chose itself (Telegram's /start -> /greet), not text the user typed: passed on as
    # a command although it was never offered as a button.
    trusted_command: bool = False
    # The gateway's own second try after it stopped mid-turn: a recorded but unanswered message is answered.
    redelivered: bool = False
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # A lone UTF-16 surrogate (from a JSON escape) can be neither stored nor sent on, and PostgreSQL refuses
        # NUL: cleaned here, on whichever channel it came from, so the message is recorded, counted for the
        # rate limit, de-duplicated and answered like any other (the user id is the key of all of those).
        object.__setattr__(self, "user_id", storable_text(self.user_id))
        object.__setattr__(self, "text", storable_text(self.text))
        if self.external_id is not None:
            object.__setattr__(self, "external_id", storable_text(self.external_id))
