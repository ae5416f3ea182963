"""Web-chat identities per client address. A web user id is whatever the browser sends, so every limit
keyed on it is free to dodge by sending a new one: new ids are limited per address (a token bucket
counted from the web_identities rows, so every gateway process counts the same), ids already seen keep
working, and the address is kept only as a keyed hash (client_key) that cannot be turned back into it.

Many real users share one address behind a mobile carrier's NAT: the bucket allows a burst and then a
steady trickle, so a crowd is slowed for a moment at worst while a flood is held to the trickle."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.delivery.models import WebIdentity
from knowledge.models import Message, utcnow
from knowledge.pseudonyms import digest, hash_key
from knowledge.staff.clock import aware
from knowledge.storable import storable_text

WEB = "web"
# The bucket is replayed from the rows of this many full refills back: a flood that never lets it refill is
# held to at most 1 + 1/REPLAY_REFILLS times the refill rate, and one check reads a few dozen rows at most.
REPLAY_REFILLS = 4


@dataclass(frozen=True)
class Budget:
    """New web-chat ids per address: `burst` at once, then one per `refill_s` seconds; burst 0 = no limit."""

    burst: int = 60
    refill_s: float = 5.0


def is_local(address: str) -> bool:
    """A request from this machine itself (loopback): not a client of the public, and never limited. Behind
    the deployment's proxy every request carries the client's own address (X-Forwarded-For), so only local
    tools, health checks and test harnesses come from loopback."""
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def network_of(address: str) -> str:
    """What counts as one client: an IPv4 address, or the /64 an IPv6 subscriber gets (their devices may use
    any address inside it)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip().lower()[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(session: Session, address: str, *, configured: str | None = None) -> str:
    """The keyed hash (HMAC-SHA256, the deployment's key: knowledge/pseudonyms.py) of a client's network: the
    same for every request from it, useless to anyone who tries every address without the key."""
    return digest(hash_key(session, configured), network_of(address), kind="client", size=64)


def admit(session: Session, *, user_id: str, key: str, budget: Budget, now: datetime | None = None) -> int:
    """0 when this web user id may chat: known already, or new and within its address's budget (then it is
    recorded under `key`); otherwise the seconds until that address may start another chat (nothing is
    stored then). The caller commits."""
    now = now or utcnow()
    user_id = storable_text(user_id)
    if session.get(WebIdentity, user_id) is not None:
        return 0
    # A conversation older than the web_identities table is no new identity: it keeps working, on its own time.
    first_seen = session.scalar(
        select(func.min(Message.created_at)).where(Message.channel == WEB, Message.user_id == user_id)
    )
    if first_seen is None:
        wait = wait_for_new(session, key, budget, now=now)
        if wait:
            return wait
    _record(session, user_id, key, aware(first_seen) if first_seen is not None else now)
    return 0


def wait_for_new(session: Session, key: str, budget: Budget, *, now: datetime | None = None) -> int:
    """Seconds until the address behind `key` may start a new chat (0: now)."""
    if budget.burst <= 0:
        return 0
    now = now or utcnow()
    refill = max(budget.refill_s, 0.001)
    start = now - timedelta(seconds=REPLAY_REFILLS * budget.burst * refill)
    created = session.scalars(
        select(WebIdentity.created_at)
        .where(WebIdentity.client_key == key, WebIdentity.created_at >= start)
        .order_by(WebIdentity.created_at)
    )
    tokens, last = float(budget.burst), start
    for at in created:
        at = aware(at)
        tokens = min(float(budget.burst), tokens + (at - last).total_seconds() / refill) - 1
        last = max(last, at)
    tokens = min(float(budget.burst), tokens + (now - last).total_seconds() / refill)
    return 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) * refill))


def client_key_of(session: Session, *, channel: str, user_id: str) -> str | None:
    """The hashed address that first used a web user id (None for other channels and unknown ids)."""
    if channel != WEB:
        return None
    return session.scalar(select(WebIdentity.client_key).where(WebIdentity.user_id == storable_text(user_id)))


def _record(session: Session, user_id: str, key: str, created_at: datetime) -> None:
    """Insert-if-absent: two first messages of one id at once store one row (the first address wins)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(WebIdentity).values(user_id=user_id, client_key=key, created_at=created_at).on_conflict_do_nothing()
    )
