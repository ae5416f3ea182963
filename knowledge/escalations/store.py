"""The escalation store: what the bot hands to the help desk, and what staff read."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.delivery.identities import client_key_of
from knowledge.escalations.abuse import LOWERED, lowered_of, rank_for
from knowledge.escalations.shown import masked, shown_user_id, staff_lines
from knowledge.language.privacy import mask_pii
from knowledge.models import PRIORITY_RANK, Escalation, EscalationStatus, Priority, utcnow
from knowledge.settings import get_settings
from knowledge.storable import storable, storable_text
from knowledge.transcripts import TranscriptLine, conversation, sender_of

log = logging.getLogger(__name__)

REASONS = {
    "emergency": Priority.URGENT,
    "fraud_report": Priority.HIGH,
    "request_human": Priority.NORMAL,
    "not_understood": Priority.NORMAL,
}


@dataclass(frozen=True)
class EscalationSummary:
    """One queue entry (the list view)."""

    id: int
    user_id: str
    channel: str
    reason: str
    priority: str
    status: str
    assigned_to: str | None
    created_at: datetime
    outcome: str | None = None
    outcome_note: str | None = None
    priority_rank: int = 0
    spam: bool = False  # marked as spam by staff

    @property
    def lowered(self) -> str | None:
        """Why it sits low in the queue: "flood", "spam_source" or None (knowledge/escalations/abuse.py)."""
        return lowered_of(self.priority_rank)

    @property
    def lowered_label(self) -> str:
        """The same for staff, in Indonesian ("" when it was not lowered)."""
        return LOWERED.get(self.lowered or "", "")

    def as_dict(self) -> dict:
        """JSON shape of GET /api/escalations (CONTRACTS.md); a WhatsApp id is a phone number: masked."""
        return {
            "id": self.id,
            "user_id": shown_user_id(self.channel, self.user_id),
            "channel": self.channel,
            "reason": self.reason,
            "priority": self.priority,
            "status": self.status,
            "assigned_to": self.assigned_to,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True)
class EscalationDetail:
    """One escalation with what the bot collected and the conversation, as staff read them (masked)."""

    summary: EscalationSummary
    details: dict
    assigned_to: str | None
    transcript: tuple[TranscriptLine, ...]

    def as_dict(self) -> dict:
        """JSON shape of GET /api/escalations/{id}."""
        return {
            **self.summary.as_dict(),
            "outcome": self.summary.outcome,
            "outcome_note": self.summary.outcome_note,
            "spam": self.summary.spam,
            "lowered": self.summary.lowered,
            "details": self.details,
            "transcript": [
                {
                    "direction": t.direction,
                    "sender": sender_of(t),
                    "text": t.text_masked if t.text_masked is not None else mask_pii(t.text),
                    "buttons": list(t.buttons),
                    "status": t.status,
                    "created_at": _iso(t.created_at),
                }
                for t in self.transcript
            ],
        }


def _iso(value: datetime) -> str:
    """UTC ISO 8601 (SQLite returns naive datetimes that were stored as UTC)."""
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def split_sender(sender_id: str) -> tuple[str, str]:
    """'telegram:12345' -> ('telegram', '12345'); a sender without a channel prefix is 'web'."""
    channel, sep, user = sender_id.partition(":")
    return (channel, user) if sep and user else ("web", sender_id)


def create_escalation(session: Session, *, channel: str, user_id: str, reason: str, details: dict | None = None) -> int:
    """Store an escalation; an open one of the same user and reason is updated instead of duplicated.

    A web-chat escalation carries the hashed address that first used the user id (recorded by the gateway);
    one from a flooding address or a source marked as spam is queued last (knowledge/escalations/abuse.py)."""
    if reason not in REASONS:
        raise ValueError(f"unknown escalation reason {reason!r}")
    # the details are what the user typed (a fraud report's answers): no NUL or lone surrogate may be stored
    user_id, details = storable_text(user_id), storable(details or {})
    priority = REASONS[reason]
    existing = session.scalar(
        select(Escalation).where(
            Escalation.channel == channel,
            Escalation.user_id == user_id,
            Escalation.reason == reason,
            Escalation.status != EscalationStatus.RESOLVED.value,
        )
    )
    if existing is not None:
        existing.details = {**(existing.details or {}), **(details or {})}
        existing.updated_at = utcnow()
        session.flush()
        return existing.id
    key = client_key_of(session, channel=channel, user_id=user_id)
    rank = rank_for(
        session,
        channel=channel,
        user_id=user_id,
        client_key=key,
        rank=PRIORITY_RANK[priority],
        per_address_hour=get_settings().escalations_per_address_hour,
    )
    esc = Escalation(
        channel=channel,
        user_id=user_id,
        reason=reason,
        priority=priority.value,
        priority_rank=rank,
        status=EscalationStatus.OPEN.value,
        details=details or {},
        client_key=key,
    )
    session.add(esc)
    session.flush()
    return esc.id


def user_escalations(session: Session, *, channel: str, user_id: str) -> list[EscalationSummary]:
    """One user's escalations, open ones first, then the newest."""
    rows = session.scalars(
        select(Escalation)
        .where(Escalation.channel == channel, Escalation.user_id == user_id)
        .order_by(
            Escalation.status == EscalationStatus.RESOLVED.value,
            Escalation.priority_rank,
            Escalation.created_at.desc(),
            Escalation.id.desc(),
        )
    )
    return [summary_of(e) for e in rows]


def has_open_emergency(session: Session, *, channel: str, user_id: str) -> bool:
    """Whether this user has an emergency that staff have not closed yet."""
    return (
        session.scalar(
            select(Escalation.id)
            .where(
                Escalation.channel == channel,
                Escalation.user_id == user_id,
                Escalation.reason == "emergency",
                Escalation.status != EscalationStatus.RESOLVED.value,
            )
            .limit(1)
        )
        is not None
    )


def add_update(session: Session, escalation_id: int, text: str) -> None:
    """Add what the user wrote after the escalation to its details (what staff read first)."""
    esc = session.get(Escalation, escalation_id)
    if esc is None:
        return
    details = dict(esc.details or {})
    details["updates"] = [*details.get("updates", []), {"at": _iso(utcnow()), "text": text[:2000]}][-50:]
    esc.details = details  # a new dict: SQLAlchemy sees the change of a JSON column
    esc.updated_at = utcnow()
    session.flush()


def store_escalation(session: Session, *, channel: str, user_id: str, reason: str, details: dict) -> int | None:
    """Create (or add to) an escalation and commit; None when the database fails, logged without any text."""
    try:
        escalation_id = create_escalation(session, channel=channel, user_id=user_id, reason=reason, details=details)
        session.commit()
        return escalation_id
    except SQLAlchemyError as exc:
        session.rollback()
        log.error("escalation (%s) not stored: %s", reason, type(exc).__name__)
        return None


def summary_of(e: Escalation) -> EscalationSummary:
    """The queue entry of an escalation row."""
    return EscalationSummary(
        id=e.id,
        user_id=e.user_id,
        channel=e.channel,
        reason=e.reason,
        priority=e.priority,
        status=e.status,
        assigned_to=e.assigned_to,
        created_at=e.created_at,
        outcome=e.outcome,
        outcome_note=e.outcome_note,
        priority_rank=e.priority_rank,
        spam=bool(e.spam),
    )


def list_escalations(session: Session, *, status: str | None = None, limit: int = 500) -> list[EscalationSummary]:
    """The queue: most urgent first, then oldest first."""
    stmt = select(Escalation)
    if status:
        stmt = stmt.where(Escalation.status == status)
    stmt = stmt.order_by(Escalation.priority_rank, Escalation.created_at, Escalation.id).limit(limit)
    return [summary_of(e) for e in session.scalars(stmt)]


def get_escalation(session: Session, escalation_id: int) -> EscalationDetail | None:
    """One escalation with its transcript as staff read it (masked here, in the caller's worker thread), or None."""
    e = session.get(Escalation, escalation_id)
    if e is None:
        return None
    lines = staff_lines(conversation(session, channel=e.channel, user_id=e.user_id))
    details = {key: masked(value) for key, value in (e.details or {}).items()}
    return EscalationDetail(summary=summary_of(e), details=details, assigned_to=e.assigned_to, transcript=tuple(lines))
