"""The inbox: every channel update is stored before the webhook answers 200, so a gateway that stops
mid-turn loses nothing; a worker processes each update once, in order per user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.delivery import queue
from knowledge.delivery.models import InboxItem, Recipient
from knowledge.models import Message, utcnow
from knowledge.storable import storable, storable_text

DONE, FAILED = "done", "failed"
RESUMABLE = ("received", "spooled")  # an inbound transcript line that never got its answer


@dataclass(frozen=True)
class Inbound:
    """A claimed inbox row."""

    id: int
    channel: str
    user_id: str
    external_id: str
    payload: dict
    attempts: int
    claim: str


def store(
    session: Session,
    *,
    channel: str,
    user_id: str,
    external_id: str,
    payload: dict,
    wrote_at: datetime | None = None,
    from_user: bool = True,
) -> bool:
    """Keep one update for processing; False when this update was stored before (a redelivery).

    `from_user=False` for events that are not the user writing (a delivery receipt): they do not open the
    WhatsApp window, and their `user_id` is only a queue key. Names, texts and ids in the payload come from
    strangers: NUL and lone surrogates are cleaned first (PostgreSQL refuses them in text, jsonb and ->>).
    """
    user_id, external_id, payload = storable_text(user_id), storable_text(external_id), storable(payload)
    try:
        with session.begin_nested():
            session.add(InboxItem(channel=channel, user_id=user_id, external_id=external_id, payload=payload))
    except IntegrityError:
        return False
    if from_user:
        touch_recipient(session, channel, user_id, wrote_at=wrote_at or utcnow())
    return True


def touch_recipient(session: Session, channel: str, user_id: str, *, wrote_at: datetime) -> None:
    """The user wrote to us: their WhatsApp window opens again, and they no longer block the bot."""
    ensure_recipient(session, channel, user_id)
    recipient = session.get(Recipient, (channel, user_id), populate_existing=True)
    assert recipient is not None
    last = recipient.last_inbound_at
    if last is not None and last.tzinfo is None:  # SQLite returns naive UTC datetimes
        last = last.replace(tzinfo=wrote_at.tzinfo)
    if last is None or wrote_at > last:
        recipient.last_inbound_at = wrote_at
    recipient.blocked_at = None


def ensure_recipient(session: Session, channel: str, user_id: str) -> None:
    """Create the recipient row if missing (safe when two processes do it at once)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(Recipient).values(channel=channel, user_id=user_id).on_conflict_do_nothing(),
    )


def claim_due(session: Session, *, worker: str, lease: timedelta, limit: int, channels: Sequence[str]) -> list[Inbound]:
    """Claim due updates: the oldest unprocessed one of each user."""
    rows = queue.claim(session, InboxItem, worker=worker, lease=lease, limit=limit, channels=channels)
    return [
        Inbound(
            id=r.id,
            channel=r.channel,
            user_id=r.user_id,
            external_id=r.external_id,
            payload=r.payload,
            attempts=r.attempts,
            claim=r.claimed_by or "",
        )
        for r in rows
    ]


def mark_done(session: Session, item: Inbound) -> None:
    """Processed: the user's next update may go."""
    row = queue.still_ours(session, InboxItem, item.id, item.claim)
    if row is not None:
        row.status, row.done_at, row.claimed_by, row.claimed_until = DONE, utcnow(), None, None


def mark_retry(session: Session, item: Inbound, *, error: str, delay_s: float) -> None:
    """Processing failed (the database or the turn): try again later."""
    row = queue.still_ours(session, InboxItem, item.id, item.claim)
    if row is not None:
        queue.retry_later(session, row, error=error, delay_s=delay_s)


def mark_failed(session: Session, item: Inbound, *, error: str) -> None:
    """Give up on an update that keeps failing, so the user's later messages are not held up."""
    row = queue.still_ours(session, InboxItem, item.id, item.claim)
    if row is not None:
        row.status, row.last_error, row.claimed_by, row.claimed_until = FAILED, error[:300], None, None
        row.done_at = utcnow()  # when it was set aside: purge_failed counts the time kept from here


def purge_done(session: Session, *, older_than: timedelta) -> int:
    """Forget processed updates (they hold what people wrote); the transcript still de-duplicates."""
    result = session.execute(
        delete(InboxItem).where(InboxItem.status == DONE, InboxItem.done_at < utcnow() - older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_failed(session: Session, *, older_than: timedelta) -> int:
    """Forget updates set aside as failed once an operator has had `older_than` to look at them.

    Rows set aside before `done_at` was written for them count from their last attempt."""
    cutoff = utcnow() - older_than
    result = session.execute(
        delete(InboxItem).where(
            InboxItem.status == FAILED,
            or_(InboxItem.done_at < cutoff, and_(InboxItem.done_at.is_(None), InboxItem.next_attempt_at < cutoff)),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def unanswered_inbound(session: Session, channel: str, external_id: str) -> int | None:
    """The transcript line of an inbound message recorded but never answered (a turn cut off by a stop)."""
    return session.scalars(
        select(Message.id).where(
            Message.channel == channel,
            Message.external_id == external_id,
            Message.direction == "in",
            Message.status.in_(RESUMABLE),
        )
    ).first()


def last_buttons(session: Session, channel: str, user_id: str) -> list[dict]:
    """The buttons of the bot's last message to this user ([] when it had none)."""
    buttons = session.scalars(
        select(Message.buttons)
        .where(Message.channel == channel, Message.user_id == user_id, Message.direction == "out")
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    return [b for b in buttons or [] if isinstance(b, dict)]
