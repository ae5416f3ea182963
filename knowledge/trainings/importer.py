"""`tanyakerja import trainings`: training programmes (CONTRACTS.md trainings.csv)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge.importing import (
    TRAINING_DATASET,
    ImportSummary,
    RowError,
    collect,
    delete_count,
    first_occurrences,
    optional,
    parse_date,
    parse_money,
    read_csv,
    record_import,
    require,
)
from knowledge.language.text import fold
from knowledge.language.vocab import TAG_PREFIX, occupation_tags, title_words
from knowledge.models import Training, utcnow
from knowledge.places.scopes import resolve_place

COLUMNS = (
    "title",
    "provider",
    "city",
    "province",
    "field",
    "start_date",
    "end_date",
    "fee",
    "quota",
    "registration_url",
    "description",
)
REQUIRED = ("title", "provider")


@dataclass(frozen=True)
class TrainingRow:
    """One validated programme."""

    natural_key: str
    title: str
    provider: str
    city: str
    province: str
    region_code: str | None
    province_code: str | None
    field: str
    start_date: date | None
    end_date: date | None
    fee: int
    quota: int | None
    registration_url: str
    description: str
    search_terms: str

    def content_hash(self) -> str:
        """Fingerprint of the row (to tell 'updated' from 'unchanged')."""
        return hashlib.sha256(repr(sorted(self.__dict__.items())).encode()).hexdigest()


def training_terms(title: str, field: str) -> str:
    """Space-separated search terms: words of title and field, and their occupation tags."""
    text = f"{title} {field}"
    tags = occupation_tags(text, every_phrase=True)
    return " ".join(sorted(title_words(text) | {TAG_PREFIX + t for t in tags}))


def parse_training_row(row: dict[str, str]) -> TrainingRow:
    """Validate one CSV row (RowError says what is wrong)."""
    title, provider = require(row, "title"), require(row, "provider")
    start, end = parse_date(row.get("start_date", ""), "start_date"), parse_date(row.get("end_date", ""), "end_date")
    if start and end and end < start:
        raise RowError("end_date is before start_date")
    fee_text = row.get("fee", "").strip()
    fee = parse_money(fee_text, "fee") if fee_text else 0
    quota_text = row.get("quota", "").strip()
    if quota_text and not quota_text.isdigit():
        raise RowError(f"quota '{quota_text[:20]}' is not a whole number")
    url = optional(row, "registration_url", 1000)
    if url and not url.lower().startswith(("http://", "https://")):
        raise RowError("registration_url must start with http:// or https://")
    city, province = optional(row, "city", 120), optional(row, "province", 120)
    place = resolve_place(city, province)
    field = optional(row, "field", 200)
    key = "|".join(
        [fold(provider), fold(title), start.isoformat() if start else "", place.scope if place.resolved else fold(city)]
    )[:400]
    return TrainingRow(
        natural_key=key,
        title=title,
        provider=provider,
        city=city,
        province=province,
        region_code=place.region_code,
        province_code=place.province_code,
        field=field,
        start_date=start,
        end_date=end,
        fee=fee or 0,
        quota=int(quota_text) if quota_text else None,
        registration_url=url,
        description=optional(row, "description"),
        search_terms=training_terms(title, field),
    )


def import_trainings(session: Session, path: Path, *, skip_invalid: bool = False, demo: bool = False) -> ImportSummary:
    """Validate the whole file, then upsert by (provider, title, start date, place) in one transaction."""
    summary = ImportSummary()
    parsed = collect(read_csv(path, REQUIRED), parse_training_row, skip_invalid=skip_invalid, summary=summary)
    rows = first_occurrences(
        parsed,
        lambda r: r.natural_key,
        lambda r, first: f"same programme as line {first} (provider, title, start date, place)",
        skip_invalid=skip_invalid,
        summary=summary,
    )
    if not demo:
        removed = delete_count(session, delete(Training).where(Training.is_demo.is_(True)))
        if removed:
            summary.notes.append(f"demo trainings removed ({removed} rows)")
    existing = {t.natural_key: t for t in session.scalars(select(Training))}
    for row in rows:
        chash = row.content_hash()
        current = existing.get(row.natural_key)
        if current is None:
            session.add(Training(**row.__dict__, content_hash=chash, is_demo=demo))
            summary.added += 1
        elif current.content_hash != chash:
            for key, value in row.__dict__.items():
                setattr(current, key, value)
            current.content_hash, current.updated_at = chash, utcnow()
            summary.updated += 1
        else:
            summary.unchanged += 1
    unresolved = sum(1 for r in rows if r.region_code is None)
    summary.notes.append(f"places not resolved (kept as written): {unresolved}")
    session.flush()
    record_import(session, TRAINING_DATASET, path, demo=demo)
    return summary
