"""Cleaning user text before Rasa sees it, and masking personal numbers before anything is logged."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t]+")
# /intent or /intent{"entity": "value"} as Rasa reads it.
_COMMAND = re.compile(r"^/[A-Za-z_][\w]*(\{.*\})?$", re.DOTALL)
# 16-digit NIK (possibly spaced) and phone-like runs: +62 812-3456-7890, 0812 3456 7890, 62812...
_NIK = re.compile(r"(?<!\d)(?:\d[ .-]?){15}\d(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+?\d[\d ().-]{6,}\d)(?!\d)")


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


def mask_pii(text: str) -> str:
    """Replace NIK-like and phone-like numbers with a mask (for logs)."""
    text = _NIK.sub("[NIK]", text)
    return _PHONE.sub(lambda m: "[TELP]" if sum(ch.isdigit() for ch in m.group(0)) >= 8 else m.group(0), text)
