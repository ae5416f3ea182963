"""Application tables (SQLAlchemy 2 typed models)."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every application table."""


def utcnow() -> datetime:
    """Timezone-aware current time (stored as UTC)."""
    return datetime.now(UTC)


class LicenseStatus(str, enum.Enum):
    """Registry status of a placement company's licence (SIP3MI)."""

    AKTIF = "aktif"
    DIBEKUKAN = "dibekukan"
    DICABUT = "dicabut"
    KEDALUWARSA = "kedaluwarsa"


def effective_status(status: LicenseStatus, valid_until: date | None, today: date) -> LicenseStatus:
    """An `aktif` licence whose validity date has passed counts as expired (CONTRACTS.md)."""
    if status is LicenseStatus.AKTIF and valid_until is not None and valid_until < today:
        return LicenseStatus.KEDALUWARSA
    return status


class Agency(Base):
    """A placement company (P3MI) as listed in the imported registry."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_norm: Mapped[str] = mapped_column(String(300), index=True)
    license_number: Mapped[str] = mapped_column(String(120))
    license_norm: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[LicenseStatus] = mapped_column(
        Enum(LicenseStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    valid_until: Mapped[date | None] = mapped_column(Date)
    province: Mapped[str] = mapped_column(String(120), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    countries: Mapped[str] = mapped_column(Text, default="")  # ';'-joined, as imported
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Dataset(Base):
    """Provenance of an imported data set (e.g. the agency registry): as-of date, demo or real."""

    __tablename__ = "datasets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_of: Mapped[date | None] = mapped_column(Date)
    source_file: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    row_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumped on every change; cache key
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Message(Base):
    """One transcript line: a message from or to a user on a channel."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_user_time", "channel", "user_id", "id"),
        # One row per channel message id: a redelivered Telegram/WhatsApp update is dropped atomically.
        UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list | None] = mapped_column(JSON, default=None)
    status: Mapped[str] = mapped_column(String(20), default="ok")  # in: received/answered/failed
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Who wrote it: user, bot, staff or notice (a message from the system outside a turn); NULL in lines
    # recorded before the help desk existed (then: "in" = user, "out" = bot).
    sender: Mapped[str | None] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(String(80))  # the staff member who wrote a staff line
    # The text as staff read it (personal numbers masked), made once when the line is stored; NULL in lines
    # stored before 0004 (masked when read, in a worker thread, with a bounded cost per page).
    text_masked: Mapped[str | None] = mapped_column(Text)


class Vacancy(Base):
    """A job vacancy from one source (Perpres 57/2023 fields plus provenance)."""

    __tablename__ = "vacancies"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_vacancies_source_id"),
        Index("ix_vacancies_group", "group_key"),
        Index("ix_vacancies_region", "region_code", "expires_at"),
        Index("ix_vacancies_country", "country", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80))
    source_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str] = mapped_column(String(300))
    headcount: Mapped[int | None] = mapped_column(Integer)
    city: Mapped[str] = mapped_column(String(120), default="")  # as written by the source
    province: Mapped[str] = mapped_column(String(120), default="")  # as written by the source
    region_code: Mapped[str | None] = mapped_column(String(10))  # resolved kabupaten/kota, if any
    province_code: Mapped[str | None] = mapped_column(String(10))
    sector: Mapped[str] = mapped_column(String(200), default="")
    education: Mapped[str] = mapped_column(String(200), default="")  # as written
    education_level: Mapped[int | None] = mapped_column(Integer)  # knowledge.language.vocab.EDUCATION_LEVELS
    skills: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(String(200), default="")
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    posted_at: Mapped[date | None] = mapped_column(Date)
    expires_at: Mapped[date | None] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(80), default="")  # "" = domestic
    agency_license: Mapped[str] = mapped_column(String(120), default="")
    agency_license_norm: Mapped[str] = mapped_column(String(120), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    group_key: Mapped[str] = mapped_column(String(400))  # same vacancy from several sources share it
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VacancyTerm(Base):
    """Search index: one row per (word or occupation tag, vacancy), with the fields searches filter on.

    `scope` is the kabupaten/kota code for a domestic vacancy, 'LN:<country>' for an overseas job order
    and '?' for a place that could not be resolved; `expires_at` uses 9999-12-31 for "no end date".
    """

    __tablename__ = "vacancy_terms"
    __table_args__ = (
        Index("ix_vacancy_terms_scope", "term", "scope", "expires_at"),
        Index("ix_vacancy_terms_recent", "term", "posted_at"),
        Index("ix_vacancy_terms_vacancy", "vacancy_id"),
    )

    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(90))
    expires_at: Mapped[date] = mapped_column(Date)
    posted_at: Mapped[date] = mapped_column(Date)  # 0001-01-01 when unknown


class EscalationStatus(str, enum.Enum):
    """Where an escalation stands in the help-desk queue."""

    OPEN = "open"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"


class Priority(str, enum.Enum):
    """How soon a person must look at an escalation (emergencies first)."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


class Escalation(Base):
    """A conversation handed to the help desk: a fraud report, an emergency, a request for a person."""

    __tablename__ = "escalations"
    __table_args__ = (
        Index("ix_escalations_queue", "status", "priority_rank", "created_at"),
        Index("ix_escalations_user", "channel", "user_id"),
        Index("ix_escalations_client", "client_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(10))
    priority_rank: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=EscalationStatus.OPEN.value)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    assigned_to: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(20))  # knowledge.escalations.handoff.OUTCOMES
    outcome_note: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    links_indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    spam: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # marked by staff
    client_key: Mapped[str | None] = mapped_column(String(64))  # keyed hash of the web-chat client address


class StaffUser(Base):
    """A help-desk account (password stored as a bcrypt hash)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Training(Base):
    """A training programme (BLK/BPVP, Kemnaker, regional government, private provider)."""

    __tablename__ = "trainings"
    __table_args__ = (Index("ix_trainings_region", "region_code", "end_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(400), unique=True)  # provider|title|start|place
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(120), default="")
    province: Mapped[str] = mapped_column(String(120), default="")
    region_code: Mapped[str | None] = mapped_column(String(10))
    province_code: Mapped[str | None] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    quota: Mapped[int | None] = mapped_column(Integer)
    registration_url: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    search_terms: Mapped[str] = mapped_column(Text, default="")  # title/field words and occupation tags
    content_hash: Mapped[str] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AppSecret(Base):
    """A secret the application made for itself and shares between its processes (e.g. the key of the
    keyed hash that pseudonymises user ids in logs and phone numbers in report links)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
