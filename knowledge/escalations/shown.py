"""What staff read by default (CONTRACTS.md "Personal numbers"): transcript lines as the masked copy stored
beside each line, user ids without the phone number a WhatsApp id is, details masked.

Lines stored before that copy existed (text_masked NULL) are masked here, in the worker thread that read
them, newest first and within a budget per page; past the budget every digit of such a line is hidden, so a
page of huge old lines can neither leak a number nor cost more than about a second. Nothing here may run on
the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from knowledge.language.privacy import mask_pii, staff_view
from knowledge.transcripts import TranscriptLine

OLD_LINES_CHARS = 2_000_000  # characters of old, unmasked lines masked per page (well under a second)
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = str.maketrans("0123456789", "•" * 10)


def shown_user_id(channel: str, user_id: str, revealed: bool = False) -> str:
    """A user id as staff see it: a WhatsApp id is a phone number, so only its last digits unless revealed."""
    if revealed:
        return user_id
    if channel == "whatsapp":
        return "•••" + user_id[-4:]
    return mask_pii(user_id)


def hide_digits(text: str) -> str:
    """Every digit replaced by a dot: the safe view of a line too long to mask within a page's budget."""
    return text.translate(_ASCII_DIGITS) if text.isascii() else _DIGIT.sub("•", text)


def staff_lines(
    lines: Sequence[TranscriptLine], *, revealed: bool = False, budget: int = OLD_LINES_CHARS
) -> list[TranscriptLine]:
    """The lines with `text` as staff read it (and `text_masked` the same): the stored masked copy, or the
    clear text when this staff member revealed the numbers (audited)."""
    if revealed:
        return list(lines)
    shown: list[TranscriptLine] = []
    for line in reversed(lines):  # the newest lines matter most: they get the budget first
        text = line.text_masked
        if text is None and len(line.text) <= budget:
            budget -= len(line.text)
            text = staff_view(line.text)
        elif text is None:
            text = hide_digits(line.text)
        shown.append(replace(line, text=text, text_masked=text))
    return shown[::-1]


def masked(value: object) -> object:
    """Details as staff read them: every text with personal numbers masked."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value
