"""Registry entries as answers need them, and the provenance of the loaded registry copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.importing import AGENCY_DATASET, DatasetInfo, dataset_info
from knowledge.language.companies import normalize_license
from knowledge.models import Agency, LicenseStatus, effective_status

REGISTRY_DATASET = AGENCY_DATASET


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
    address: str = ""
    phone: str = ""


# Provenance of the registry copy: its as-of date, whether it is the fictional demo set, its size.
RegistryInfo = DatasetInfo


def to_record(row: Agency, today: date) -> AgencyRecord:
    """A registry row as answers need it (its status as of `today`)."""
    return AgencyRecord(
        id=row.id,
        name=row.name,
        license_number=row.license_number,
        status=effective_status(row.status, row.valid_until, today),
        registered_status=row.status,
        valid_until=row.valid_until,
        province=row.province or "",
        city=row.city or "",
        countries=tuple(c.strip() for c in (row.countries or "").split(";") if c.strip()),
        address=row.address or "",
        phone=row.phone or "",
    )


def registry_info(session: Session) -> RegistryInfo:
    """As-of date, demo flag, version and size of the loaded registry."""
    return dataset_info(session, REGISTRY_DATASET)


def get_agency_by_license(session: Session, license_number: str, *, today: date | None = None) -> AgencyRecord | None:
    """The entry with this licence number (punctuation, spacing and case ignored), or None."""
    norm = normalize_license(license_number)
    if not norm:
        return None
    row = session.scalar(select(Agency).where(Agency.license_norm == norm))
    return to_record(row, today or date.today()) if row else None


def records_by_ids(session: Session, ids: list[int], today: date) -> list[AgencyRecord]:
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(Agency).where(Agency.id.in_(ids)))}
    return [to_record(rows[i], today) for i in ids if i in rows]
