"""Staff taking over a conversation: claim (the bot is paused for that user), release (the bot answers
again, from a clean dialogue state), close with an outcome; and what the gateway asks for each message.

The conversation is what is held: while any of a user's escalations is assigned, the `handoffs` row of
that (channel, user) names the holder and the bot stays silent. Every change is one conditional UPDATE,
so two staff members claiming at once cannot both win (SQLite runs one writer at a time; PostgreSQL
re-checks the WHERE clause after the first transaction commits). The caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy
from knowledge.escalations import holds
from knowledge.escalations.store import EscalationSummary, summary_of
from knowledge.facts import bullets
from knowledge.models import Escalation, EscalationStatus, utcnow
from knowledge.staff.models import Handoff

OPEN, ASSIGNED, RESOLVED = (s.value for s in EscalationStatus)
# How an escalation ended (POST /api/escalations/{id}/close {"outcome": ...}), with the staff-facing label.
OUTCOMES = {
    "resolved": "Selesai ditangani",
    "referred_bp3mi": "Dirujuk ke BP3MI/KP2MI",
    "referred_police": "Dirujuk ke polisi",
    "spam": "Spam / bukan laporan",
    "no_response": "Tidak ada tanggapan dari pengguna",
}
_ALIASES = {
    "referred_kp2mi": "referred_bp3mi",
    "bp3mi": "referred_bp3mi",
    "kp2mi": "referred_bp3mi",
    "referred_to_bp3mi": "referred_bp3mi",
    "police": "referred_police",
    "polisi": "referred_police",
    "referred_to_police": "referred_police",
    "no_reply": "no_response",
    "selesai": "resolved",
}
MAX_NOTE_CHARS = 2000


class HandoffError(Exception):
    """A claim, release or close that cannot happen; the message says why (for staff, in Indonesian)."""


class NotFound(HandoffError):
    """No escalation with that id."""


class HeldByOther(HandoffError):
    """Another staff member holds the escalation (or the user's conversation)."""

    def __init__(self, holder: str):
        super().__init__(f"sedang ditangani petugas lain ({holder})")
        self.holder = holder


class AlreadyClosed(HandoffError):
    """The escalation was closed already."""


@dataclass(frozen=True)
class Change:
    """What a claim, release or close did, and the notice the caller must deliver to the user (if any)."""

    escalation: EscalationSummary
    changed: bool
    notice: Answer | None = None


@dataclass(frozen=True)
class PauseState:
    """The gateway's question for each message: is the bot paused for this user, is the one notice due,
    must the dialogue start clean (the bot just got the conversation back)? When not paused, `notice` says
    once that a hold ended by itself; the bot answers the message after it."""

    paused: bool = False
    notice: Answer | None = None
    reset_due: bool = False


def normalize_outcome(value: str) -> str | None:
    """The canonical outcome for what a client sent ("Referred-KP2MI" -> referred_bp3mi), None if unknown."""
    key = "_".join(value.strip().lower().replace("-", " ").replace("/", " ").split())
    key = _ALIASES.get(key, key)
    return key if key in OUTCOMES else None


def claim(session: Session, escalation_id: int, staff: str, *, now: datetime | None = None) -> Change:
    """Assign to `staff` and pause the bot for the user; no change when it is theirs already."""
    now = now or utcnow()
    esc = _get(session, escalation_id)
    if esc.status == RESOLVED:
        raise AlreadyClosed("laporan ini sudah ditutup")
    if esc.status == ASSIGNED and esc.assigned_to == staff:
        holds.touch(session, esc.channel, esc.user_id, staff, now)  # a reply claims first: the hold is not idle
        return Change(summary_of(esc), changed=False)
    won = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == OPEN, Escalation.assigned_to.is_(None))
        .values(status=ASSIGNED, assigned_to=staff, claimed_at=now, updated_at=now)
    )
    if _rowcount(won) != 1:
        session.refresh(esc)
        if esc.status == RESOLVED:
            raise AlreadyClosed("laporan ini sudah ditutup")
        raise HeldByOther(esc.assigned_to or "?")
    _hold_conversation(session, esc, staff, now)
    session.refresh(esc)
    return Change(summary_of(esc), changed=True)


def release(session: Session, escalation_id: int, staff: str, *, admin: bool = False) -> Change:
    """Back to the queue (status open); when none of the user's escalations stays assigned, the bot answers
    again (from a clean dialogue state) and the user is told. Another holder's: HeldByOther unless admin."""
    esc = _get(session, escalation_id)
    if esc.status != ASSIGNED:
        return Change(summary_of(esc), changed=False)
    holder = esc.assigned_to or ""
    if holder != staff and not admin:
        raise HeldByOther(holder)
    _conditional(
        session, esc, holder, status=OPEN, assigned_to=None, claimed_at=None, updated_at=utcnow(), expect=ASSIGNED
    )
    notice = _let_go(session, esc, load_copy("helpdesk")["released"])
    return Change(summary_of(esc), changed=True, notice=notice)


def close(
    session: Session, escalation_id: int, staff: str, outcome: str, note: str = "", *, admin: bool = False
) -> Change:
    """Status resolved with an outcome and a note; releases the conversation like `release`."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    esc = _get(session, escalation_id)
    if esc.status == RESOLVED:
        raise AlreadyClosed("laporan ini sudah ditutup")
    holder = esc.assigned_to
    if holder is not None and holder != staff and not admin:
        raise HeldByOther(holder)
    now = utcnow()
    _conditional(
        session,
        esc,
        holder,
        status=RESOLVED,
        assigned_to=holder or staff,
        outcome=outcome,
        outcome_note=note[:MAX_NOTE_CHARS],
        closed_by=staff,
        resolved_at=now,
        updated_at=now,
        expect=esc.status,
    )
    notice = _let_go(session, esc, load_copy("helpdesk")["closed"].format(id=esc.id))
    return Change(summary_of(esc), changed=True, notice=notice)


def pause_state(session: Session, channel: str, user_id: str, *, idle: timedelta | None = None) -> PauseState:
    """For one incoming message: paused or not; the first message of a pause makes the notice due (once,
    however many gateways answer); after a release, the dialogue must be reset first. A hold idle for
    `idle`, or of a disabled account, ends here and the bot answers this very message. Commits."""
    found = session.get(Handoff, (channel, user_id))
    if found is None:
        return PauseState()
    if holds.end_if_over(session, found, idle):
        return PauseState(reset_due=True, notice=holds.release_notice())
    if found.held_by is None:
        notice = holds.take_release_notice(session, channel, user_id) if found.release_notice_due else None
        if notice is not None:
            session.commit()
        return PauseState(reset_due=found.reset_pending, notice=notice)
    if found.notice_sent:  # the usual case while paused: a read, no write
        return PauseState(paused=True)
    first = session.execute(
        update(Handoff)
        .where(Handoff.channel == channel, Handoff.user_id == user_id, Handoff.held_by.is_not(None))
        .where(Handoff.notice_sent.is_(False))
        .values(notice_sent=True)
    )
    session.commit()
    if _rowcount(first) != 1:
        return PauseState(paused=True)
    return PauseState(paused=True, notice=_pause_notice(session, found.escalation_id))


def reset_done(session: Session, channel: str, user_id: str) -> None:
    """The dialogue was reset after a release: no second reset. Commits."""
    session.execute(
        update(Handoff)
        .where(Handoff.channel == channel, Handoff.user_id == user_id, Handoff.held_by.is_(None))
        .values(reset_pending=False)
    )
    session.commit()


def holder_of(session: Session, channel: str, user_id: str) -> str | None:
    """Who holds a user's conversation (None: the bot answers)."""
    found = session.get(Handoff, (channel, user_id))
    return found.held_by if found else None


def _get(session: Session, escalation_id: int) -> Escalation:
    esc = session.get(Escalation, escalation_id, populate_existing=True)
    if esc is None:
        raise NotFound("laporan tidak ditemukan")
    return esc


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _conditional(session: Session, esc: Escalation, holder: str | None, *, expect: str, **values: object) -> None:
    """Change an escalation only if nobody changed it since it was read; else say who has it now."""
    held = Escalation.assigned_to.is_(None) if holder is None else Escalation.assigned_to == holder
    done = session.execute(
        update(Escalation).where(Escalation.id == esc.id, Escalation.status == expect, held).values(**values)
    )
    session.refresh(esc)
    if _rowcount(done) != 1:
        if esc.status == RESOLVED:
            raise AlreadyClosed("laporan ini sudah ditutup")
        raise HeldByOther(esc.assigned_to or "?")


def _hold_conversation(session: Session, esc: Escalation, staff: str, now: datetime) -> None:
    """The user's conversation is held by `staff` (it may be already, through another escalation)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(Handoff).values(channel=esc.channel, user_id=esc.user_id, updated_at=now).on_conflict_do_nothing()
    )
    key = (Handoff.channel == esc.channel, Handoff.user_id == esc.user_id)
    taken = session.execute(
        update(Handoff)
        .where(*key, Handoff.held_by.is_(None))
        .values(held_by=staff, escalation_id=esc.id, since=now, notice_sent=False, reset_pending=False, updated_at=now)
    )
    if _rowcount(taken) == 1:
        return
    holder = session.scalar(select(Handoff.held_by).where(*key))
    if holder != staff:
        raise HeldByOther(holder or "?")  # the caller rolls back: the escalation stays as it was
    holds.touch(session, esc.channel, esc.user_id, staff, now)


def _let_go(session: Session, esc: Escalation, text: str) -> Answer | None:
    """After a release or close: when none of the user's escalations is assigned any more, the bot gets the
    conversation back (clean dialogue state next time) and the user is told; None when nothing changes."""
    still = session.scalar(
        select(Escalation.id)
        .where(Escalation.channel == esc.channel, Escalation.user_id == esc.user_id, Escalation.status == ASSIGNED)
        .order_by(Escalation.priority_rank, Escalation.id)
        .limit(1)
    )
    found = session.get(Handoff, (esc.channel, esc.user_id), populate_existing=True)
    if found is None or found.held_by is None:
        return None
    if still is not None:
        found.escalation_id = still
        return None
    found.held_by, found.escalation_id, found.since = None, None, None
    found.notice_sent, found.reset_pending, found.updated_at = False, True, utcnow()
    session.flush()
    return Answer(text)


def _pause_notice(session: Session, escalation_id: int | None) -> Answer:
    copy = load_copy("helpdesk")
    esc = session.get(Escalation, escalation_id) if escalation_id else None
    text = copy["paused"].format(id=esc.id if esc else "-")
    if esc is not None and esc.reason == "emergency":
        text = "\n\n".join([text, copy["paused_urgent"], bullets(["kp2mi_call_center"])])
    return Answer(text)


def user_open_count(session: Session, channel: str, user_id: str) -> int:
    """How many of a user's escalations are not closed (shown beside a conversation)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Escalation)
            .where(Escalation.channel == channel, Escalation.user_id == user_id)
            .where(or_(Escalation.status == OPEN, Escalation.status == ASSIGNED))
        )
        or 0
    )
