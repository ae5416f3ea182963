"""Cleaning user text before Rasa sees it (masking personal numbers lives in knowledge.language.privacy)."""

from __future__ import annotations

import re
import unicodedata

from knowledge.language.privacy import mask_pii

__all__ = ["clean_text", "has_words", "looks_like_command", "mask_pii", "strip_leading_slashes"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t]+")
# /intent or /intent{"entity": "value"} as Rasa reads it.
_COMMAND = re.compile(r"^/[A-Za-z_][\w]*(\{.*\})?$", re.DOTALL)


def clean_text(text: str) -> str:
    """Unicode-normalised text without control characters, runs of spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return text.strip()


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only emoji, symbols, punctuation)."""
    return any(ch.isalnum() for ch in text)


def looks_like_command(text: str) -> bool:
    """True for text Rasa would treat as an intent command ('/intent' or '/intent{...}')."""
    return bool(_COMMAND.match(text))


def strip_leading_slashes(text: str) -> str:
    """Free text must never reach Rasa as a command: drop leading '/' characters."""
    return text.lstrip("/").lstrip()
