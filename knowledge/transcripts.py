"""The conversation transcript (messages table): recording, rate counting, offered buttons, reading."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.language.privacy import staff_view
from knowledge.models import Message, utcnow
from knowledge.storable import storable, storable_text

IN, OUT = "in", "out"
USER, BOT, STAFF, NOTICE = "user", "bot", "staff", "notice"


@dataclass(frozen=True)
class TranscriptLine:
    """One message of a conversation as staff read it."""

    id: int
    direction: str
    text: str
    buttons: tuple[dict, ...]
    status: str
    created_at: datetime
    sender: str = BOT  # user, bot, staff or notice
    author: str | None = None  # the staff member, for a staff line
    text_masked: str | None = None  # as staff read it, stored with the line (None in lines older than 0004)


def record_message(
    session: Session,
    *,
    channel: str,
    user_id: str,
    direction: str,
    text: str,
    buttons: list[dict] | None = None,
    status: str = "ok",
    external_id: str | None = None,
    created_at: datetime | None = None,
    sender: str | None = None,
    author: str | None = None,
) -> int | None:
    """Insert one transcript line; returns its id, or None when `external_id` was already recorded.

    `sender` defaults to the user for an inbound line and the bot for an outbound one. Characters no
    database stores (NUL, lone surrogates) are dropped here, whatever path the line came by; the masked
    copy staff read is made here too, once, instead of on every page open."""
    text = storable_text(text)
    msg = Message(
        channel=storable_text(channel),
        user_id=storable_text(user_id),
        direction=direction,
        text=text,
        text_masked=staff_view(text),
        buttons=storable(buttons) or None,
        status=status,
        external_id=storable_text(external_id) if external_id is not None else None,
        created_at=created_at or utcnow(),
        sender=sender or (USER if direction == IN else BOT),
        author=storable_text(author) if author is not None else None,
    )
    if external_id is None:
        session.add(msg)
        session.flush()
        return msg.id
    try:
        with session.begin_nested():
            session.add(msg)
        return msg.id
    except IntegrityError:
        return None


RATE_LIMITED = "rate_limited"
RATE_LIMITED_KEEP_CHARS = 1000  # a line refused for flooding keeps only its start: it counts, fills no disk


def set_status(session: Session, message_id: int, status: str) -> None:
    """Mark an inbound message answered / failed / rate_limited (a rate-limited one is cut short)."""
    msg = session.get(Message, message_id)
    if msg is not None:
        msg.status = status
        if status == RATE_LIMITED and len(msg.text) > RATE_LIMITED_KEEP_CHARS:
            msg.text = msg.text[:RATE_LIMITED_KEEP_CHARS]
            msg.text_masked = staff_view(msg.text)


def count_inbound_since(session: Session, *, channel: str, user_id: str, since: datetime) -> int:
    """How many messages this user sent since a moment (for rate limiting)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.channel == channel,
                Message.user_id == user_id,
                Message.direction == IN,
                Message.created_at >= since,
            )
        )
        or 0
    )


def recently_offered_payloads(session: Session, *, channel: str, user_id: str, last: int = 5) -> set[str]:
    """Button payloads in the last few bot messages to this user (the only commands we accept back)."""
    rows = session.scalars(
        select(Message.buttons)
        .where(
            Message.channel == channel,
            Message.user_id == user_id,
            Message.direction == OUT,
        )
        .order_by(Message.id.desc())
        .limit(last)
    )
    return {b.get("payload", "") for buttons in rows if buttons for b in buttons if isinstance(b, dict)}


def conversation(session: Session, *, channel: str, user_id: str, limit: int = 200) -> list[TranscriptLine]:
    """The latest `limit` lines of one user's conversation on one channel, oldest first."""
    rows = list(
        session.scalars(
            select(Message)
            .where(Message.channel == channel, Message.user_id == user_id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )
    return [_line(m) for m in reversed(rows)]


def lines_after(
    session: Session, *, channel: str, user_id: str, after: int, skip: Collection[int] = (), limit: int = 200
) -> list[TranscriptLine]:
    """Every line of one conversation with an id above `after` and not in `skip` (handed out already; see
    knowledge/cursors.py), oldest first: what a staff page polls for."""
    rows = session.scalars(
        select(Message)
        .where(Message.channel == channel, Message.user_id == user_id, Message.id > after, Message.id.not_in(skip))
        .order_by(Message.id)
        .limit(limit)
    )
    return [_line(m) for m in rows]


def newest_id(session: Session, *, channel: str, user_id: str) -> int:
    """The id of the newest line of one conversation (0 when it has none)."""
    newest = select(func.max(Message.id)).where(Message.channel == channel, Message.user_id == user_id)
    return session.scalar(newest) or 0


# Outbound lines sent outside a user's turn (a staff reply, a notice from the system) are what a web page
# polls for. Bot replies to a turn are returned by that turn itself.
OUT_OF_TURN = (STAFF, NOTICE)


def sender_of(line: TranscriptLine) -> str:
    """Who wrote a transcript line as CONTRACTS.md names it: user, bot or staff (a notice counts as the bot)."""
    return BOT if line.sender == NOTICE else line.sender


def updates_after(
    session: Session, *, channel: str, user_id: str, after: int, skip: Collection[int] = (), limit: int = 50
) -> list[TranscriptLine]:
    """Messages to the user sent outside a turn (staff replies, notices) with an id above `after` and not in
    `skip`, oldest first."""
    rows = session.scalars(
        select(Message)
        .where(
            Message.channel == channel,
            Message.user_id == user_id,
            Message.direction == OUT,
            Message.sender.in_(OUT_OF_TURN),
            Message.id > after,
            Message.id.not_in(skip),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return [_line(m) for m in rows]


def _line(m: Message) -> TranscriptLine:
    return TranscriptLine(
        id=m.id,
        direction=m.direction,
        text=m.text,
        buttons=tuple(m.buttons or ()),
        status=m.status,
        created_at=m.created_at,
        sender=m.sender or (USER if m.direction == IN else BOT),
        author=m.author,
        text_masked=m.text_masked,
    )
