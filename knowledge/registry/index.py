"""The fuzzy name index of the registry: names only, cached per database, rebuilt when the registry changes."""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.language.companies import license_core
from knowledge.models import Agency
from knowledge.registry.records import RegistryInfo

AGENCY_MATCH_SUGGEST = 75
# A subset of a registry name's words ("uji andalan" for "Uji Andalan Samudra Nusantara") is scaled by
# this factor, so it can only ever be a suggestion.
SUBSET_WEIGHT = 0.9
# A query word not found in any registry name stands for a registry word this close (one slip).
WORD_SLIP_CUTOFF = 75


@dataclass
class NameIndex:
    """Normalised names sorted by length (for a cheap length window), plus a word -> names index."""

    version: int
    size: int
    names: list[str] = field(default_factory=list)  # sorted by length
    ids: list[int] = field(default_factory=list)  # parallel to names
    lengths: list[int] = field(default_factory=list)  # parallel to names
    licenses: dict[str, int] = field(default_factory=dict)  # license_norm -> id
    license_cores: dict[str, int] = field(default_factory=dict)  # "20240077" of SIP3MI-2024-0077 -> id
    words: dict[str, set[int]] = field(default_factory=dict)  # word -> positions in names
    vocabulary: list[str] = field(default_factory=list)

    def window(self, length: int, cutoff: float) -> tuple[int, int]:
        """Positions of names whose length allows a ratio >= cutoff with a string of `length`."""
        # ratio = 2*matches/(a+b) <= 2*min(a,b)/(a+b) -> b in [a*c/(2-c), a*(2-c)/c] with c = cutoff/100
        c = cutoff / 100
        lo = bisect.bisect_left(self.lengths, int(length * c / (2 - c)))
        hi = bisect.bisect_right(self.lengths, int(length * (2 - c) / c) + 1)
        return lo, hi


_index_lock = threading.Lock()
_indexes: dict[str, NameIndex] = {}


def name_index(session: Session, registry: RegistryInfo) -> NameIndex:
    """The cached index for this database, rebuilt when the registry changed (every import bumps the version)."""
    key = str(session.get_bind().engine.url)
    cached = _indexes.get(key)
    if cached and cached.version == registry.version:
        return cached
    with _index_lock:
        cached = _indexes.get(key)
        if cached and cached.version == registry.version:
            return cached
        rows = list(session.execute(select(Agency.id, Agency.name_norm, Agency.license_norm)))
        rows.sort(key=lambda r: len(r.name_norm))
        index = NameIndex(version=registry.version, size=registry.size)
        for pos, row in enumerate(rows):
            index.names.append(row.name_norm)
            index.ids.append(row.id)
            index.lengths.append(len(row.name_norm))
            index.licenses[row.license_norm] = row.id
            core = license_core(row.license_norm)
            if core:
                index.license_cores[core] = row.id
            for word in row.name_norm.split():
                index.words.setdefault(word, set()).add(pos)
        index.vocabulary = sorted(index.words)
        _indexes[key] = index
        return index


def _best(scores: dict[int, float], pos: int, score: float) -> None:
    if score > scores.get(pos, 0.0):
        scores[pos] = score


def _word_postings(index: NameIndex, word: str) -> set[int] | None:
    """Positions of names holding this word, or (for a word not in any name) a word one slip away."""
    if word in index.words:
        return index.words[word]
    if len(word) < 4:
        return None
    close = process.extract(word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SLIP_CUTOFF, limit=3)
    return set().union(*(index.words[w] for w, _, _ in close)) if close else None


def scan(
    index: NameIndex, query_norm: str, candidates: list[int], scorer, cutoff: float, limit: int = 10
) -> list[tuple[int, float]]:
    """(position, score) of the best candidates for one rapidfuzz scorer."""
    choices = [index.names[p] for p in candidates]
    return [
        (candidates[i], score)
        for _, score, i in process.extract(query_norm, choices, scorer=scorer, score_cutoff=cutoff, limit=limit)
    ]


def fuzzy_scores(index: NameIndex, query_norm: str) -> tuple[dict[int, float], dict[int, float]]:
    """(ratio scores, combined scores) by index position for candidates above the suggest cutoff.

    Only names sharing a word (or a word one slip away) with the query are compared: a misspelt name
    keeps most of its words, and this keeps a 100,000-name registry fast.
    """
    words = query_norm.split()
    postings = [_word_postings(index, w) for w in words]
    known = [p for p in postings if p is not None]
    if known:
        candidates = sorted(set().union(*known))
    elif len(words) == 1:  # one word with nothing close: words run together ("sinarjaya"), scan by length
        lo, hi = index.window(len(query_norm), AGENCY_MATCH_SUGGEST)
        candidates = list(range(lo, hi))
    else:
        return {}, {}
    ratio = dict(scan(index, query_norm, candidates, fuzz.ratio, AGENCY_MATCH_SUGGEST))
    combined = dict(ratio)
    # Every query word in the name: a subset or a reordering of a registered name.
    if known and len(known) == len(words) and (len(words) >= 2 or len(known[0]) <= 3):
        subset = sorted(set.intersection(*sorted(known, key=len)))[:5000]
        for pos, score in scan(index, query_norm, subset, fuzz.token_sort_ratio, AGENCY_MATCH_SUGGEST):
            _best(combined, pos, score)
        for pos, score in scan(index, query_norm, subset, fuzz.token_set_ratio, AGENCY_MATCH_SUGGEST / SUBSET_WEIGHT):
            _best(combined, pos, score * SUBSET_WEIGHT)
    return ratio, combined
