"""Recognising one vacancy across sources: the same employer, place and (nearly) the same title."""

from __future__ import annotations

from rapidfuzz import fuzz

from knowledge.language.companies import normalize_name
from knowledge.language.text import fold
from knowledge.vacancies.rows import VacancyRow

# Two titles of one employer at one place this similar (token set) are the same vacancy.
SAME_TITLE_CUTOFF = 90
# Words that say nothing about the job itself ("Dibutuhkan Segera: Welder") in a group key.
_TITLE_NOISE = frozenset(
    (
        "lowongan loker dibutuhkan segera urgent dicari hiring kerja pekerjaan staf staff karyawan tenaga "
        "posisi bagian untuk di yang"
    ).split()
)


def title_key(title: str) -> str:
    """A job title without the noise around it, for recognising one vacancy across sources."""
    return " ".join(w for w in fold(title).split() if w not in _TITLE_NOISE) or fold(title)


def place_key(row: VacancyRow) -> str:
    """Where, for recognising one vacancy across sources."""
    if row.country:
        return f"LN:{fold(row.country)}"
    return row.region_code or (f"P:{row.province_code}:{fold(row.city)}" if row.province_code else fold(row.city))


class Groups:
    """Group keys by (employer, place), so a title spelled differently still finds its group."""

    def __init__(self) -> None:
        self._by_place: dict[str, list[tuple[str, str]]] = {}

    def add(self, group_key: str) -> None:
        employer_place, _, title = group_key.rpartition("|")
        self._by_place.setdefault(employer_place, []).append((title, group_key))

    def key_for(self, row: VacancyRow) -> str:
        employer_place = f"{normalize_name(row.company)}|{place_key(row)}"
        title = title_key(row.title)
        for known_title, key in self._by_place.get(employer_place, ()):
            if known_title == title or fuzz.token_set_ratio(known_title, title) >= SAME_TITLE_CUTOFF:
                return key
        key = f"{employer_place}|{title}"
        self._by_place.setdefault(employer_place, []).append((title, key))
        return key
