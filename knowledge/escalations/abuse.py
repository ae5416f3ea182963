"""Where a new escalation goes in the queue when its source looks abusive. A web-chat user id is free to
make up, so one client can file a flood of fake emergencies; refusing them would also refuse a real one
from the same shared address (a carrier's NAT). So such escalations are stored and shown like any other,
with the same answer and emergency contacts for the user, but queued after every normal one and flagged:

- a flood: the address (web_identities.client_key) already has `per_address_hour` open escalations from
  the last hour;
- a spam source: staff marked an escalation of the same user, or from the same address, as spam.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from knowledge.models import Escalation, EscalationStatus, utcnow

FLOOD_OFFSET = 3  # urgent 0, high 1, normal 2 -> 3, 4, 5: after every normal escalation
SPAM_SOURCE_OFFSET = 6  # -> 6, 7, 8: last of all
FLOOD, SPAM_SOURCE = "flood", "spam_source"
# Why an escalation sits low in the queue, as staff read it.
LOWERED = {
    FLOOD: "Prioritas diturunkan: banyak laporan dari jaringan yang sama dalam satu jam",
    SPAM_SOURCE: "Prioritas diturunkan: pengguna atau jaringan ini pernah ditandai spam",
}
WINDOW = timedelta(hours=1)


def lowered_of(rank: int) -> str | None:
    """Why an escalation with this priority_rank was lowered (None: it was not)."""
    if rank >= SPAM_SOURCE_OFFSET:
        return SPAM_SOURCE
    return FLOOD if rank >= FLOOD_OFFSET else None


def rank_for(
    session: Session,
    *,
    channel: str,
    user_id: str,
    client_key: str | None,
    rank: int,
    per_address_hour: int,
    now: datetime | None = None,
) -> int:
    """The priority_rank a new escalation gets: its own `rank`, or lowered (see the module docstring)."""
    if _spam_source(session, channel=channel, user_id=user_id, client_key=client_key):
        return rank + SPAM_SOURCE_OFFSET
    if client_key is None or per_address_hour <= 0:
        return rank
    recent = session.scalar(
        select(func.count())
        .select_from(Escalation)
        .where(
            Escalation.client_key == client_key,
            Escalation.created_at >= (now or utcnow()) - WINDOW,
            Escalation.status != EscalationStatus.RESOLVED.value,
        )
    )
    return rank + FLOOD_OFFSET if (recent or 0) >= per_address_hour else rank


def _spam_source(session: Session, *, channel: str, user_id: str, client_key: str | None) -> bool:
    same_user = (Escalation.channel == channel) & (Escalation.user_id == user_id)
    source = or_(same_user, Escalation.client_key == client_key) if client_key else same_user
    return session.scalar(select(Escalation.id).where(Escalation.spam.is_(True), source).limit(1)) is not None
