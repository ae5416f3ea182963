"""What the bot says, channel-neutral: one `Answer(text, buttons)` type, button payloads, and the copy
(wording, no facts) in knowledge/messages/<feature>.yml."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_DIR = Path(__file__).parent / "messages"
MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit
PAYLOAD_MORE = "/show_more"  # "lihat lagi": the next page of the last list


@dataclass(frozen=True)
class Button:
    """A reply option: what the user sees and what comes back when they pick it."""

    title: str
    payload: str


@dataclass(frozen=True)
class Answer:
    """One bot message: its text and its buttons."""

    text: str
    buttons: tuple[Button, ...] = ()

    def with_text(self, text: str) -> Answer:
        """The same buttons under another text."""
        return Answer(text, self.buttons)

    def plus(self, paragraph: str, *buttons: Button) -> Answer:
        """This answer with one more paragraph (and buttons) at the end."""
        return Answer(f"{self.text}\n\n{paragraph}" if paragraph else self.text, (*self.buttons, *buttons))

    def button_dicts(self) -> list[dict[str, str]]:
        """Buttons as Rasa and the channels expect them."""
        return [{"title": b.title, "payload": b.payload} for b in self.buttons]

    def as_dict(self) -> dict[str, Any]:
        """JSON shape of a reply in /api/chat (CONTRACTS.md)."""
        return {"text": self.text, "buttons": self.button_dicts()}


def payload(intent: str, **entities: str) -> str:
    """'/intent{"job":"las"}', or just '/intent' when the entities would pass the 64-byte limit."""
    if not entities:
        return f"/{intent}"
    full = f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
    return full if len(full.encode()) <= MAX_PAYLOAD_BYTES else f"/{intent}"


@cache
def load_copy(feature: str) -> dict[str, Any]:
    """The parsed `knowledge/messages/<feature>.yml`."""
    data = yaml.safe_load((MESSAGES_DIR / f"{feature}.yml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"knowledge/messages/{feature}.yml must be a mapping of message keys")
    return data


def copy_text(feature: str, key: str, **fmt: Any) -> str:
    """One message of a feature by key, formatted."""
    return str(load_copy(feature)[key]).format(**fmt)


def rupiah(amount: int) -> str:
    """4600000 -> '4.600.000' (Indonesian thousands separators; the caller writes 'Rp')."""
    return f"{amount:,}".replace(",", ".")
