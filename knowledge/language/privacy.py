"""Personal numbers in text -- NIKs, passport numbers, phone numbers (Indonesian or foreign, any common
grouping) and other long numbers (bank accounts, cards) -- found to mask them in logs, in what staff read
and in the staff API, and to warn a user who typed one into the chat (CONTRACTS.md "Personal numbers").

Dates, times, amounts ("Rp 25.000.000"), licence numbers (KEP.771/PPTKIS/III/2020), years, short numbers
and the official contact numbers the bot itself gives (knowledge/content/contacts.yml) stay readable.

One pass of cheap regular expressions, linear in the text, then a few steps of Python per run of digit
groups: no phone library in the loop (phonenumbers' matcher took seconds on long digit-heavy lines). The
same code runs inside the Rasa process (nlu/logfilter.py, Python 3.10, standard library only); where
python-stdnum is installed a NIK's checks also say whether it is a valid one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from types import ModuleType

CONTACTS = Path(__file__).resolve().parents[1] / "content" / "contacts.yml"
_MARKS = {"nik": "[NIK]", "phone": "[TELP]", "passport": "[PASPOR]", "number": "[NOMOR]"}
_BLANK = "\ue000"  # stands in for protected text while searching: neither a digit, a letter nor a separator
_S = r"[ \t\u00a0]"

# Readable on purpose: amounts grouped by thousands, dates, clock times, IPv4 addresses (an amount after a
# currency is recognised by its run's prefix, see _CURRENCY).
_PROTECTED = re.compile(
    r"(?<![\d.,:/-])(?:[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?"
    r"|\d{1,2}([-./])\d{1,2}\1(?:19|20)\d\d|(?:19|20)\d\d([-./])\d{1,2}\2\d{1,2}"
    r"|(?:[01]?\d|2[0-3])[.:][0-5]\d|\d{1,3}(?:\.\d{1,3}){3})(?![\d]|[.,:/-]\d)"
)
_UUID = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])")
_CURRENCY = re.compile(r"(?i)(?:\b(?:rp|idr|rm|myr|usd|sgd|hkd|twd|ntd|sar)\.?|\$)[ \t\u00a0]?$")
# A letter and 7 digits ("C1234567", "C 1234567", after "no." too), or two letters and 6-8 digits;
# "Rp1500000" is an amount, not a passport.
_PASSPORT = re.compile(
    r"(?<![\w/-])(?:(?!(?i:rp|rm|rs|nt|sr|no)\d)[A-Za-z]{1,2}\d{6,8}|[A-Z]" + _S + r"\d{7})(?![\w/])"
)
# Digit groups joined by what people put inside a number: spaces, "-", ".", "/" (spaced too), brackets.
_SEP = rf"(?:{_S}{{0,2}}[-./\u2013]{_S}{{0,2}}|{_S}?[()]{_S}?(?:[-.]{_S}?)?|{_S}{{1,2}})"
_RUN = re.compile(rf"(?<![\d+])(?:\(?\+{_S}?|\()?\d+(?:{_SEP}\d+)*")
_DIGITS = re.compile(r"\d+")
# Digits glued to letters are a code ("SIP3MI", a hex id), unless the letters say what follows ("hp0812...").
_GLUED = re.compile(r"(?i)(?<![a-z])(?:hp|wa|telp|tlp|tel|no|nomor|nmr|nik|ktp|rek|norek|paspor)$")
# Words that make a short run of digits a phone number ("wa 91234567", "telp majikan 765 4321").
_PHONE_WORD = re.compile(
    r"(?i)\b(?:wa|whatsapp|hp|telp|telpon|telepon|tlp|tel|ponsel|handphone|kontak|phone|call|sms)\b"
    r"(?:\W{1,4}[^\W\d]{1,12}){0,2}\W{1,4}$"
)


@dataclass(frozen=True)
class PersonalNumber:
    """One personal number found in a text: its kind, its span and whether its checks pass."""

    kind: str  # "nik" | "phone" | "passport" | "number"
    start: int
    end: int
    digits: str = ""

    @property
    def valid(self) -> bool:
        """Whether a NIK's checks pass (python-stdnum; True where it is missing); True for other kinds."""
        return self.kind != "nik" or _nik_valid(self.digits)


@lru_cache(maxsize=1)
def _libraries() -> ModuleType | None:
    """stdnum.id.nik, or None where python-stdnum is not installed (the Rasa process)."""
    try:
        from stdnum.id import nik
    except ImportError:
        return None
    return nik


def _nik_valid(digits: str) -> bool:
    nik = _libraries()
    return True if nik is None else bool(nik.is_valid(digits))


def _national(digits: str) -> str:
    """A phone number's digits without its international or trunk prefix (+62 21 ... and 021 ... agree)."""
    for prefix in ("0062", "62", "00", "0"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


@lru_cache(maxsize=1)
def official_numbers() -> frozenset[str]:
    """The contact numbers the bot itself gives (contacts.yml), as national digits: never masked."""
    try:
        text = CONTACTS.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    lines = [line for line in text.splitlines() if line.lstrip().startswith("text:")]
    found = set()
    for run in _RUN.finditer(_PROTECTED.sub(_blank, "\n".join(lines))):
        digits = "".join(_DIGITS.findall(run.group(0)))
        if len(digits) >= 5:
            found.add(_national(digits))
    return frozenset(found)


def _blank(m: re.Match[str]) -> str:
    return _BLANK * (m.end() - m.start())


def _phone_shaped(digits: str, plus: bool) -> bool:
    """Lengths of phone numbers: international (+ or 00), Indonesian without + (62 8...), national (0...)."""
    if plus:
        return 8 <= len(digits) <= 15
    if digits.startswith("00"):
        return 10 <= len(digits) <= 17
    if digits.startswith("628"):
        return 10 <= len(digits) <= 15
    return digits.startswith("0") and 9 <= len(digits) <= 13


def _scan_run(text: str, run: re.Match[str], found: list[PersonalNumber]) -> None:
    """Personal numbers inside one run of digit groups, added to `found` in order (linear in the run)."""
    spans = [m.span() for m in _DIGITS.finditer(text, run.start(), run.end())]
    counts = [0, *accumulate(b - a for a, b in spans)]  # digits before each group
    if counts[-1] < 7:  # too short for anything personal (the common case in prose)
        return
    n, has_slash = len(spans), text.find("/", run.start(), run.end()) >= 0
    chain_end = [n - 1] * n  # a chain: groups of one number as people group it; "/" splits chains
    if has_slash:
        last = n - 1
        for k in range(n - 2, -1, -1):
            if "/" in text[spans[k][1] : spans[k + 1][0]]:
                last = k
            chain_end[k] = last
    prefix, before = text[run.start() : spans[0][0]], text[max(0, run.start() - 6) : run.start()]
    i = 0
    if _CURRENCY.search(before):  # "Rp 25000000": an amount
        i = 1
    elif before[-1:].isalpha() and not _GLUED.search(before):
        i = chain_end[0] + 1
    while i < n:
        j = chain_end[i]
        size, plus = counts[j + 1] - counts[i], i == 0 and "+" in prefix
        if size >= 10 or (plus and size >= 8):
            number = "".join(text[a:b] for a, b in spans[i : j + 1])
            kind = "phone" if _phone_shaped(number, plus) else "nik" if size == 16 else "number"
        elif j == i and has_slash and _slashed_nik(text, spans, i) > i:
            j, kind = _slashed_nik(text, spans, i), "nik"
        elif size >= 7 and _short_phone(text, run.start() if i == 0 else spans[i][0], spans[i : j + 1]):
            kind = "phone"
        else:
            i += 1
            continue
        _add(text, run, spans, i, j, kind, found)
        i = j + 1


def _add(
    text: str, run: re.Match[str], spans: list[tuple[int, int]], first: int, last: int, kind: str, found: list
) -> None:
    number = "".join(text[a:b] for a, b in spans[first : last + 1])
    if kind != "nik" and _national(number) in official_numbers():
        return
    start, end = spans[first][0], spans[last][1]
    if first == 0:  # "+62 ...", "(0812) ...": from the sign or the bracket
        prefix = text[run.start() : start]
        if "(" in prefix and ")" in text[start:end]:
            start = run.start()
        elif "+" in prefix:
            start = run.start() + prefix.index("+")
    found.append(PersonalNumber(kind, start, end, number))


def _slashed_nik(text: str, spans: list[tuple[int, int]], i: int) -> int:
    """The last group of a NIK from group i whose groups of 2+ digits are split by "/" ("3201/0101/0190/0001"),
    or i when there is none."""
    total = 0
    for k in range(i, min(len(spans), i + 8)):
        a, b = spans[k]
        if b - a < 2 or (k > i and "/" not in text[spans[k - 1][1] : a]):
            return i
        total += b - a
        if total >= 16:
            return k if total == 16 and text[spans[i][0]] != "0" else i
    return i


def _short_phone(text: str, start: int, spans: list[tuple[int, int]]) -> bool:
    """7-9 digits that are a phone number: "0" and 8 more, a Hong Kong or Singapore number in two groups of
    four ("9123 4567", "6123-4567"), or any such number after a word like "wa" or "telp"."""
    number = "".join(text[a:b] for a, b in spans)
    if _phone_shaped(number, False):
        return True
    if len(spans) == 2 and len(number) == 8 and spans[0][1] - spans[0][0] == 4 and number[0] in "3456789":
        return text[spans[0][1] : spans[1][0]].strip(" \t\u00a0") in ("", "-", ".")
    return _PHONE_WORD.search(text, max(0, start - 30), start) is not None


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Personal numbers in a text, in reading order, without overlaps (linear in the text's length)."""
    if _DIGITS.search(text) is None:
        return []
    work = _PROTECTED.sub(_blank, text)
    if work.count("-") >= 4:  # request and user ids: not personal
        work = _UUID.sub(_blank, work)
    found = [PersonalNumber("passport", m.start(), m.end()) for m in _PASSPORT.finditer(work)]
    if found:
        work = _PASSPORT.sub(_blank, work)
    for run in _RUN.finditer(work):
        if run.end() - run.start() >= 7:  # shorter runs hold fewer than 7 digits: nothing personal
            _scan_run(work, run, found)
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
