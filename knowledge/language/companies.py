"""Company names and licence numbers: their comparable form, and finding them in what people type
(the question words around a name cut away). Used by the registry, the vacancy feeds and offer checks."""

from __future__ import annotations

import re
import unicodedata

from knowledge.language import words as informal
from knowledge.language.text import fold
from knowledge.language.words import LEGAL_FORMS

P_T = re.compile(r"\bp\s*\.\s*t\s*\.?", re.IGNORECASE)  # "P.T." / "p. t." -> "pt"
_LICENSE_CHARS = re.compile(r"[^0-9A-Z]")
# Shapes of licence numbers seen in registries: KEP.123/PPTKIS/VI/2019, B.456/KA/III/2023, SIP3MI-2024-0077.
LICENSE_PATTERN = re.compile(
    r"\b(?:kep|b)[\s.]*\d{1,5}\s*/\s*[a-z0-9./\s-]{2,40}?\d{4}\b"
    r"|\bsip3mi[\s-]*\d{4}[\s-]*\d{2,6}\b"
    r"|\b(?:kep|b)[\s.]+\d{1,5}(?:[\s./-]+[a-z0-9]{1,10}){1,5}[\s./-]+\d{4}\b",
    re.IGNORECASE,
)


def normalize_name(name: str) -> str:
    """Comparable form of a company name: folded, legal forms ("PT", "CV", "Tbk") dropped."""
    folded = fold(P_T.sub(" pt ", name))
    return " ".join(tok for tok in folded.split() if tok not in LEGAL_FORMS)


def normalize_license(value: str) -> str:
    """Comparable form of a licence number: upper case letters and digits only."""
    return _LICENSE_CHARS.sub("", unicodedata.normalize("NFKC", value).upper())


def find_license_numbers(text: str) -> list[str]:
    """Licence-number-shaped substrings of a message, as written."""
    return [m.group(0).strip() for m in LICENSE_PATTERN.finditer(text)]


FILLER_WORDS = informal.NAME_FILLERS
NAME_STOPS = informal.NAME_STOPS
NAME_MARKERS = informal.NAME_MARKERS


def strip_filler(text: str) -> str:
    """Drop question words around a name ("cek", "resmi gak", "kak") from both ends, keep the middle."""
    tokens = fold(text).split()
    while tokens and tokens[0] in FILLER_WORDS and tokens[0] not in ("pt", "cv"):
        tokens.pop(0)
    while tokens and tokens[-1] in FILLER_WORDS:
        tokens.pop()
    return " ".join(tokens)


def extract_agency_query(text: str) -> str | None:
    """The company name or licence number inside a free-text question, or None when there is none.

    "pt nya resmi gk ya kak namanya Bintang Timur" -> "bintang timur";
    "saya ditawari kerja sama PT Sumber Rejeki itu resmi?" -> "pt sumber rejeki".
    """
    licences = find_license_numbers(text)
    if licences:
        return licences[0]
    tokens = fold(P_T.sub(" pt ", text)).split()
    # Prefer what follows the last name marker ("PT ...", "agen ...", "namanya ...").
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in NAME_MARKERS or tokens[i] in ("namanya", "nama"):
            tail = _leading_name(tokens[i + 1 :])
            if tail:
                keep_pt = tokens[i] in ("pt", "cv")
                return f"{tokens[i]} {tail}" if keep_pt else tail
    rest = " ".join(t for t in tokens if t not in FILLER_WORDS)
    return rest if normalize_name(rest) else None


def named_company(text: str) -> str | None:
    """A company named after a marker ("PT ...", "agen ...", "PJTKI ...") in a longer text, or None."""
    tokens = fold(P_T.sub(" pt ", text)).split()
    for i, token in enumerate(tokens):
        if token in NAME_MARKERS:
            words = []
            for word in tokens[i + 1 :]:  # the name starts right after the marker ("PT-nya gak jelas" names none)
                if word in NAME_STOPS or word in NAME_MARKERS or any(ch.isdigit() for ch in word):
                    break
                words.append(word)
            if normalize_name(" ".join(words)):
                return f"{token} {' '.join(words)}" if token in ("pt", "cv") else " ".join(words)
    return None


def _leading_name(tokens: list[str]) -> str:
    """The run of non-filler words at the start of `tokens` (skipping filler right after the marker)."""
    start = 0
    while start < len(tokens) and tokens[start] in FILLER_WORDS and tokens[start] not in NAME_MARKERS:
        start += 1
    words = []
    for tok in tokens[start:]:
        if tok in FILLER_WORDS:
            break
        words.append(tok)
    return " ".join(words)
