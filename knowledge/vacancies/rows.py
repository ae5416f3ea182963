"""One validated line of a vacancy feed (the canonical columns plus the resolved place)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from knowledge.importing import RowError, optional, parse_date, parse_money, require
from knowledge.language.companies import normalize_license
from knowledge.language.vocab import education_level, normalize_country
from knowledge.places.scopes import resolve_place
from knowledge.vacancies.feed import DATE_FIELDS


@dataclass(frozen=True)
class VacancyRow:
    """One validated vacancy record, ready to store."""

    source: str
    source_id: str
    title: str
    company: str
    headcount: int | None
    city: str
    province: str
    region_code: str | None
    province_code: str | None
    sector: str
    education: str
    education_level: int | None
    skills: str
    experience: str
    salary_min: int | None
    salary_max: int | None
    posted_at: date | None
    expires_at: date | None
    country: str
    agency_license: str
    agency_license_norm: str
    url: str
    description: str

    def values(self) -> dict:
        """The fields as a new dict (shallow: every field is immutable)."""
        return dict(self.__dict__)

    def content_hash(self) -> str:
        """Fingerprint of everything the source said (to tell 'updated' from 'unchanged')."""
        return hashlib.sha256(repr(sorted(self.__dict__.items())).encode()).hexdigest()


def _headcount(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise RowError(f"headcount '{value[:20]}' is not a whole number")
    return int(value)


def parse_vacancy_row(row: dict[str, str], date_format: str = "%Y-%m-%d") -> VacancyRow:
    """Validate one canonical row (RowError says what is wrong)."""
    source = require(row, "source", max_len=80)
    dates = {f: parse_date(row.get(f, ""), f, date_format) for f in DATE_FIELDS}
    if dates["posted_at"] and dates["expires_at"] and dates["expires_at"] < dates["posted_at"]:
        raise RowError("expires_at is before posted_at")
    salary_min = parse_money(row.get("salary_min", ""), "salary_min")
    salary_max = parse_money(row.get("salary_max", ""), "salary_max")
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise RowError("salary_min is larger than salary_max")
    url = optional(row, "url", 1000)
    if url and not url.lower().startswith(("http://", "https://")):
        raise RowError("url must start with http:// or https://")
    country_raw = optional(row, "country", 80)
    country = (normalize_country(country_raw) or country_raw.title()) if country_raw else ""
    agency_license = optional(row, "agency_license", 120)
    city, province = optional(row, "city", 120), optional(row, "province", 120)
    place = resolve_place(city, province) if not country else resolve_place("", "")
    education = optional(row, "education", 200)
    return VacancyRow(
        source=source,
        source_id=require(row, "source_id", max_len=200),
        title=require(row, "title"),
        company=require(row, "company"),
        headcount=_headcount(row.get("headcount", "")),
        city=city,
        province=province,
        region_code=place.region_code,
        province_code=place.province_code,
        sector=optional(row, "sector", 200),
        education=education,
        education_level=education_level(education) if education else None,
        skills=optional(row, "skills", 2000),
        experience=optional(row, "experience", 200),
        salary_min=salary_min,
        salary_max=salary_max,
        posted_at=dates["posted_at"],
        expires_at=dates["expires_at"],
        country=country,
        agency_license=agency_license,
        agency_license_norm=normalize_license(agency_license),
        url=url,
        description=optional(row, "description"),
    )
