"""The words a vacancy can be found by: title words and occupation tags (see knowledge/data/jobs.yml)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Protocol

from knowledge.text import fold
from knowledge.vocab import occupation_tags

VACANCY_DATASET = "vacancies"
NO_END = date(9999, 12, 31)
NO_START = date(1, 1, 1)
TAG_PREFIX = "@"
# Words too common in titles to find anything by.
STOPWORDS = frozenset({"dan", "atau", "di", "ke", "untuk", "yang", "dengan", "lowongan", "loker", "kerja", "dibutuhkan",
                       "segera", "urgent", "pt", "cv", "tbk", "the", "and", "of", "for", "a"})


class _HasTitle(Protocol):
    title: str
    skills: str


def title_words(text: str) -> set[str]:
    """Searchable words of a text (folded, no stopwords, at least two characters)."""
    return {w for w in fold(text).split() if len(w) >= 2 and w not in STOPWORDS}


def terms_for(vacancy: _HasTitle) -> set[str]:
    """Index terms: title words plus occupation tags of the title and skills."""
    return set(_terms(vacancy.title, vacancy.skills))


@lru_cache(maxsize=16384)
def _terms(title: str, skills: str) -> frozenset[str]:
    tags = occupation_tags(title, every_phrase=True) or occupation_tags(skills, every_phrase=True)
    return frozenset({w[:80] for w in title_words(title)} | {TAG_PREFIX + t for t in tags})
