"""Reading vacancy feeds: the canonical CSV, or any CSV / JSON Lines feed described by a mapping file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from knowledge.importing import ImportFailed, Problem, RowError, decode_file, read_csv

CANONICAL = tuple(
    "source source_id title company city province sector education"
    " salary_min salary_max posted_at expires_at country agency_license url description".split()
)
# Optional extras (Perpres 57/2023 fields that the canonical CSV may carry as additional columns).
EXTRA = ("headcount", "skills", "experience")
REQUIRED = ("source_id", "title", "company")
DATE_FIELDS = ("posted_at", "expires_at")


@dataclass(frozen=True)
class Mapping:
    """How a feed's columns (or JSON keys, dotted for nesting) map onto the canonical columns."""

    source: str | None
    format: str
    fields: dict[str, str]
    date_format: str = "%Y-%m-%d"
    delimiter: str = ","


CANONICAL_MAPPING = Mapping(source=None, format="csv", fields={c: c for c in (*CANONICAL, *EXTRA)})


class _MappingLoader(yaml.SafeLoader):
    """YAML without the 1.1 habit of reading yes/no/on/off as booleans ("source_id: no" is a column)."""


_MappingLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_mapping(path: Path) -> Mapping:
    """Parse and check a mapping file; problems are reported as an ImportFailed naming the mapping."""

    def fail(reason: str) -> ImportFailed:
        return ImportFailed([Problem(0, f"mapping {path.name}: {reason}")])

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_MappingLoader)  # noqa: S506 - a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise fail(f"cannot be read ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise fail("expected a YAML mapping with source, format and fields")
    unknown = set(data) - {"source", "format", "fields", "date_format", "delimiter"}
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    fmt = str(data.get("format", "csv")).lower()
    if fmt not in ("csv", "jsonl"):
        raise fail(f"format must be csv or jsonl, not '{fmt}'")
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise fail("'fields' must map canonical columns to the feed's columns")
    bad = sorted(set(fields) - set(CANONICAL) - set(EXTRA))
    if bad:
        raise fail(f"unknown canonical column(s) {bad}; known: {', '.join(CANONICAL + EXTRA)}")
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise fail("'source' must be a non-empty text")
    if source is None and "source" not in fields:
        raise fail("give 'source' (a name for this feed) or map the 'source' column")
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise fail(f"'fields' must map {', '.join(missing)}")
    date_format = str(data.get("date_format") or "%Y-%m-%d")
    try:
        date(2026, 1, 31).strftime(date_format)
    except ValueError as exc:
        raise fail(f"date_format '{date_format}' is not a strftime format") from exc
    return Mapping(
        source=source.strip() if source else None,
        format=fmt,
        fields={str(k): str(v) for k, v in fields.items()},
        date_format=date_format,
        delimiter=str(data.get("delimiter") or ","),
    )


def _dig(obj: object, key: str) -> object:
    """obj['a']['b'] for key 'a.b' (a literal 'a.b' key wins)."""
    if isinstance(obj, dict) and key in obj:
        return obj[key]
    for part in key.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise RowError(f"expected a single value, found {type(value).__name__}")
    return str(value).strip()


def read_feed(path: Path, mapping: Mapping) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, canonical row) for every record of the feed."""
    if mapping.format == "jsonl":
        yield from _read_jsonl(path, mapping)
        return
    feed_required = tuple(mapping.fields[c].strip().lower() for c in REQUIRED)
    for line, row in read_csv(path, feed_required, delimiter=mapping.delimiter):
        if "__error__" in row:
            yield line, row
            continue
        out = {canon: row.get(feed.strip().lower(), "") for canon, feed in mapping.fields.items()}
        if mapping.source:
            out["source"] = mapping.source
        yield line, out


def _read_jsonl(path: Path, mapping: Mapping) -> Iterator[tuple[int, dict[str, str]]]:
    text = decode_file(path)
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, {"__error__": f"not valid JSON ({exc.msg} at column {exc.colno})"}
            continue
        if not isinstance(obj, dict):
            yield number, {"__error__": "each line must be a JSON object"}
            continue
        try:
            out = {canon: _as_text(_dig(obj, feed)) for canon, feed in mapping.fields.items()}
        except RowError as exc:
            yield number, {"__error__": str(exc)}
            continue
        if mapping.source:
            out["source"] = mapping.source
        yield number, out
