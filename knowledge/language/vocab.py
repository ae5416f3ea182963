"""Vocabularies shared by imports, search and answers: occupations, countries, education levels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.language.text import fold

DATA_DIR = Path(__file__).parent / "data"  # jobs.yml, countries.yml
TAG_PREFIX = "@"  # occupation tags among search terms: "@welder"
# Words too common in job titles to find anything by.
TITLE_STOPWORDS = frozenset(
    "dan atau di ke untuk yang dengan lowongan loker kerja dibutuhkan segera urgent pt cv tbk the and of for a".split()
)
COUNTRY_FUZZY_CUTOFF = 85
WORD_FUZZY_CUTOFF = 84

# Education levels as an order: a vacancy asking for level N suits anyone with level >= N.
EDUCATION_LEVELS: dict[int, str] = {1: "SD", 2: "SMP", 3: "SMA/SMK", 4: "D1–D3", 5: "D4/S1", 6: "S2/S3"}
# Words for each level (a "|" separates them; order does not matter).
_EDUCATION_WORDS = {
    word: level
    for level, words in (
        (1, "sd|sekolah dasar|mi|paket a"),
        (2, "smp|sltp|mts|paket b"),
        (3, "sma|smk|slta|ma|stm|smea|paket c|sederajat"),
        (4, "d1|d2|d3|diploma|diii"),
        (5, "d4|s1|sarjana|strata 1|sarjana terapan"),
        (6, "s2|s3|magister|master|doktor"),
    )
    for word in words.split("|")
}
_ANY_EDUCATION = {"semua jurusan", "tidak ada", "bebas", "semua", "tanpa ijazah", "tidak disyaratkan", "-"}


@dataclass(frozen=True)
class Occupation:
    """An occupation tag with its label and the words people use for it."""

    tag: str
    label: str
    words: tuple[str, ...]


def title_words(text: str) -> set[str]:
    """Searchable words of a job title or training field (folded, no stopwords, at least two characters)."""
    return {w for w in fold(text).split() if len(w) >= 2 and w not in TITLE_STOPWORDS}


@lru_cache(maxsize=1)
def occupations() -> dict[str, Occupation]:
    """Occupation tags from knowledge/language/data/jobs.yml."""
    raw = yaml.safe_load((DATA_DIR / "jobs.yml").read_text(encoding="utf-8"))["occupations"]
    return {tag: Occupation(tag, v["label"], tuple(fold(w) for w in v["words"])) for tag, v in raw.items()}


@lru_cache(maxsize=1)
def _phrase_index() -> tuple[dict[str, set[str]], int]:
    """phrase -> occupation tags, and the longest phrase length in words."""
    index: dict[str, set[str]] = {}
    for occ in occupations().values():
        for word in occ.words:
            index.setdefault(word, set()).add(occ.tag)
    return index, max(len(p.split()) for p in index)


@lru_cache(maxsize=1)
def _lexicon_words() -> list[str]:
    return sorted({w for p in _phrase_index()[0] for w in p.split() if len(w) >= 4})


def correct_words(text: str) -> str:
    """Fold, then replace words one slip away from an occupation word ("operatr" -> "operator")."""
    from rapidfuzz import fuzz, process  # here: find_country and the rest also run in the Rasa process

    words = fold(text).split()
    known = set(_lexicon_words())
    out = []
    for w in words:
        if len(w) >= 5 and w not in known:
            hit = process.extractOne(w, _lexicon_words(), scorer=fuzz.ratio, score_cutoff=WORD_FUZZY_CUTOFF)
            out.append(hit[0] if hit else w)
        else:
            out.append(w)
    return " ".join(out)


@lru_cache(maxsize=16384)
def _tags(text: str, every_phrase: bool) -> frozenset[str]:
    return frozenset(_find_tags(text, every_phrase=every_phrase))


def occupation_tags(text: str, *, every_phrase: bool = False) -> set[str]:
    """Occupation tags named in a text (see `_find_tags`); cached, since titles repeat a lot."""
    return set(_tags(text, every_phrase))


def _find_tags(text: str, *, every_phrase: bool = False) -> set[str]:
    """Occupation tags named in a text.

    For a query, the longest phrases win ("admin gudang" is a warehouse job, not any admin job); for a
    vacancy title (`every_phrase`), every phrase counts, so "Admin Gudang" is found by "admin" too.
    """
    index, longest = _phrase_index()
    words = fold(text).split()
    tags: set[str] = set()
    if every_phrase:
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                tags |= index.get(" ".join(words[i : i + n]), set())
        return tags
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            if phrase in index:
                tags |= index[phrase]
                i += n
                break
        else:
            i += 1
    return tags


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    raw = yaml.safe_load((DATA_DIR / "countries.yml").read_text(encoding="utf-8"))["countries"]
    return {fold(alias): name for name, aliases in raw.items() for alias in [name, *aliases]}


def country_names() -> list[str]:
    """Every country name the bot shows."""
    return sorted(set(_countries().values()))


def normalize_country(text: str) -> str | None:
    """'korsel' -> 'Korea Selatan', 'hk' -> 'Hong Kong'; a typo of a long name too; None when unknown."""
    key = fold(text)
    if not key:
        return None
    if key in _countries():
        return _countries()[key]
    if len(key) >= 5:
        from rapidfuzz import fuzz, process

        hit = process.extractOne(
            key, [k for k in _countries() if len(k) >= 5], scorer=fuzz.ratio, score_cutoff=COUNTRY_FUZZY_CUTOFF
        )
        if hit:
            return _countries()[hit[0]]
    return None


def find_country(text: str) -> str | None:
    """The first destination country named in a message ('kerja ke korsel lwt jalur resmi' -> 'Korea Selatan')."""
    words = fold(text).split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n])
            if phrase in _countries() and (n > 1 or len(phrase) > 2 or phrase in ("hk", "uk")):
                return _countries()[phrase]
    return None


@lru_cache(maxsize=4096)
def education_level(text: str) -> int | None:
    """'SMA/SMK' -> 3, 'minimal D3' -> 4, 'S1 Teknik' -> 5; 0 when any education is accepted; None if unreadable."""
    key = fold(text)
    if not key:
        return None
    if key in _ANY_EDUCATION:
        return 0
    levels = [lvl for word, lvl in _EDUCATION_WORDS.items() if re.search(rf"\b{re.escape(word)}\b", key)]
    return min(levels) if levels else None


def education_label(level: int | None) -> str:
    """Readable label of a level ('' for unknown, 'semua pendidikan' for 0)."""
    if level is None:
        return ""
    return "semua pendidikan" if level == 0 else EDUCATION_LEVELS.get(level, "")
