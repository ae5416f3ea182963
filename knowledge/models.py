"""Application tables (SQLAlchemy 2 typed models)."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db import Base


def utcnow() -> datetime:
    """Timezone-aware current time (stored as UTC)."""
    return datetime.now(timezone.utc)


class LicenseStatus(str, enum.Enum):
    """Registry status of a placement company's licence (SIP3MI)."""

    AKTIF = "aktif"
    DIBEKUKAN = "dibekukan"
    DICABUT = "dicabut"
    KEDALUWARSA = "kedaluwarsa"


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
