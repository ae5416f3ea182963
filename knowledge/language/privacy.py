"""Personal numbers in text: Indonesian phone numbers (phonenumbers), NIKs (python-stdnum), passport
numbers and other long numbers (bank accounts, cards) -- found to mask them in logs and transcripts shown
to staff, and to warn a user who typed one into the chat.

Dates, licence numbers (KEP.771/PPTKIS/III/2020), amounts and the short hotline numbers are not personal
and stay readable.

The same masker runs inside the Rasa process (nlu/logfilter.py, Python 3.10), whose environment has neither
phonenumbers nor python-stdnum: there phone numbers are found by their Indonesian shape instead, and every
16-digit run counts as a NIK.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

# 16 digits, possibly grouped by spaces, dots or dashes: the shape of a NIK (valid or mistyped).
_SIXTEEN = re.compile(r"(?<![\d])(?:\d[ .-]?){15}\d(?![\d])")
# Any other run of 10+ digits (a bank account or card number), possibly grouped.
_LONG_NUMBER = re.compile(r"(?<![\w])(?:\d[ .-]?){9,}\d(?![\d])")
# Indonesian passports: one or two letters and 6-8 digits (A1234567, AB123456).
_PASSPORT = re.compile(r"(?<![\w/.-])[A-Z]{1,2}\d{6,8}(?![\w/])", re.IGNORECASE)
# An Indonesian phone number by shape: 0, 62 or +62, then 8-12 more digits, possibly grouped.
_PHONE_SHAPE = re.compile(r"(?<![\w+])(?:\+62|62|0)(?:[ .()-]{0,2}\d){8,12}(?![\d])")
_MARKS = {"nik": "[NIK]", "phone": "[TELP]", "passport": "[PASPOR]", "number": "[NOMOR]"}


@dataclass(frozen=True)
class PersonalNumber:
    """One personal number found in a text: its kind, its span and whether its checks pass."""

    kind: str  # "nik" | "phone" | "passport" | "number"
    start: int
    end: int
    valid: bool = True


@lru_cache(maxsize=1)
def _libraries() -> tuple[ModuleType, ModuleType] | None:
    """(phonenumbers, stdnum.id.nik), or None where they are not installed (the Rasa process)."""
    try:
        import phonenumbers
        from stdnum.id import nik
    except ImportError:
        return None
    return phonenumbers, nik


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    libraries = _libraries()
    if libraries is None:
        yield from (m.span() for m in _PHONE_SHAPE.finditer(text))
        return
    phonenumbers = libraries[0]
    for match in phonenumbers.PhoneNumberMatcher(text, "ID", leniency=phonenumbers.Leniency.VALID):
        yield match.start, match.end


def _nik_valid(digits: str) -> bool:
    libraries = _libraries()
    return True if libraries is None else bool(libraries[1].is_valid(digits))


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
        add("nik", m.start(), m.end(), _nik_valid(digits))
    for start, end in _phone_spans(text):
        add("phone", start, end)
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


def staff_view(text: str) -> str:
    """A transcript line as staff read it by default (stored beside the text when the line is recorded)."""
    return mask_pii(text)


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
