"""The licensed-agency registry: lookup by licence number, normalised name, then fuzzy name.

Only an exact licence number or an exact normalised name gets a verdict (a city written after the name,
"PT X malang", picks among same-named entries and is otherwise ignored). Everything else is a question or
"not found"; cutoffs are on rapidfuzz scores (0-100) of normalised names (`companies.normalize_name`):
- `AGENCY_MATCH_SUGGEST`: a best candidate at or above this (by whole name, word order or a subset of
  its words) is only offered as a question, "Maksud Anda PT ...?", never as a verdict — even a one-letter
  slip, since fake agencies copy real names with one letter changed.
- A licence number a digit or two away from a registered one is "not found", with the similar number named
  (numbers are copied from a document, so a different number is a different licence).
- `AGENCY_LOOKALIKE`: another registry name this close to the found one is named as a look-alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.language.companies import (
    find_license_numbers,
    license_core,
    normalize_license,
    normalize_name,
    strip_filler,
)
from knowledge.language.text import fold
from knowledge.models import Agency
from knowledge.places.gazetteer import get_gazetteer
from knowledge.registry.index import (
    NameIndex,
    fuzzy_scores,
    name_index,
    scan,
)
from knowledge.registry.records import AgencyRecord, RegistryInfo, records_by_ids, registry_info

AGENCY_LOOKALIKE = 88
# Two candidates closer than this are ambiguous: ask rather than decide.
AMBIGUITY_MARGIN = 2.0
LICENSE_MATCH_SUGGEST = 90
MAX_TOKEN_WINDOW = 8

LookupKind = Literal["empty", "license", "name", "suggestion", "not_found"]


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


def find_lookalikes(
    session: Session, agency: AgencyRecord, registry: RegistryInfo, *, today: date, limit: int = 3
) -> tuple[AgencyRecord, ...]:
    """Other registry entries whose names are close to this one's (a known trick of fake agencies)."""
    index = name_index(session, registry)
    norm = normalize_name(agency.name)
    # A close copy keeps most words, so it shares at least one of the name's two rarest words.
    postings = sorted((index.words[w] for w in set(norm.split()) if w in index.words), key=len)[:2]
    if not postings:
        return ()
    candidates = sorted(set().union(*postings))
    hits = scan(index, norm, candidates, fuzz.ratio, AGENCY_LOOKALIKE, limit=limit + 5)
    ids = [index.ids[pos] for pos, _ in hits if index.ids[pos] != agency.id]
    return tuple(records_by_ids(session, ids[:limit], today))


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
    index = name_index(session, registry)

    licences = _license_windows(query)
    for cand in licences:
        found = index.licenses.get(cand) or index.license_cores.get(license_core(cand))
        if found:
            return _verdict(session, "license", query, [found], registry, today, via_license=True)

    name_norm = normalize_name(strip_filler(query)) or normalize_name(query)
    if not name_norm:
        return AgencyLookup(kind="empty", query=query, registry=registry)
    exact_forms = {name_norm, normalize_name(query)}
    exact = list(session.scalars(select(Agency.id).where(Agency.name_norm.in_(exact_forms)).order_by(Agency.id)))
    if exact:
        return _verdict(session, "name", query, exact, registry, today)
    name_norm, city_codes = _without_trailing_place(name_norm)
    if city_codes:
        exact = list(session.scalars(select(Agency.id).where(Agency.name_norm == name_norm).order_by(Agency.id)))
        if exact:
            in_city = [i for i in exact if _city_code(session, i) in city_codes]
            return _verdict(session, "name", query, in_city + [i for i in exact if i not in in_city], registry, today)

    ratio, combined = fuzzy_scores(index, name_norm)
    shapes = _license_shapes(query)
    if shapes and not combined:
        return _license_suggestion(session, query, index, shapes, registry, today)
    if not combined:
        return AgencyLookup(kind="not_found", query=query, registry=registry)
    ranked = sorted(combined, key=lambda p: (-combined[p], -ratio.get(p, 0.0), index.names[p]))
    best = ranked[0]
    suggestions = records_by_ids(session, [index.ids[p] for p in ranked[:3]], today)
    return AgencyLookup(
        kind="suggestion", query=query, registry=registry, suggestions=tuple(suggestions), score=combined[best]
    )


def _verdict(
    session: Session,
    kind: LookupKind,
    query: str,
    ids: list[int],
    registry: RegistryInfo,
    today: date,
    score: float = 100.0,
    via_license: bool = False,
) -> AgencyLookup:
    records = records_by_ids(session, ids, today)
    agency = records[0]
    others = list(find_lookalikes(session, agency, registry, today=today, limit=3))
    # Entries that share the exact normalised name come first among the look-alikes.
    lookalikes = tuple(dict.fromkeys([*records[1:], *others]))[:3]
    return AgencyLookup(
        kind=kind,
        query=query,
        registry=registry,
        agency=agency,
        lookalikes=lookalikes,
        score=score,
        via_license=via_license,
    )


def _license_suggestion(
    session: Session, query: str, index: NameIndex, licences: list[str], registry: RegistryInfo, today: date
) -> AgencyLookup:
    """A licence number that is one slip away from a registered one is offered as a question."""
    best: tuple[float, int] | None = None
    for cand in licences:
        hit = process.extractOne(cand, index.licenses.keys(), scorer=fuzz.ratio, score_cutoff=LICENSE_MATCH_SUGGEST)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], index.licenses[hit[0]])
    if best is None:
        return AgencyLookup(kind="not_found", query=query, registry=registry)
    records = records_by_ids(session, [best[1]], today)
    return AgencyLookup(
        kind="not_found", query=query, registry=registry, suggestions=tuple(records), score=best[0], via_license=True
    )


def _without_trailing_place(name_norm: str) -> tuple[str, set[str]]:
    """'contoh jaya makmur sentosa kediri' -> ('contoh jaya makmur sentosa', the codes of Kediri); a name that
    does not end in a place comes back unchanged with no codes. At least two name words stay."""
    words = name_norm.split()
    gazetteer = get_gazetteer()
    for size in (3, 2, 1):
        if len(words) - size < 2:
            continue
        window = " ".join(words[-size:])
        match = gazetteer.resolve(window)
        if match is not None and match.how != "fuzzy" and fold(match.text) == window:
            return " ".join(words[:-size]), gazetteer.expand(match.regions)
    return name_norm, set()


def _city_code(session: Session, agency_id: int) -> str | None:
    """The region code of an agency's city, if the gazetteer knows it."""
    city = session.scalar(select(Agency.city).where(Agency.id == agency_id)) or ""
    match = get_gazetteer().resolve(city) if city else None
    return match.regions[0].code if match else None
