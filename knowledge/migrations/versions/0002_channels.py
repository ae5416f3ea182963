"""Channel delivery: inbox (updates stored before a webhook answers), outbox (every message to Telegram and
WhatsApp, stored before it is sent), recipients (blocked, WhatsApp's 24-hour window), button keys.

Revision ID: 0002_channels
Revises: 0001_baseline
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_channels"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def _queue_columns() -> list[sa.Column]:
    tz = sa.DateTime(timezone=True)
    return [
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", tz, nullable=False),
        sa.Column("claimed_by", sa.String(80)),
        sa.Column("claimed_until", tz),
        sa.Column("last_error", sa.String(300)),
        sa.Column("created_at", tz, nullable=False),
    ]


def upgrade() -> None:
    """Create the four delivery tables."""
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("done_at", tz),
        *_queue_columns(),
        sa.UniqueConstraint("channel", "external_id", name="uq_inbox_channel_external_id"),
    )
    op.create_index("ix_inbox_due", "inbox", ["status", "next_attempt_at"])
    op.create_index("ix_inbox_user", "inbox", ["channel", "user_id", "id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id", ondelete="SET NULL")),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("error_kind", sa.String(20)),
        sa.Column("external_id", sa.String(200)),
        sa.Column("delivery", sa.String(12)),
        sa.Column("delivery_at", tz),
        sa.Column("sent_at", tz),
        *_queue_columns(),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_user", "outbox", ["channel", "user_id", "id"])
    op.create_index("ix_outbox_external_id", "outbox", ["channel", "external_id"])
    op.create_table(
        "recipients",
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("user_id", sa.String(200), primary_key=True),
        sa.Column("last_inbound_at", tz),
        sa.Column("blocked_at", tz),
    )
    op.create_table(
        "button_keys",
        sa.Column("key", sa.String(24), primary_key=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", tz, nullable=False),
    )


def downgrade() -> None:
    """Drop the delivery tables (unsent messages and unprocessed updates are lost)."""
    for table in ("button_keys", "recipients", "outbox", "inbox"):
        op.drop_table(table)
