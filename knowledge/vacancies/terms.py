"""The words a vacancy can be found by: title words and occupation tags (see knowledge/language/data/jobs.yml)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Protocol

from knowledge.importing import VACANCY_DATASET  # noqa: F401 - re-exported for importers and search
from knowledge.language.vocab import TAG_PREFIX, occupation_tags, title_words

NO_END = date(9999, 12, 31)
NO_START = date(1, 1, 1)


class _HasTitle(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def skills(self) -> str: ...


def terms_for(vacancy: _HasTitle) -> set[str]:
    """Index terms: title words plus occupation tags of the title and skills."""
    return set(_terms(vacancy.title, vacancy.skills))


@lru_cache(maxsize=16384)
def _terms(title: str, skills: str) -> frozenset[str]:
    tags = occupation_tags(title, every_phrase=True) or occupation_tags(skills, every_phrase=True)
    return frozenset({w[:80] for w in title_words(title)} | {TAG_PREFIX + t for t in tags})
