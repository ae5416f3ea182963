"""Personal numbers in text: Indonesian phone numbers (phonenumbers), NIKs (python-stdnum), passport
numbers and other long numbers (bank accounts, cards) -- found to mask them in logs and transcripts shown
to staff, and to warn a user who typed one into the chat.

Dates, licence numbers (KEP.771/PPTKIS/III/2020), amounts and the short hotline numbers are not personal
and stay readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum.id import nik

# 16 digits, possibly grouped by spaces, dots or dashes: the shape of a NIK (valid or mistyped).
_SIXTEEN = re.compile(r"(?<![\d])(?:\d[ .-]?){15}\d(?![\d])")
# Any other run of 10+ digits (a bank account or card number), possibly grouped.
_LONG_NUMBER = re.compile(r"(?<![\w])(?:\d[ .-]?){9,}\d(?![\d])")
# Indonesian passports: one or two letters and 6-8 digits (A1234567, AB123456).
_PASSPORT = re.compile(r"(?<![\w/.-])[A-Z]{1,2}\d{6,8}(?![\w/])", re.IGNORECASE)
_MARKS = {"nik": "[NIK]", "phone": "[TELP]", "passport": "[PASPOR]", "number": "[NOMOR]"}


@dataclass(frozen=True)
class PersonalNumber:
    """One personal number found in a text: its kind, its span and whether its checks pass."""

    kind: str  # "nik" | "phone" | "passport" | "number"
    start: int
    end: int
    valid: bool = True


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Personal numbers in a text, in reading order, without overlaps."""
    found: list[PersonalNumber] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, valid: bool = True) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(PersonalNumber(kind, start, end, valid))

    for m in _SIXTEEN.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        add("nik", m.start(), m.end(), nik.is_valid(digits))
    for match in phonenumbers.PhoneNumberMatcher(text, "ID", leniency=phonenumbers.Leniency.VALID):
        add("phone", match.start, match.end)
    for m in _PASSPORT.finditer(text):
        if any(ch.isalpha() for ch in m.group(0)[:1]):
            add("passport", m.start(), m.end())
    for m in _LONG_NUMBER.finditer(text):
        add("number", m.start(), m.end())
    return sorted(found, key=lambda p: p.start)


def mask_pii(text: str) -> str:
    """The text with every personal number replaced by a mark ([NIK], [TELP], [PASPOR], [NOMOR])."""
    out, last = [], 0
    for p in find_personal_numbers(text):
        out += [text[last : p.start], _MARKS[p.kind]]
        last = p.end
    out.append(text[last:])
    return "".join(out)


def identity_numbers(text: str) -> list[str]:
    """NIK-like and passport-like numbers the user typed (never to be asked for, repeated or stored)."""
    return [text[p.start : p.end] for p in find_personal_numbers(text) if p.kind in ("nik", "passport")]


IDENTITY_MARK = "[nomor identitas disembunyikan]"


def hide_identity_numbers(text: str) -> str:
    """The text with NIK-like and passport-like numbers replaced (what the bot and its logs may see)."""
    out, last = [], 0
    for p in find_personal_numbers(text):
        if p.kind in ("nik", "passport"):
            out += [text[last : p.start], IDENTITY_MARK]
            last = p.end
    out.append(text[last:])
    return "".join(out)
