"""The audit log: every staff action (who, when, what, on which escalation), readable by admins. It never
holds the text of a message: the transcript has that, and the log must be safe to show to any admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import utcnow
from knowledge.staff.clock import aware
from knowledge.staff.models import AuditEntry
from knowledge.storable import storable, storable_text

# What an entry's `action` may be, with the label admins read.
ACTIONS = {
    "login": "Masuk",
    "logout": "Keluar",
    "login_locked": "Dikunci: salah kata sandi berulang",
    "view": "Membuka percakapan",
    "claim": "Mengambil",
    "reply": "Membalas",
    "release": "Mengembalikan ke bot",
    "close": "Menutup",
    "reveal": "Menampilkan nomor",
    "outbox_read": "Membaca pesan yang tidak terkirim",
    "spam": "Menandai spam",
    "unspam": "Membatalkan tanda spam",
    "staff_add": "Akun dibuat",
    "staff_disable": "Akun dinonaktifkan",
    "staff_unlock": "Kunci login dibuka",
}
REVEAL_FOR = timedelta(minutes=10)  # a "show numbers" click shows them on that conversation this long
VIEW_EVERY = timedelta(minutes=10)  # a page polling for new lines logs one "view" per this long, not per poll


@dataclass(frozen=True)
class AuditLine:
    """One entry as admins read it."""

    id: int
    at: datetime
    staff: str
    action: str
    escalation_id: int | None
    detail: dict

    @property
    def label(self) -> str:
        """The action in Indonesian."""
        return ACTIONS.get(self.action, self.action)


def record(session: Session, staff: str, action: str, *, escalation_id: int | None = None, **detail: object) -> None:
    """Add one entry (in the caller's transaction: the action and its entry commit together)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    staff, detail = storable_text(staff)[:80], storable(detail)  # a typed username or key may hold NUL
    session.add(AuditEntry(staff=staff, action=action, escalation_id=escalation_id, detail=detail, at=utcnow()))
    session.flush()


def record_view(session: Session, staff: str, escalation_id: int, *, now: datetime | None = None) -> bool:
    """Log that staff read a conversation, unless they were logged reading it within VIEW_EVERY (opening the
    page logs one; an open page polling every few seconds then adds one per VIEW_EVERY); True when logged."""
    since = (now or utcnow()) - VIEW_EVERY
    seen = session.scalar(
        select(AuditEntry.id)
        .where(AuditEntry.staff == staff[:80], AuditEntry.escalation_id == escalation_id)
        .where(AuditEntry.action == "view", AuditEntry.at >= since)
        .limit(1)
    )
    if seen is not None:
        return False
    record(session, staff, "view", escalation_id=escalation_id, via="poll")
    return True


def entries(
    session: Session,
    *,
    staff: str | None = None,
    escalation_id: int | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[AuditLine]:
    """The newest entries first, filtered."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if staff:
        stmt = stmt.where(AuditEntry.staff == staff)
    if escalation_id is not None:
        stmt = stmt.where(AuditEntry.escalation_id == escalation_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return [
        AuditLine(e.id, aware(e.at), e.staff, e.action, e.escalation_id, dict(e.detail or {}))
        for e in session.scalars(stmt)
    ]


def revealed(session: Session, staff: str, escalation_id: int, *, now: datetime | None = None) -> bool:
    """Whether this staff member asked (and it was logged) to see the numbers of this conversation lately:
    the log entry itself is the permission, so nothing is shown that was not logged."""
    since = (now or utcnow()) - REVEAL_FOR
    return (
        session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.staff == staff, AuditEntry.escalation_id == escalation_id)
            .where(AuditEntry.action == "reveal", AuditEntry.at >= since)
            .limit(1)
        )
        is not None
    )
