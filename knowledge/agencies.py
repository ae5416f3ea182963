"""The licensed-agency registry: lookup by licence number, normalised name, then fuzzy name.

Cutoffs are on rapidfuzz scores (0-100) of normalised names (see `knowledge.text.normalize_name`):
- `AGENCY_MATCH_STRICT`: whole-name similarity at or above this is a spelling slip of that company; the
  answer gives its verdict with a warning that the spelling differs.
- `AGENCY_MATCH_SUGGEST`: a best candidate at or above this (by whole name, word order or a subset of
  its words) is only offered as a question, "Maksud Anda PT ...?", never as a verdict.
- `AGENCY_LOOKALIKE`: another registry name this close to the found one is named as a look-alike.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Agency, Dataset, LicenseStatus
from knowledge.text import find_license_numbers, fold, normalize_license, normalize_name, strip_filler

AGENCY_MATCH_STRICT = 92
AGENCY_MATCH_SUGGEST = 75
AGENCY_LOOKALIKE = 88
# A subset of a registry name's words ("uji andalan" for "Uji Andalan Samudra Nusantara") is scaled by
# this factor, so it can only ever be a suggestion.
SUBSET_WEIGHT = 0.9
# Two candidates closer than this are ambiguous: ask rather than decide.
AMBIGUITY_MARGIN = 2.0
LICENSE_MATCH_SUGGEST = 90
# A query word not found in any registry name stands for a registry word this close (one slip).
WORD_SLIP_CUTOFF = 75
MAX_TOKEN_WINDOW = 8

REGISTRY_DATASET = "agencies"

LookupKind = Literal["empty", "license", "name", "fuzzy", "suggestion", "not_found"]


@dataclass(frozen=True)
class AgencyRecord:
    """One registry entry as answers need it; `status` is the effective status today."""

    id: int
    name: str
    license_number: str
    status: LicenseStatus
    registered_status: LicenseStatus
    valid_until: date | None
    province: str
    city: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class RegistryInfo:
    """Provenance of the registry copy: its as-of date, whether it is the fictional demo set, its size."""

    as_of: date | None
    is_demo: bool
    version: int
    size: int


@dataclass(frozen=True)
class AgencyLookup:
    """Outcome of a lookup: what matched, how, and what else the user should know."""

    kind: LookupKind
    query: str
    registry: RegistryInfo
    agency: AgencyRecord | None = None
    suggestions: tuple[AgencyRecord, ...] = ()
    lookalikes: tuple[AgencyRecord, ...] = ()
    score: float = 0.0
    via_license: bool = False


def effective_status(status: LicenseStatus, valid_until: date | None, today: date) -> LicenseStatus:
    """An `aktif` licence whose validity date has passed counts as expired."""
    if status is LicenseStatus.AKTIF and valid_until is not None and valid_until < today:
        return LicenseStatus.KEDALUWARSA
    return status


def _record(row: Agency, today: date) -> AgencyRecord:
    return AgencyRecord(
        id=row.id, name=row.name, license_number=row.license_number,
        status=effective_status(row.status, row.valid_until, today), registered_status=row.status,
        valid_until=row.valid_until, province=row.province or "", city=row.city or "",
        countries=tuple(c.strip() for c in (row.countries or "").split(";") if c.strip()),
    )


def registry_info(session: Session) -> RegistryInfo:
    """As-of date, demo flag, version and size of the loaded registry."""
    ds = session.get(Dataset, REGISTRY_DATASET)
    if ds is None:
        return RegistryInfo(as_of=None, is_demo=False, version=0, size=0)
    return RegistryInfo(as_of=ds.as_of, is_demo=ds.is_demo, version=ds.version, size=ds.row_count or 0)


def get_agency_by_license(session: Session, license_number: str, *, today: date | None = None) -> AgencyRecord | None:
    """The entry with this licence number (punctuation, spacing and case ignored), or None."""
    norm = normalize_license(license_number)
    if not norm:
        return None
    row = session.scalar(select(Agency).where(Agency.license_norm == norm))
    return _record(row, today or date.today()) if row else None


def _records_by_ids(session: Session, ids: list[int], today: date) -> list[AgencyRecord]:
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(Agency).where(Agency.id.in_(ids)))}
    return [_record(rows[i], today) for i in ids if i in rows]


# ---- the fuzzy index: names only, rebuilt when the registry version changes -----------------------

@dataclass
class _NameIndex:
    """Normalised names sorted by length (for a cheap length window), plus a word -> names index."""

    version: int
    size: int
    names: list[str] = field(default_factory=list)          # sorted by length
    ids: list[int] = field(default_factory=list)             # parallel to names
    lengths: list[int] = field(default_factory=list)         # parallel to names
    licenses: dict[str, int] = field(default_factory=dict)   # license_norm -> id
    words: dict[str, set[int]] = field(default_factory=dict)   # word -> positions in names
    vocabulary: list[str] = field(default_factory=list)

    def window(self, length: int, cutoff: float) -> tuple[int, int]:
        """Positions of names whose length allows a ratio >= cutoff with a string of `length`."""
        # ratio = 2*matches/(a+b) <= 2*min(a,b)/(a+b) -> b in [a*c/(2-c), a*(2-c)/c] with c = cutoff/100
        c = cutoff / 100
        lo = bisect.bisect_left(self.lengths, int(length * c / (2 - c)))
        hi = bisect.bisect_right(self.lengths, int(length * (2 - c) / c) + 1)
        return lo, hi


_index_lock = threading.Lock()
_indexes: dict[str, _NameIndex] = {}


def _name_index(session: Session, registry: RegistryInfo) -> _NameIndex:
    """The cached index for this database, rebuilt when the registry changed (every import bumps the version)."""
    key = str(session.get_bind().url)
    cached = _indexes.get(key)
    if cached and cached.version == registry.version:
        return cached
    with _index_lock:
        cached = _indexes.get(key)
        if cached and cached.version == registry.version:
            return cached
        rows = session.execute(select(Agency.id, Agency.name_norm, Agency.license_norm)).all()
        rows.sort(key=lambda r: len(r.name_norm))
        index = _NameIndex(version=registry.version, size=registry.size)
        for pos, row in enumerate(rows):
            index.names.append(row.name_norm)
            index.ids.append(row.id)
            index.lengths.append(len(row.name_norm))
            index.licenses[row.license_norm] = row.id
            for word in row.name_norm.split():
                index.words.setdefault(word, set()).add(pos)
        index.vocabulary = sorted(index.words)
        _indexes[key] = index
        return index


def _best(scores: dict[int, float], pos: int, score: float) -> None:
    if score > scores.get(pos, 0.0):
        scores[pos] = score


def _word_postings(index: _NameIndex, word: str) -> set[int] | None:
    """Positions of names holding this word, or (for a word not in any name) a word one slip away."""
    if word in index.words:
        return index.words[word]
    if len(word) < 4:
        return None
    close = process.extract(word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SLIP_CUTOFF, limit=3)
    return set().union(*(index.words[w] for w, _, _ in close)) if close else None


def _scan(index: _NameIndex, query_norm: str, candidates: list[int], scorer, cutoff: float,
          limit: int = 10) -> list[tuple[int, float]]:
    """(position, score) of the best candidates for one rapidfuzz scorer."""
    choices = [index.names[p] for p in candidates]
    return [(candidates[i], score) for _, score, i in process.extract(
        query_norm, choices, scorer=scorer, score_cutoff=cutoff, limit=limit)]


def _fuzzy_scores(index: _NameIndex, query_norm: str) -> tuple[dict[int, float], dict[int, float]]:
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
    ratio = dict(_scan(index, query_norm, candidates, fuzz.ratio, AGENCY_MATCH_SUGGEST))
    combined = dict(ratio)
    # Every query word in the name: a subset or a reordering of a registered name.
    if known and len(known) == len(words) and (len(words) >= 2 or len(known[0]) <= 3):
        subset = sorted(set.intersection(*sorted(known, key=len)))[:5000]
        for pos, score in _scan(index, query_norm, subset, fuzz.token_sort_ratio, AGENCY_MATCH_SUGGEST):
            _best(combined, pos, score)
        for pos, score in _scan(index, query_norm, subset, fuzz.token_set_ratio, AGENCY_MATCH_SUGGEST / SUBSET_WEIGHT):
            _best(combined, pos, score * SUBSET_WEIGHT)
    return ratio, combined


def find_lookalikes(session: Session, agency: AgencyRecord, registry: RegistryInfo,
                    *, today: date, limit: int = 3) -> tuple[AgencyRecord, ...]:
    """Other registry entries whose names are close to this one's (a known trick of fake agencies)."""
    index = _name_index(session, registry)
    norm = normalize_name(agency.name)
    # A close copy keeps most words, so it shares at least one of the name's two rarest words.
    postings = sorted((index.words[w] for w in set(norm.split()) if w in index.words), key=len)[:2]
    if not postings:
        return ()
    candidates = sorted(set().union(*postings))
    hits = _scan(index, norm, candidates, fuzz.ratio, AGENCY_LOOKALIKE, limit=limit + 5)
    ids = [index.ids[pos] for pos, _ in hits if index.ids[pos] != agency.id]
    return tuple(_records_by_ids(session, ids[:limit], today))


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if len(v) >= 4))


def _license_shapes(query: str) -> list[str]:
    """Normalised licence candidates worth a fuzzy comparison: licence-shaped text, or a bare number."""
    shapes = [normalize_license(x) for x in find_license_numbers(query)]
    bare = normalize_license(strip_filler(query))
    digits = sum(ch.isdigit() for ch in bare)
    if digits >= 2 and digits >= len(bare) / 4:  # mostly a number, as licence numbers are
        shapes.append(bare)
    return _unique(shapes)


def _license_windows(query: str) -> list[str]:
    """Exact-match licence candidates: the shapes, then every run of up to 8 words that holds a digit."""
    out = _license_shapes(query)
    tokens = fold(query).split()
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + MAX_TOKEN_WINDOW) + 1):
            chunk = tokens[i:j]
            if any(ch.isdigit() for tok in chunk for ch in tok):
                out.append(normalize_license("".join(chunk)))
    return _unique(out)


def lookup_agency(session: Session, query: str, *, today: date | None = None) -> AgencyLookup:
    """Find a company by licence number, normalised name, or fuzzy name (see module docstring)."""
    today = today or date.today()
    query = (query or "").strip()[:300]
    registry = registry_info(session)
    if not query:
        return AgencyLookup(kind="empty", query=query, registry=registry)
    index = _name_index(session, registry)

    licences = _license_windows(query)
    for cand in licences:
        if cand in index.licenses:
            return _verdict(session, "license", query, [index.licenses[cand]], registry, today, via_license=True)

    name_norm = normalize_name(strip_filler(query)) or normalize_name(query)
    if not name_norm:
        return AgencyLookup(kind="empty", query=query, registry=registry)
    exact_forms = {name_norm, normalize_name(query)}
    exact = list(session.scalars(select(Agency.id).where(Agency.name_norm.in_(exact_forms)).order_by(Agency.id)))
    if exact:
        return _verdict(session, "name", query, exact, registry, today)

    ratio, combined = _fuzzy_scores(index, name_norm)
    shapes = _license_shapes(query)
    if shapes and not combined:
        return _license_suggestion(session, query, index, shapes, registry, today)
    if not combined:
        return AgencyLookup(kind="not_found", query=query, registry=registry)
    ranked = sorted(combined, key=lambda p: (-combined[p], -ratio.get(p, 0.0), index.names[p]))
    best = ranked[0]
    runner_up = combined[ranked[1]] if len(ranked) > 1 else 0.0
    if ratio.get(best, 0.0) >= AGENCY_MATCH_STRICT and combined[best] - runner_up >= AMBIGUITY_MARGIN:
        return _verdict(session, "fuzzy", query, [index.ids[best]], registry, today, score=combined[best])
    suggestions = _records_by_ids(session, [index.ids[p] for p in ranked[:3]], today)
    return AgencyLookup(kind="suggestion", query=query, registry=registry, suggestions=tuple(suggestions),
                        score=combined[best])


def _verdict(session: Session, kind: LookupKind, query: str, ids: list[int], registry: RegistryInfo,
             today: date, score: float = 100.0, via_license: bool = False) -> AgencyLookup:
    records = _records_by_ids(session, ids, today)
    agency = records[0]
    others = [r for r in find_lookalikes(session, agency, registry, today=today, limit=3)]
    # Entries that share the exact normalised name come first among the look-alikes.
    lookalikes = tuple(dict.fromkeys([*records[1:], *others]))[:3]
    return AgencyLookup(kind=kind, query=query, registry=registry, agency=agency, lookalikes=lookalikes,
                        score=score, via_license=via_license)


def _license_suggestion(session: Session, query: str, index: _NameIndex, licences: list[str],
                        registry: RegistryInfo, today: date) -> AgencyLookup:
    """A licence number that is one slip away from a registered one is offered as a question."""
    best: tuple[float, int] | None = None
    for cand in licences:
        hit = process.extractOne(cand, index.licenses.keys(), scorer=fuzz.ratio,
                                 score_cutoff=LICENSE_MATCH_SUGGEST)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], index.licenses[hit[0]])
    if best is None:
        return AgencyLookup(kind="not_found", query=query, registry=registry)
    records = _records_by_ids(session, [best[1]], today)
    return AgencyLookup(kind="suggestion", query=query, registry=registry, suggestions=tuple(records),
                        score=best[0], via_license=True)
