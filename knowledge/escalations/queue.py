"""The help-desk queue as staff see it: emergencies first, then fraud reports, then the rest, oldest first
within a level; with the channel, how long the user has been waiting, who holds it, the last message, and
how often the same agency, phone number or account was reported."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from knowledge.escalations.links import report_counts
from knowledge.escalations.store import EscalationSummary, summary_of
from knowledge.language.privacy import mask_pii
from knowledge.models import Escalation, EscalationStatus, Message, utcnow
from knowledge.staff.clock import aware
from knowledge.transcripts import IN, USER

ACTIVE = (EscalationStatus.OPEN.value, EscalationStatus.ASSIGNED.value)
VIEWS = ("active", "open", "assigned", "mine", "resolved", "all")
LAST_TEXT_CHARS = 140


@dataclass(frozen=True)
class Filters:
    """What the queue page asks for."""

    view: str = "active"  # active (open + assigned), open, assigned, mine, resolved, all
    reason: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    escalation: EscalationSummary
    last_text: str  # masked and shortened
    last_sender: str | None
    last_at: datetime | None
    waiting_since: datetime | None  # None: nobody is waiting (answered, or closed)
    awaits_reply: bool  # the user wrote last
    reported: int  # the most reports one of its identifiers appears in (1 = only this one)

    @property
    def mine_to_answer(self) -> bool:
        """Counts as "waiting for me" for its holder."""
        return self.escalation.status == EscalationStatus.ASSIGNED.value and self.awaits_reply


@dataclass(frozen=True)
class Counts:
    """The numbers at the top of the dashboard."""

    waiting_for_me: int
    unclaimed: int
    unclaimed_urgent: int


def queue(session: Session, *, staff: str, filters: Filters = Filters(), limit: int = 300) -> list[QueueRow]:
    """The queue rows for one staff member's view, most urgent first, oldest first within a level."""
    stmt = select(Escalation)
    if filters.view == "active":
        stmt = stmt.where(Escalation.status.in_(ACTIVE))
    elif filters.view == "mine":
        stmt = stmt.where(Escalation.status == EscalationStatus.ASSIGNED.value, Escalation.assigned_to == staff)
    elif filters.view in ("open", "assigned", "resolved"):
        stmt = stmt.where(Escalation.status == filters.view)
    if filters.reason:
        stmt = stmt.where(Escalation.reason == filters.reason)
    if filters.channel:
        stmt = stmt.where(Escalation.channel == filters.channel)
    if filters.view == "resolved":
        stmt = stmt.order_by(Escalation.resolved_at.desc(), Escalation.id.desc())
    else:
        stmt = stmt.order_by(Escalation.priority_rank, Escalation.created_at, Escalation.id)
    rows = list(session.scalars(stmt.limit(limit)))
    return _decorate(session, rows)


def counts(session: Session, *, staff: str) -> Counts:
    """What waits for this staff member (their conversations where the user wrote last) and the unclaimed."""
    mine = list(
        session.scalars(
            select(Escalation).where(
                Escalation.status == EscalationStatus.ASSIGNED.value, Escalation.assigned_to == staff
            )
        )
    )
    unclaimed = session.execute(
        select(Escalation.priority_rank, func.count())
        .where(Escalation.status == EscalationStatus.OPEN.value)
        .group_by(Escalation.priority_rank)
    ).all()
    return Counts(
        waiting_for_me=sum(1 for row in _decorate(session, mine, with_reports=False) if row.mine_to_answer),
        unclaimed=sum(int(n) for _, n in unclaimed),
        unclaimed_urgent=sum(int(n) for rank, n in unclaimed if rank == 0),
    )


def snippet(text: str, text_masked: str | None = None) -> str:
    """The start of a message as the queue shows it: its stored masked copy, or (a line stored before
    that copy existed) its start masked here."""
    if text_masked is not None:
        return _cut(text_masked)
    return _masked_head(text[: LAST_TEXT_CHARS + 60])  # a number starting in the shown part ends in here


@functools.lru_cache(maxsize=8192)
def _masked_head(head: str) -> str:
    """Cached: the queue shows the same last messages poll after poll."""
    return _cut(mask_pii(head))


def _cut(text: str) -> str:
    return text if len(text) <= LAST_TEXT_CHARS else text[: LAST_TEXT_CHARS - 1] + "…"


LATE_WINDOW = 1000  # ids below the newest whose late commit the queue's version notices (an index range)


def fingerprint(session: Session) -> str:
    """Changes whenever anything the queue shows may have changed (and every minute, for waiting times)."""
    newest = session.scalar(select(func.max(Message.id))) or 0
    # PostgreSQL may commit a line after a newer one: count the latest ids too, so that changes the version
    recent = session.scalar(select(func.count()).select_from(Message).where(Message.id > newest - LATE_WINDOW))
    changed, total = session.execute(select(func.max(Escalation.updated_at), func.count(Escalation.id))).one()
    return f"{newest}.{recent}.{total}.{changed}.{utcnow().strftime('%H%M')}"


def _decorate(session: Session, rows: list[Escalation], *, with_reports: bool = True) -> list[QueueRow]:
    """Add each conversation's last message and the report counts (three queries for the whole page)."""
    people = {(e.channel, e.user_id) for e in rows}
    last: dict[tuple[str, str], Message] = {}
    if people:
        newest = (
            select(func.max(Message.id))
            .where(tuple_(Message.channel, Message.user_id).in_(sorted(people)))
            .group_by(Message.channel, Message.user_id)
        )
        for line in session.scalars(select(Message).where(Message.id.in_(newest))):
            last[(line.channel, line.user_id)] = line
    reported = report_counts(session, [e.id for e in rows]) if with_reports else {}
    out = []
    for e in rows:
        m = last.get((e.channel, e.user_id))
        awaits = m is not None and m.direction == IN
        summary = summary_of(e)
        if e.status == EscalationStatus.OPEN.value:
            waiting: datetime | None = aware(e.created_at)
        elif e.status == EscalationStatus.ASSIGNED.value and awaits and m is not None:
            waiting = aware(m.created_at)
        else:
            waiting = None
        out.append(
            QueueRow(
                escalation=summary,
                last_text=snippet(m.text, m.text_masked) if m is not None else "",
                last_sender=(m.sender or (USER if m.direction == IN else "bot")) if m is not None else None,
                last_at=aware(m.created_at) if m is not None else None,
                waiting_since=waiting,
                awaits_reply=awaits,
                reported=reported.get(e.id, 1),
            )
        )
    return out
