"""Region gazetteer of Indonesia (38 provinces, 514 kabupaten/kota) and a resolver for places as people type them.

Data: knowledge/places/data/regions.csv (official list, see SOURCE.md) and aliases.yml (hand-written informal
names). Resolution order: official/short name -> alias -> rapidfuzz, with "kab"/"kota"/"prov" prefixes
choosing the kind ("kab bekasi" is only Kabupaten Bekasi, plain "bekasi" is both).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.language.text import TOKEN, fold
from knowledge.places.words import (
    AMBIGUOUS_KEYS,
    CONTEXT_MARKERS,
    FUZZY_STOPWORDS,
    KIND_PREFIXES,
    LOCATION_MARKERS,
    TRAILING_FILLERS,
    WINDOW_SKIP_START,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("provinsi", "kabupaten", "kota")

RESOLVE_FUZZY_CUTOFF = 85.0  # a whole query meant as a place: "surabya", "semarag", "makasar"
TEXT_FUZZY_CUTOFF = 92.0  # a word in a message, right after "di"/"ke"/"loker"...: one letter off in 7+
FUZZY_MIN_LENGTH = 5  # shorter words are never fuzzy-matched
MAX_WINDOW = 4  # longest place name looked for in a message, in words


@dataclass(frozen=True)
class Region:
    """A province or a kabupaten/kota of the official list."""

    code: str
    kind: str  # "provinsi" | "kabupaten" | "kota"
    name: str
    short_name: str
    province_code: str
    province_name: str


@dataclass(frozen=True)
class RegionMatch:
    """A place found in what the user wrote, with every region it can denote."""

    text: str
    regions: tuple[Region, ...]
    how: str  # "exact" | "alias" | "fuzzy"
    score: float
    start: int | None = None  # where `text` starts in the message (find_in_text only)


def _split_prefix(words: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The kind named by a leading "kab"/"kota"/"prov" prefix, and the words after it."""
    for prefix, kind in KIND_PREFIXES:
        if words[: len(prefix)] == prefix:
            return kind, words[len(prefix) :]
    return None, words


class Gazetteer:
    """Lookup of Indonesian provinces and kabupaten/kota by code, official name, alias or typo."""

    def __init__(self, regions: Iterable[Region], aliases: Mapping[str, Iterable[str]]) -> None:
        self._regions: dict[str, Region] = {}
        for region in regions:
            if region.kind not in KINDS:
                raise ValueError(f"{region.code}: unknown kind {region.kind!r}")
            if region.code in self._regions:
                raise ValueError(f"duplicate region code {region.code}")
            self._regions[region.code] = region
        self._order = {code: i for i, code in enumerate(self._regions)}
        self._by_province: dict[str, list[Region]] = {}
        for region in self._regions.values():
            if region.province_code not in self._regions:
                raise ValueError(f"{region.code}: unknown province {region.province_code}")
            if self._regions[region.province_code].kind != "provinsi":
                raise ValueError(f"{region.code}: {region.province_code} is not a province")
            if region.kind != "provinsi":
                self._by_province.setdefault(region.province_code, []).append(region)
        self._names: dict[str, set[str]] = {}
        for region in self._regions.values():
            keys = {fold(region.short_name)} | ({fold(region.name)} if region.kind == "provinsi" else set())
            for key in keys:
                self._names.setdefault(key, set()).add(region.code)
        self._aliases: dict[str, set[str]] = {}
        for key, codes in aliases.items():
            codes = list(codes)
            bad = [c for c in codes if not isinstance(c, str) or c not in self._regions]
            if bad or not codes or not fold(str(key)):
                raise ValueError(f"alias {key!r}: unknown or missing region codes {bad or codes}")
            self._aliases.setdefault(fold(str(key)), set()).update(codes)
        self._fuzzy_all: dict[str, list[str]] = {}
        self._fuzzy_text: dict[str, list[str]] = {}
        for key in sorted(set(self._names) | set(self._aliases)):
            if len(key.replace(" ", "")) < FUZZY_MIN_LENGTH:
                continue
            self._fuzzy_all.setdefault(key[0], []).append(key)
            if " " not in key and key not in AMBIGUOUS_KEYS:
                self._fuzzy_text.setdefault(key[0], []).append(key)

    @classmethod
    def from_files(cls, data_dir: Path = DATA_DIR) -> Gazetteer:
        """Load regions.csv and aliases.yml from a folder."""
        with (data_dir / "regions.csv").open(encoding="utf-8", newline="") as fh:
            regions = [Region(**row) for row in csv.DictReader(fh)]
        aliases = yaml.safe_load((data_dir / "aliases.yml").read_text(encoding="utf-8")) or {}
        return cls(regions, aliases)

    # -- plain lookups -------------------------------------------------------------------------------
    @property
    def regions(self) -> list[Region]:
        """Every province and kabupaten/kota, in code order."""
        return list(self._regions.values())

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Normalised alias -> region codes (a copy)."""
        return {key: self._sorted(codes) for key, codes in self._aliases.items()}

    def get(self, code: str) -> Region:
        """The region with this code ("31", "31.74"); KeyError when unknown."""
        try:
            return self._regions[code]
        except KeyError:
            raise KeyError(f"unknown region code {code!r}") from None

    def province_of(self, region: Region) -> Region:
        """The province a region belongs to (a province is its own)."""
        return self.get(region.province_code)

    def regions_in_province(self, province_code: str) -> list[Region]:
        """The kabupaten/kota of a province, in code order."""
        if self.get(province_code).kind != "provinsi":
            raise KeyError(f"{province_code!r} is not a province code")
        return list(self._by_province.get(province_code, []))

    def expand(self, regions: Iterable[Region | str]) -> set[str]:
        """Kabupaten/kota codes covered: a province expands to all its regencies, a regency to itself."""
        codes: set[str] = set()
        for item in regions:
            region = self.get(item) if isinstance(item, str) else item
            if region.kind == "provinsi":
                codes.update(r.code for r in self._by_province.get(region.code, []))
            else:
                codes.add(region.code)
        return codes

    # -- resolving -----------------------------------------------------------------------------------
    def resolve(self, text: str) -> RegionMatch | None:
        """The regions a location typed on its own denotes ("kab. bekasi", "jaksel", "surabya"), or None."""
        words = tuple(fold(text).split())
        hit = self._lookup(words) if words else None
        if hit is None:
            words = self._trim(words)
            hit = (self._lookup(words) or self._fuzzy(words)) if words else None
        if hit is None:
            # "cikarang barat", "Batam, Kepri": one place, or nested places (the narrowest is kept)
            found = sorted(self.find_in_text(text), key=lambda m: len(self.expand(m.regions)))
            inner = self.expand(found[0].regions) if found else set()
            return found[0] if found and all(inner <= self.expand(m.regions) for m in found) else None
        codes, how, score = hit
        return RegionMatch(text.strip(), tuple(self._regions[c] for c in codes), how, score)

    def find_in_text(self, text: str) -> list[RegionMatch]:
        """Places mentioned in a message, longest name first, without overlaps, in reading order."""
        tokens = [(m.start(), m.end(), fold(m.group())) for m in TOKEN.finditer(text)]
        words = [t[2] for t in tokens]
        used = [False] * len(words)
        found: list[tuple[int, RegionMatch]] = []

        def take(i: int, j: int, hit: tuple[tuple[str, ...], str, float]) -> None:
            used[i:j] = [True] * (j - i)
            regions = tuple(self._regions[c] for c in hit[0])
            found.append(
                (i, RegionMatch(text[tokens[i][0] : tokens[j - 1][1]], regions, hit[1], hit[2], start=tokens[i][0]))
            )

        for size in range(min(MAX_WINDOW, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                window = tuple(words[i : i + size])
                if any(used[i : i + size]) or window[0] in WINDOW_SKIP_START:
                    continue
                if size == 1 and (len(window[0]) < 3 or window[0].isdigit()):
                    continue
                hit = self._lookup(window)
                if hit and (" ".join(window) not in AMBIGUOUS_KEYS or (i and words[i - 1] in CONTEXT_MARKERS)):
                    take(i, i + size, hit)
        for i, word in enumerate(words):
            if used[i] or len(word) < FUZZY_MIN_LENGTH or word in FUZZY_STOPWORDS or not word.isalpha():
                continue
            if not (i and words[i - 1] in CONTEXT_MARKERS):  # a typo counts only where a place is expected
                continue
            start = i - 1 if not used[i - 1] and _split_prefix((words[i - 1], word))[0] else i  # "kab bekasii"
            hit = self._fuzzy(tuple(words[start : i + 1]), cutoff=TEXT_FUZZY_CUTOFF, choices=self._fuzzy_text)
            if hit:
                take(start, i + 1, hit)
        return [match for _, match in sorted(found, key=lambda item: item[0])]

    # -- internals -----------------------------------------------------------------------------------
    def _sorted(self, codes: Iterable[str]) -> tuple[str, ...]:
        """Codes in gazetteer order (each province before its regencies)."""
        return tuple(sorted(set(codes), key=self._order.__getitem__))

    def _of_kind(self, codes: Iterable[str], kind: str | None) -> set[str]:
        """The codes of one kind (all when kind is None)."""
        return {c for c in codes if kind is None or self._regions[c].kind == kind}

    def _lookup(self, words: tuple[str, ...]) -> tuple[tuple[str, ...], str, float] | None:
        """Exact or alias match of the whole word sequence, honouring a kind prefix."""
        key = " ".join(words)
        names, alias = self._names.get(key, set()), self._aliases.get(key, set())
        if names or alias:
            return self._sorted(names | alias), "exact" if names else "alias", 100.0
        kind, rest = _split_prefix(words)
        if kind is None or not rest:
            return None
        rest_key = " ".join(rest)
        names, alias = self._names.get(rest_key, set()), self._aliases.get(rest_key, set())
        for codes, how in ((names, "exact"), (alias, "alias")):
            if self._of_kind(codes, kind):
                return self._sorted(self._of_kind(codes, kind)), how, 100.0
        if names or alias:  # "kabupaten batam": the kind was wrong, the place is not
            return self._sorted(names | alias), "exact" if names else "alias", 100.0
        return None

    def _fuzzy(
        self, words: tuple[str, ...], cutoff: float = RESOLVE_FUZZY_CUTOFF, choices: dict[str, list[str]] | None = None
    ) -> tuple[tuple[str, ...], str, float] | None:
        """Closest official name or alias by rapidfuzz ratio (same first letter), honouring a kind prefix."""
        kind, rest = _split_prefix(words)
        key = " ".join(rest)
        if len(key.replace(" ", "")) < FUZZY_MIN_LENGTH:
            return None
        pool = (self._fuzzy_all if choices is None else choices).get(key[0], [])
        best = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        codes = self._names.get(best[0], set()) | self._aliases.get(best[0], set())
        return self._sorted(self._of_kind(codes, kind) or codes), "fuzzy", float(best[1])

    @staticmethod
    def _trim(words: tuple[str, ...]) -> tuple[str, ...]:
        """Words without leading location markers ("di", "daerah") and trailing fillers ("aja", "ya")."""
        start, end = 0, len(words)
        while start < end and words[start] in LOCATION_MARKERS:
            start += 1
        while end > start and words[end - 1] in TRAILING_FILLERS:
            end -= 1
        return words[start:end]


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The gazetteer loaded once from the files shipped in knowledge/places/data/."""
    return Gazetteer.from_files(DATA_DIR)
