"""Holds that end without a staff member's click: after HELPDESK_HOLD_IDLE_MINUTES without a claim or reply
by the holder, or when the holder's account is disabled.

The holder's reports go back to the queue (open, unassigned: a colleague picks them up), the bot answers
again from a clean dialogue state, the end is audited as the system's, and the user is told once. Whoever
comes first ends a hold -- the user's next message (`handoff.pause_state`, so that message is answered by
the bot), the gateway's periodic pass, `staff disable` -- each with conditional UPDATEs, so it ends once:
a staff reply at the same moment wins (the hold is no longer idle) and the ending is rolled back.
Locks are taken in the order claim and release use (escalations, then the handoff row)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy
from knowledge.models import Escalation, EscalationStatus, StaffUser, utcnow
from knowledge.staff import audit
from knowledge.staff.clock import aware
from knowledge.staff.models import Handoff

SYSTEM = "system"  # the audit log's name for what the gateway does by itself
IDLE, DISABLED = "idle", "staff_disabled"


class HoldMoved(Exception):
    """The hold changed while it was being ended (a staff action, another gateway): roll back, re-read."""


def release_notice() -> Answer:
    """What the user reads once when a hold ended by itself."""
    return Answer(load_copy("helpdesk")["timed_out"])


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def ended_reason(session: Session, found: Handoff, idle: timedelta | None, now: datetime) -> str | None:
    """Why this hold is over although nobody released it (IDLE, DISABLED), or None: it goes on."""
    if found.held_by is None:
        return None
    if idle and aware(found.updated_at) <= now - idle:
        return IDLE
    active = session.scalar(select(StaffUser.active).where(StaffUser.username == found.held_by))
    return DISABLED if active is False else None


def end_if_over(session: Session, found: Handoff, idle: timedelta | None) -> bool:
    """For the user's message: end this hold now if it is over, committed (True: the bot answers, saying so
    once). False: it goes on, or someone came first (rolled back, `found` re-read: decide on what is there)."""
    now = utcnow()
    reason = ended_reason(session, found, idle, now)
    if reason is None or found.held_by is None:
        return False
    before = now - idle if reason == IDLE and idle else None
    try:
        holder = found.held_by
        end_hold(session, found.channel, found.user_id, holder, reason=reason, idle_before=before, notice_due=False)
    except HoldMoved:
        session.rollback()
        session.refresh(found)
        return False
    session.commit()
    return True


def touch(session: Session, channel: str, user_id: str, staff: str, now: datetime) -> None:
    """The holder acted on the conversation (claim, reply): its idle time starts again."""
    session.execute(
        update(Handoff)
        .where(Handoff.channel == channel, Handoff.user_id == user_id, Handoff.held_by == staff)
        .execution_options(synchronize_session=False)
        .values(updated_at=now)
    )


def end_hold(
    session: Session,
    channel: str,
    user_id: str,
    holder: str,
    *,
    reason: str,
    idle_before: datetime | None = None,
    notice_due: bool = True,
    now: datetime | None = None,
) -> None:
    """End `holder`'s hold of one conversation (with `idle_before`: only if it was idle since). `notice_due`:
    the user is still to be told (`take_release_notice`). Raises HoldMoved when the hold changed meanwhile;
    the caller owns the transaction and must then roll it back."""
    now = now or utcnow()
    assigned = EscalationStatus.ASSIGNED.value
    mine = (
        Escalation.channel == channel,
        Escalation.user_id == user_id,
        Escalation.status == assigned,
        Escalation.assigned_to == holder,
    )
    ids: list[int | None] = list(session.scalars(select(Escalation.id).where(*mine).order_by(Escalation.id)))
    if ids:
        session.execute(
            update(Escalation)
            .where(Escalation.id.in_(ids), *mine)
            .execution_options(synchronize_session=False)
            .values(status=EscalationStatus.OPEN.value, assigned_to=None, claimed_at=None, updated_at=now)
        )
    held = [Handoff.channel == channel, Handoff.user_id == user_id, Handoff.held_by == holder]
    if idle_before is not None:
        held.append(Handoff.updated_at <= idle_before)
    done = session.execute(
        update(Handoff)
        .where(*held)
        .execution_options(synchronize_session=False)  # rows in the session are re-read by whoever needs them
        .values(
            held_by=None,
            escalation_id=None,
            since=None,
            notice_sent=False,
            reset_pending=True,
            release_notice_due=notice_due,
            updated_at=now,
        )
    )
    if _rowcount(done) != 1:
        raise HoldMoved(f"{channel} conversation no longer held by {holder} as read")
    for esc_id in ids or [None]:  # a hold whose reports were closed meanwhile: still one entry
        audit.record(session, SYSTEM, "release", escalation_id=esc_id, reason=reason, holder=holder)


def end_holds_of(session: Session, holder: str) -> int:
    """Every hold of one staff member ends (their account was disabled); the users are told at the next
    chance. Returns how many. Flushes."""
    held = session.execute(select(Handoff.channel, Handoff.user_id).where(Handoff.held_by == holder)).all()
    ended = 0
    for channel, user_id in held:
        try:
            end_hold(session, channel, user_id, holder, reason=DISABLED)
            ended += 1
        except HoldMoved:  # released by someone else at this very moment: nothing left to do
            continue
    session.flush()
    return ended


def idle_holds(session: Session, idle: timedelta, *, now: datetime | None = None, limit: int = 100) -> list[Handoff]:
    """Holds without a claim or reply by their holder for `idle` (oldest first)."""
    before = (now or utcnow()) - idle
    stmt = select(Handoff).where(Handoff.held_by.is_not(None), Handoff.updated_at <= before)
    return list(session.scalars(stmt.order_by(Handoff.updated_at).limit(limit)))


def due_notices(session: Session, *, limit: int = 100) -> list[tuple[str, str]]:
    """Conversations whose hold ended by itself and whose user was not told yet: (channel, user_id)."""
    stmt = select(Handoff.channel, Handoff.user_id).where(Handoff.release_notice_due.is_(True)).limit(limit)
    return [(c, u) for c, u in session.execute(stmt)]


def take_release_notice(session: Session, channel: str, user_id: str) -> Answer | None:
    """The notice, for exactly one taker however many gateways ask (None: told already). Flushes."""
    done = session.execute(
        update(Handoff)
        .where(Handoff.channel == channel, Handoff.user_id == user_id, Handoff.release_notice_due.is_(True))
        .execution_options(synchronize_session=False)
        .values(release_notice_due=False)
    )
    return release_notice() if _rowcount(done) == 1 else None
