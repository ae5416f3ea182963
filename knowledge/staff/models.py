"""Help-desk tables: handoffs (the bot paused for a conversation), staff sessions, login throttling, the
audit log and the identifiers that link reports about the same agency, phone number or bank account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models import Base, utcnow


class Handoff(Base):
    """One conversation's state towards the help desk: held by a staff member (the bot is paused) or not,
    whether the user was told, and whether the bot must start from a clean dialogue state next time."""

    __tablename__ = "handoffs"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    held_by: Mapped[str | None] = mapped_column(String(80))  # set = the bot is paused for this user
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notice_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reset_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # a hold ended by itself (idle, account disabled) and the user was not told yet (knowledge/escalations/holds.py)
    release_notice_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # while held: the holder's last claim or reply (an idle hold ends after HELPDESK_HOLD_IDLE_MINUTES)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffSession(Base):
    """A dashboard login: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_username", "username"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie's token
    username: Mapped[str] = mapped_column(String(80))
    csrf: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuthThrottle(Base):
    """Wrong passwords counted per account ("account:<name>") and per address ("address:<ip>")."""

    __tablename__ = "auth_throttle"

    key: Mapped[str] = mapped_column(String(140), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One staff action: who, when, what, on which escalation (never the text of a message)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_escalation", "escalation_id", "id"),
        Index("ix_audit_log_staff", "staff", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    staff: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(30))
    escalation_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the log outlives what it names
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class EscalationLink(Base):
    """An identifier a report names (agency, phone number, bank account): reports sharing one are linked."""

    __tablename__ = "escalation_links"
    __table_args__ = (Index("ix_escalation_links_key", "kind", "key"),)

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # agency, license, phone, account
    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # normalised name, or a hash of the number
    label: Mapped[str] = mapped_column(String(200))  # what staff see: the name, or a number shown masked
