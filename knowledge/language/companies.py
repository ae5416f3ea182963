"""Company names and licence numbers: their comparable form, and finding them in what people type
(the question words around a name cut away). Used by the registry, the vacancy feeds and offer checks."""

from __future__ import annotations

import re
import unicodedata

from knowledge.language import words as informal
from knowledge.language.text import cased_words, fold
from knowledge.language.words import LEGAL_FORMS

P_T = re.compile(r"\bp\s*\.\s*t\s*\.?", re.IGNORECASE)  # "P.T." / "p. t." -> "pt"
_LICENSE_CHARS = re.compile(r"[^0-9A-Z]")
# Shapes of placement licence numbers (SIP3MI, and the older SIPPTKI/SIUP-PPTKIS) as registries print them
# and as people type them (tests/knowledge/language/test_companies.py has the table):
#   KEP.123/PPTKIS/VI/2019   B.456/KA/III/2023   562/KEP/2021        (with slashes)
#   kep 45 pptkis ii 2018    B.31.KA.VII.2022     KEP 123 2019        (spaces, dots or dashes instead)
#   SIP3MI-2024-0077   sip3mi 20240077   SIP 2024 0077   SIPPTKI.2019.0012   (a permit abbreviation and digits)
_YEAR = r"(?:19|20)\d{2}"
_SEP = r"[\s./-]+"
LICENSE_PATTERN = re.compile(
    "|".join(
        [
            r"\b(?:kep|b)[\s.]*\d{1,5}\s*/\s*[a-z0-9./\s-]{2,40}?\d{4}\b",
            rf"\bkep[\s.-]*\d{{1,5}}(?:{_SEP}[a-z0-9]{{1,10}}){{0,4}}{_SEP}{_YEAR}\b",
            rf"\bb[\s.]+\d{{1,5}}(?:{_SEP}[a-z0-9]{{1,10}}){{1,4}}{_SEP}{_YEAR}\b",
            rf"\b\d{{1,5}}\s*/\s*kep(?:\s*/\s*[a-z0-9.-]{{1,12}}){{0,3}}\s*/\s*{_YEAR}\b",
            rf"\b(?:sip3mi|sipptki|siup[\s-]*pptkis|sip)[\s.-]*(?:no\.?\s*)?{_YEAR}[\s.-]*\d{{2,6}}\b",
            r"\b(?:sip3mi|sipptki)[\s.-]*\d{3,10}\b",
        ]
    ),
    re.IGNORECASE,
)


def normalize_name(name: str) -> str:
    """Comparable form of a company name: folded, legal forms ("PT", "CV", "Tbk") dropped."""
    folded = fold(P_T.sub(" pt ", name))
    return " ".join(tok for tok in folded.split() if tok not in LEGAL_FORMS)


def normalize_license(value: str) -> str:
    """Comparable form of a licence number: upper case letters and digits only."""
    return _LICENSE_CHARS.sub("", unicodedata.normalize("NFKC", value).upper())


_PERMIT_PREFIX = re.compile(r"^(?:SIP3MI|SIPPTKI|SIUPPPTKIS|SIP)(?=\d)")


def license_core(value: str) -> str:
    """A licence number without its permit abbreviation ("SIP 2024 0077" and "SIP3MI-2024-0077" -> "20240077")
    when what remains is a long run of digits; '' otherwise (then only the full form is compared)."""
    norm = normalize_license(value)
    core = _PERMIT_PREFIX.sub("", norm)
    return core if core != norm and core.isdigit() and len(core) >= 6 else ""


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


def company_mentions(text: str) -> list[tuple[str, bool]]:
    """Every company named after a marker ("PT ...", "CV ...", "agen ...", "namanya ..."), as (name, taken back).

    A name runs from the word after the marker until a word that is never part of a name ("dr", "situ",
    "katanya", "resmi", "gmn", "kak", "minta", "gaji" ...). "bukan PT A, yang PT B" gives A taken back and B.
    """
    marked = P_T.sub(" pt ", text)
    tokens = fold(marked).split()
    cased = cased_words(marked)
    if len(cased) != len(tokens):
        cased = tokens  # no case to go by (letters that change length when folded)
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token not in NAME_MARKERS and token not in ("namanya", "nama"):
            i += 1
            continue
        start = i + 1
        while (
            token in ("namanya", "nama")
            and start < len(tokens)
            and tokens[start] in FILLER_WORDS
            and tokens[start] not in NAME_MARKERS
        ):
            start += 1  # "namanya itu Bintang Timur"; after "PT" the name starts at once ("PT-nya gak jelas")
        if start < len(tokens) and tokens[start] in ("pt", "cv") and token not in ("pt", "cv"):
            i = start  # "agen PT X": the legal form is the better marker
            continue
        words = []
        for j in range(start, len(tokens)):
            word = tokens[j]
            if _ends_name(word) and not (is_titlecase(cased[start]) and stays_in_name(tokens, cased, j)):
                break
            words.append(word)
        if normalize_name(" ".join(words)):
            name = f"{token} {' '.join(words)}" if token in ("pt", "cv") else " ".join(words)
            taken_back = i > 0 and tokens[i - 1] in informal.TAKE_BACK_WORDS
            out.append((name, taken_back))
        i = start + max(len(words), 0) if words else i + 1
    return out


def _ends_name(word: str) -> bool:
    return word in NAME_STOPS or word in NAME_MARKERS or any(ch.isdigit() for ch in word)


# Stop words that are also common parts of company names when written in title case ("Harapan Kita").
KEEP_IF_TITLECASE = frozenset({"kita", "kami", "bunda", "ibu", "bapak", "jaya", "sama", "bersama", "baru", "ada"})


def is_titlecase(word: str) -> bool:
    """'Kita' (not 'kita', not 'KITA'): a word typed as part of a proper name."""
    return word[:1].isupper() and not word.isupper()


def stays_in_name(words: list[str], cased: list[str], j: int, stops: frozenset[str] | set[str] = frozenset()) -> bool:
    """A stop word that belongs to a written-out name: "PT Harapan Kita Sejahtera", "PT Uji Palsu Jaya",
    "PT Cipta Kerja Nusantara" (title case, and the name goes on after it with another capitalised word:
    "PT Sinar Resmi gak?" still ends at Resmi). `words` are folded, `cased` as written; `stops` are extra
    stop words."""
    if not is_titlecase(cased[j]):
        return False
    if words[j] in KEEP_IF_TITLECASE:
        return True
    if words[j] in _NEVER_IN_NAMES or j + 1 >= len(words):
        return False
    following = words[j + 1]
    return is_titlecase(cased[j + 1]) and not (_ends_name(following) or following in stops)


# Stop words that are never inside a name even when capitalised ("PT Sinar Jaya Di Batam").
_NEVER_IN_NAMES = informal.PREPOSITIONS | informal.PRONOUNS | informal.NEGATIONS | informal.PARTICLES


def named_company(text: str) -> str | None:
    """The company a text names (the last one not taken back: "bukan PT A, maksud saya PT B" -> PT B)."""
    mentions = company_mentions(text)
    kept = [name for name, taken_back in mentions if not taken_back] or [name for name, _ in mentions]
    return kept[-1] if kept else None


def extract_agency_query(text: str) -> str | None:
    """The company name or licence number inside a free-text question, or None when there is none.

    "pt nya resmi gk ya kak namanya Bintang Timur" -> "bintang timur";
    "saya ditawari kerja sama PT Sumber Rejeki dr situ katanya resmi" -> "pt sumber rejeki".
    """
    licences = find_license_numbers(text)
    if licences:
        return licences[-1]
    named = named_company(text)
    if named:
        return named
    rest = " ".join(t for t in fold(P_T.sub(" pt ", text)).split() if t not in FILLER_WORDS)
    return rest if normalize_name(rest) else None


# Intents a classifier sometimes gives a question about a named company ("sy ditawari kerja sama PT X dr situ
# katanya resmi gmn" -> channels); with a company or licence number named and a word about legality, or a
# generic intent whose answer would ignore the name, the message is a check.
_GENERIC_INTENTS = frozenset({"ask_help", "out_of_scope", "greet"})
# ("inform": a bare answer names a company without asking about it; "SIP3MI-2025-0118 masih aktif?" asks.)
_GENERAL_QUESTION_INTENTS = frozenset(
    {"ask_overseas_channels", "ask_overseas_requirements", "ask_placement_cost", "search_vacancy", "inform"}
)
# Words that ask whether a named company may do its job ("bisa berangkatin ke malaysia ga").
_CHECK_WORDS = informal.LEGALITY_WORDS | frozenset(
    """berangkatin memberangkatkan berangkatkan ngirim mengirim menyalurkan nyalurin menempatkan
    bener benar beneran""".split()
)

# After "masih", words about a vacancy or intake still being open ("masih buka", "masih nerima").
_STILL_OPEN_WORDS = frozenset("buka dibuka ada nerima menerima butuh membutuhkan cari mencari".split())


def is_company_check(text: str, intent: str | None, entity_types: set[str]) -> bool:
    """True when a message naming a company or licence number is a check, whatever the classifier said."""
    if intent == "check_agency" or not entity_types & {"agency", "license_number"}:
        return False
    if intent in _GENERIC_INTENTS:
        return True
    words = fold(text).split()
    # "lowongan di PT X masih buka?" asks whether the vacancy is open, not whether the licence still holds
    asked = [
        w for w, after in zip(words, [*words[1:], ""], strict=True) if not (w == "masih" and after in _STILL_OPEN_WORDS)
    ]
    return intent in _GENERAL_QUESTION_INTENTS and any(w in _CHECK_WORDS for w in asked)
