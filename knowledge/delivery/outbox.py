"""The outbox: every message to a Telegram or WhatsApp user is stored here first, then sent by a worker,
retried, and marked sent, failed or blocked with the reason; WhatsApp delivery receipts land here too."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.delivery import queue
from knowledge.delivery.inbox import ensure_recipient
from knowledge.delivery.models import ACTIVE, PENDING, ButtonKey, OutboxMessage, Recipient
from knowledge.models import Message, utcnow
from knowledge.storable import storable, storable_text

SENT, FAILED, BLOCKED = "sent", "failed", "blocked"
UNDELIVERED = "undelivered"  # the transcript line's status when its message could not be delivered
KEY_PREFIX = "k:"
# Errors that say "the platform or the network is down": once a send works again, rows waiting for their
# next attempt because of them are due at once instead of after their (long) backoff.
OUTAGE_KINDS = ("network", "server")
RECEIPT_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass(frozen=True)
class Outbound:
    """A claimed outbox row: what to send, to whom, and what the worker must know before sending."""

    id: int
    channel: str
    user_id: str
    method: str
    payload: dict
    attempts: int
    claim: str
    created_at: datetime
    last_inbound_at: datetime | None
    blocked: bool


@dataclass(frozen=True)
class UndeliveredLine:
    """A message that did not reach its user, for staff."""

    id: int
    channel: str
    user_id: str
    sender: str
    text: str
    reason: str
    error: str
    created_at: datetime


def enqueue(
    session: Session,
    *,
    channel: str,
    user_id: str,
    requests: Sequence[tuple[str, dict]],
    message_id: int | None = None,
    sender: str = "bot",
) -> list[int]:
    """Store the API calls that deliver one message, in order; returns their ids (texts made storable: a
    reply may quote what a user typed)."""
    user_id = storable_text(user_id)
    rows = [
        OutboxMessage(
            channel=channel,
            user_id=user_id,
            sender=sender,
            message_id=message_id,
            method=method,
            payload=storable(payload),
        )
        for method, payload in requests
    ]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def claim_due(
    session: Session, *, worker: str, lease: timedelta, limit: int, channels: Sequence[str]
) -> list[Outbound]:
    """Claim due rows (the head of each user's queue) with what is known about their recipients."""
    rows = queue.claim(session, OutboxMessage, worker=worker, lease=lease, limit=limit, channels=channels)
    if not rows:
        return []
    known = {
        (r.channel, r.user_id): r
        for r in session.scalars(select(Recipient).where(Recipient.user_id.in_({row.user_id for row in rows})))
    }
    out = []
    for row in rows:
        recipient = known.get((row.channel, row.user_id))
        out.append(
            Outbound(
                id=row.id,
                channel=row.channel,
                user_id=row.user_id,
                method=row.method,
                payload=row.payload,
                attempts=row.attempts,
                claim=row.claimed_by or "",
                created_at=row.created_at,
                last_inbound_at=recipient.last_inbound_at if recipient else None,
                blocked=bool(recipient and recipient.blocked_at),
            )
        )
    return out


def mark_sent(session: Session, item: Outbound, external_id: str | None) -> bool:
    """The platform accepted the message; False when another worker had taken the row over."""
    row = queue.still_ours(session, OutboxMessage, item.id, item.claim)
    if row is None:
        return False
    row.status, row.sent_at, row.external_id = SENT, utcnow(), external_id
    row.claimed_by = row.claimed_until = row.error_kind = None
    return True


def mark_retry(session: Session, item: Outbound, *, kind: str, error: str, delay_s: float, count: bool = True) -> None:
    """Try again after `delay_s` (count=False: the attempt never reached the platform)."""
    row = queue.still_ours(session, OutboxMessage, item.id, item.claim)
    if row is not None:
        queue.retry_later(session, row, error=error, delay_s=delay_s, count_attempt=count)
        row.error_kind = kind


def mark_failed(session: Session, item: Outbound, *, kind: str, error: str) -> None:
    """Give up on one message for good (the reason stays for staff); the user's next messages go on."""
    row = queue.still_ours(session, OutboxMessage, item.id, item.claim)
    if row is not None:
        _finish_undelivered(session, row, FAILED, kind, error)


def mark_blocked(session: Session, item: Outbound, *, error: str) -> int:
    """The user blocked the bot: mark them, and this and every waiting message to them; returns how many."""
    _recipient(session, item.channel, item.user_id).blocked_at = utcnow()
    rows = list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.channel == item.channel,
                OutboxMessage.user_id == item.user_id,
                OutboxMessage.status.in_(ACTIVE),
            )
        )
    )
    mine = [r for r in rows if r.id == item.id or r.status == PENDING]
    for row in mine:
        _finish_undelivered(session, row, BLOCKED, "blocked", error)
    return len(mine)


def set_blocked(session: Session, channel: str, user_id: str, blocked: bool) -> None:
    """Record that a user blocked (or unblocked) the bot."""
    _recipient(session, channel, user_id).blocked_at = utcnow() if blocked else None


def hurry_after_outage(session: Session, channel: str) -> int:
    """A send worked again: rows waiting out a backoff for a network or server error are due now."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == PENDING,
            OutboxMessage.error_kind.in_(OUTAGE_KINDS),
            OutboxMessage.next_attempt_at > utcnow(),
        )
        .values(next_attempt_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def record_receipt(
    session: Session, channel: str, external_id: str, status: str, at: datetime, error: str | None = None
) -> bool:
    """A delivery receipt (sent, delivered, read, failed) for one of our messages; False when unknown."""
    row = session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.external_id == external_id)
    ).first()
    if row is None or status not in RECEIPT_RANK:
        return False
    if RECEIPT_RANK[status] >= RECEIPT_RANK.get(row.delivery or "", 0):  # receipts may arrive out of order
        row.delivery, row.delivery_at = status, at
    if status == "failed":
        row.error_kind, row.last_error = ("window" if error and "131047" in error else "undeliverable"), error
        _mark_transcript(session, row.message_id)
    return True


def undelivered(session: Session, *, limit: int = 100) -> list[UndeliveredLine]:
    """Messages that did not reach their user (refused, blocked, outside WhatsApp's window), newest first."""
    rows = session.execute(
        select(OutboxMessage, Message.text)
        .outerjoin(Message, Message.id == OutboxMessage.message_id)
        .where((OutboxMessage.status.in_((FAILED, BLOCKED))) | (OutboxMessage.delivery == FAILED))
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        UndeliveredLine(
            id=row.id,
            channel=row.channel,
            user_id=row.user_id,
            sender=row.sender,
            text=text or "",
            reason=row.error_kind or row.status,
            error=row.last_error or "",
            created_at=row.created_at,
        )
        for row, text in rows
    ]


def shorten_payload(session: Session, payload: str) -> str:
    """A short stand-in ("k:" + 16 characters) for a long button payload, stored for the way back."""
    key = base64.urlsafe_b64encode(hashlib.sha256(payload.encode()).digest()).decode()[:16]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # The same payload always gets the same key, so a key another process stored at once is just as good.
    session.execute(insert(ButtonKey).values(key=key, payload=payload, created_at=utcnow()).on_conflict_do_nothing())
    return KEY_PREFIX + key


def expand_payload(session: Session, data: str) -> str | None:
    """The payload a short key stands for (None for an unknown key); other data comes back as it is."""
    if not data.startswith(KEY_PREFIX):
        return data
    found = session.get(ButtonKey, data[len(KEY_PREFIX) :])
    return found.payload if found else None


def _recipient(session: Session, channel: str, user_id: str) -> Recipient:
    ensure_recipient(session, channel, user_id)
    found = session.get(Recipient, (channel, user_id), populate_existing=True)
    assert found is not None
    return found


def _finish_undelivered(session: Session, row: OutboxMessage, status: str, kind: str, error: str) -> None:
    row.status, row.error_kind, row.last_error = status, kind, error[:300]
    row.claimed_by = row.claimed_until = None
    _mark_transcript(session, row.message_id)


def _mark_transcript(session: Session, message_id: int | None) -> None:
    if message_id is not None:
        session.execute(update(Message).where(Message.id == message_id).values(status=UNDELIVERED))
