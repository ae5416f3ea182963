"""`tanyakerja import agencies`: load the licensed-agency registry (CONTRACTS.md, agencies.csv)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge.importing import (
    ImportSummary,
    RowError,
    collect,
    dataset_info,
    delete_count,
    first_occurrences,
    optional,
    parse_date,
    read_csv,
    record_import,
    require,
)
from knowledge.language.companies import normalize_license, normalize_name
from knowledge.models import Agency, LicenseStatus, utcnow
from knowledge.registry.records import REGISTRY_DATASET

COLUMNS = ("name", "license_number", "status", "valid_until", "province", "city", "address", "phone", "countries")
REQUIRED = ("name", "license_number", "status")

STATUS_WORDS = {
    "aktif": LicenseStatus.AKTIF,
    "active": LicenseStatus.AKTIF,
    "berlaku": LicenseStatus.AKTIF,
    "dibekukan": LicenseStatus.DIBEKUKAN,
    "suspended": LicenseStatus.DIBEKUKAN,
    "beku": LicenseStatus.DIBEKUKAN,
    "dicabut": LicenseStatus.DICABUT,
    "revoked": LicenseStatus.DICABUT,
    "cabut": LicenseStatus.DICABUT,
    "kedaluwarsa": LicenseStatus.KEDALUWARSA,
    "expired": LicenseStatus.KEDALUWARSA,
    "kadaluwarsa": LicenseStatus.KEDALUWARSA,
    "kadaluarsa": LicenseStatus.KEDALUWARSA,
}
# Columns compared to decide between "updated" and "unchanged".
_FIELDS = (
    "name",
    "name_norm",
    "license_number",
    "status",
    "valid_until",
    "province",
    "city",
    "address",
    "phone",
    "countries",
)


@dataclass(frozen=True)
class AgencyRow:
    """One validated line of agencies.csv."""

    name: str
    name_norm: str
    license_number: str
    license_norm: str
    status: LicenseStatus
    valid_until: date | None
    province: str
    city: str
    address: str
    phone: str
    countries: str


def parse_agency_row(row: dict[str, str]) -> AgencyRow:
    """Validate one CSV row (RowError says what is wrong)."""
    name = require(row, "name")
    name_norm = normalize_name(name)
    if not name_norm:
        raise RowError(f"name '{name[:60]}' has no letters or digits once 'PT'/'CV' is removed")
    license_number = require(row, "license_number", max_len=120)
    license_norm = normalize_license(license_number)
    if len(license_norm) < 2:
        raise RowError(f"license_number '{license_number}' has no letters or digits")
    raw_status = require(row, "status", max_len=40)
    status = STATUS_WORDS.get(raw_status.lower())
    if status is None:
        raise RowError(f"unknown status '{raw_status[:40]}' (use aktif, dibekukan, dicabut or kedaluwarsa)")
    countries = ";".join(c.strip() for c in optional(row, "countries", 1000).split(";") if c.strip())
    return AgencyRow(
        name=name,
        name_norm=name_norm,
        license_number=license_number,
        license_norm=license_norm,
        status=status,
        valid_until=parse_date(row.get("valid_until", ""), "valid_until"),
        province=optional(row, "province", 120),
        city=optional(row, "city", 120),
        address=optional(row, "address", 500),
        phone=optional(row, "phone", 60),
        countries=countries,
    )


def import_agencies(
    session: Session,
    path: Path,
    *,
    as_of: date | None = None,
    skip_invalid: bool = False,
    demo: bool = False,
    today: date | None = None,
) -> ImportSummary:
    """Validate the whole file, then upsert by licence number in the caller's transaction.

    Raises ImportFailed (nothing written) when a row is bad and skip_invalid is off. A real registry
    replaces the fictional demo registry.
    """
    summary = ImportSummary()
    parsed = collect(read_csv(path, REQUIRED), parse_agency_row, skip_invalid=skip_invalid, summary=summary)
    rows = first_occurrences(
        parsed,
        lambda r: r.license_norm,
        lambda r, first: f"license_number '{r.license_number}' repeats line {first}",
        skip_invalid=skip_invalid,
        summary=summary,
    )

    if dataset_info(session, REGISTRY_DATASET).is_demo and not demo:
        removed = delete_count(session, delete(Agency))
        summary.notes.append(f"demo registry removed ({removed} rows)")
    existing = {a.license_norm: a for a in session.scalars(select(Agency))}
    for row in rows:
        current = existing.get(row.license_norm)
        if current is None:
            session.add(Agency(**row.__dict__))
            summary.added += 1
        elif any(getattr(current, f) != getattr(row, f) for f in _FIELDS):
            for f in _FIELDS:
                setattr(current, f, getattr(row, f))
            current.updated_at = utcnow()
            summary.updated += 1
        else:
            summary.unchanged += 1

    session.flush()
    record_import(
        session,
        REGISTRY_DATASET,
        path,
        demo=demo,
        as_of=as_of or today,
        row_count=session.scalar(select(func.count()).select_from(Agency)) or 0,
    )
    return summary
