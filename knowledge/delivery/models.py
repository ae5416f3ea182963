"""Tables of channel delivery: inbox, outbox, recipients, and long button payloads kept under short keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models import Base, utcnow

# Queue states shared by the inbox and the outbox. A row is "claimed" by one worker for a lease; a claim
# whose lease ran out (the worker died) is taken again by another worker.
PENDING, CLAIMED = "pending", "claimed"
ACTIVE = (PENDING, CLAIMED)


class QueueColumns:
    """What a work queue row needs: whose it is (for per-user order), its state, retries and lease."""

    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxItem(QueueColumns, Base):
    """A Telegram update or WhatsApp message, stored before the webhook answers 200 and processed once."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_inbox_channel_external_id"),
        Index("ix_inbox_due", "status", "next_attempt_at"),
        Index("ix_inbox_user", "channel", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200))  # Telegram "<bot id>:<update_id>", WhatsApp message id
    payload: Mapped[dict] = mapped_column(JSON)  # the update as the platform sent it
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(QueueColumns, Base):
    """One API call that delivers (part of) a message to a user: stored first, then sent by a worker."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_user", "channel", "user_id", "id"),
        Index("ix_outbox_external_id", "channel", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(10), default="bot")  # bot, staff or notice
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(40))  # Telegram: sendMessage; WhatsApp: messages
    payload: Mapped[dict] = mapped_column(JSON)  # the request body, rendered for the channel
    error_kind: Mapped[str | None] = mapped_column(String(20))  # network, server, rate_limited, blocked, ...
    external_id: Mapped[str | None] = mapped_column(String(200))  # the platform's id of the sent message
    delivery: Mapped[str | None] = mapped_column(String(12))  # WhatsApp statuses: delivered, read, failed
    delivery_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Recipient(Base):
    """A channel user as delivery sees them: when they last wrote (WhatsApp's 24-hour window), blocked or not."""

    __tablename__ = "recipients"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ButtonKey(Base):
    """A button payload too long for Telegram's 64-byte callback_data, kept under a short key."""

    __tablename__ = "button_keys"

    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebIdentity(Base):
    """A web-chat user id and the (keyed-hashed) client address that first used it: new identities are
    limited per address, so one client cannot mint unlimited users to get round the per-user limits."""

    __tablename__ = "web_identities"
    __table_args__ = (Index("ix_web_identities_client", "client_key", "created_at"),)

    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
