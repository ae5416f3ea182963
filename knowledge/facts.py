"""Sourced facts from `knowledge/content/*.yml`: every fact has a source and a verified_on date.

A fact marked `changes: true` (DOMAIN.md's "berubah") is shown with its date; one marked
`uncertain: true` ("belum pasti") must be worded as "cek ke ..." in its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.language.dates import format_date_id

CONTENT_DIR = Path(__file__).parent / "content"
_REQUIRED = {"id": str, "text": str, "source": str, "verified_on": date}
_OPTIONAL = {"changes": bool, "uncertain": bool, "topic": str}


class FactFileError(ValueError):
    """A content file breaks the schema (names the file and the problem)."""


@dataclass(frozen=True)
class Fact:
    """One sourced statement the bot may repeat."""

    id: str
    text: str
    source: str
    verified_on: date
    changes: bool = False
    uncertain: bool = False
    topic: str = ""
    file: str = ""


def _parse_fact(raw: Any, file: str, pos: int) -> Fact:
    where = f"{file}: fact #{pos + 1}"
    if not isinstance(raw, dict):
        raise FactFileError(f"{where}: expected a mapping")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise FactFileError(f"{where}: unknown keys {sorted(unknown)}")
    for key, typ in {**_REQUIRED, **_OPTIONAL}.items():
        if key not in raw:
            if key in _REQUIRED:
                raise FactFileError(f"{where}: missing '{key}'")
            continue
        if not isinstance(raw[key], typ) or (typ is str and not raw[key].strip()):
            raise FactFileError(f"{where}: '{key}' must be a non-empty {typ.__name__}")
    if raw["verified_on"] > date.today():
        raise FactFileError(f"{where}: verified_on {raw['verified_on']} is in the future")
    return Fact(**raw, file=file)


def load_fact_file(path: Path) -> list[Fact]:
    """Parse and validate one content file (`facts:` list of sourced facts)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise FactFileError(f"{path.name}: expected a top-level 'facts' list")
    return [_parse_fact(raw, path.name, i) for i, raw in enumerate(data["facts"])]


@lru_cache(maxsize=1)
def all_facts() -> dict[str, Fact]:
    """Every fact of every content file, by id (ids are unique across files)."""
    facts: dict[str, Fact] = {}
    for path in sorted(CONTENT_DIR.glob("*.yml")):
        for fact in load_fact_file(path):
            if fact.id in facts:
                raise FactFileError(f"{path.name}: duplicate fact id '{fact.id}' (also in {facts[fact.id].file})")
            facts[fact.id] = fact
    return facts


def get_fact(fact_id: str) -> Fact:
    """One fact by id (KeyError names the missing id)."""
    return all_facts()[fact_id]


def fact_text_with_date(fact_id: str) -> str:
    """The fact's text, followed by its verification date when it is a fact that changes."""
    fact = get_fact(fact_id)
    if fact.changes:
        return f"{fact.text} (info per {format_date_id(fact.verified_on)})"
    return fact.text


def bullets(fact_ids: tuple[str, ...] | list[str]) -> str:
    """Facts as '• ...' lines (with their dates where they change)."""
    return "\n".join(f"• {fact_text_with_date(fid)}" for fid in fact_ids)
