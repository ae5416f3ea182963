"""Claiming work from the inbox and the outbox: oldest first, only the head of each user's queue, safe with
several worker processes (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED; SQLite: one atomic UPDATE)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from knowledge.delivery.models import ACTIVE, CLAIMED, PENDING, InboxItem, OutboxMessage
from knowledge.models import utcnow

Row = TypeVar("Row", InboxItem, OutboxMessage)

BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 120.0


def backoff_s(attempts: int, *, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_MAX_S) -> float:
    """Exponential backoff with jitter: ~1, 2, 4, 8 ... seconds after the 1st, 2nd, 3rd ... failure, capped."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)


def _eligible(model: type[Row], now: datetime, channels: Sequence[str]) -> ColumnElement[bool]:
    """Due (or claimed by a worker whose lease ran out) and no older unfinished row of the same user."""
    earlier = aliased(model)
    head_of_user = ~exists(
        select(earlier.id).where(
            earlier.channel == model.channel,
            earlier.user_id == model.user_id,
            earlier.id < model.id,
            earlier.status.in_(ACTIVE),
        )
    )
    due = or_(
        and_(model.status == PENDING, model.next_attempt_at <= now),
        and_(model.status == CLAIMED, model.claimed_until < now),
    )
    return and_(model.channel.in_(channels), due, head_of_user)


def claim(
    session: Session,
    model: type[Row],
    *,
    worker: str,
    lease: timedelta,
    limit: int,
    channels: Sequence[str],
    now: datetime | None = None,
) -> list[Row]:
    """Claim up to `limit` rows (at most one per user, the oldest unfinished one) and commit the claim."""
    now = now or utcnow()
    token = f"{worker}/{uuid.uuid4().hex[:12]}"
    values = {"status": CLAIMED, "claimed_by": token, "claimed_until": now + lease, "attempts": model.attempts + 1}
    if session.get_bind().dialect.name == "postgresql":
        ids = list(
            session.scalars(
                select(model.id)
                .where(_eligible(model, now, channels))
                .order_by(model.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values(**values))
    else:
        # SQLite runs one writer at a time, so this UPDATE claims atomically.
        due = select(model.id).where(_eligible(model, now, channels)).order_by(model.id).limit(limit).scalar_subquery()
        session.execute(update(model).where(model.id.in_(due)).values(**values))
    session.commit()
    return list(session.scalars(select(model).where(model.claimed_by == token).order_by(model.id)))


def retry_later(session: Session, row: Row, *, error: str, delay_s: float, count_attempt: bool = True) -> None:
    """Give a claimed row back, due again after `delay_s` (an unused attempt is not counted)."""
    row.status = PENDING
    row.claimed_by = None
    row.claimed_until = None
    row.last_error = error[:300]
    row.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    if not count_attempt:
        row.attempts = max(0, row.attempts - 1)


def still_ours(session: Session, model: type[Row], row_id: int, token: str | None) -> Row | None:
    """The row when this worker's claim still holds (another worker may have taken it after a lease ran out)."""
    row = session.get(model, row_id)
    if row is None or row.status != CLAIMED or row.claimed_by != token:
        return None
    return row
