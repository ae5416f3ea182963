"""The help desk: handoffs (the bot paused for a conversation staff took over), staff sessions, login
throttling, the audit log, links between reports; who wrote each transcript line; outcomes of escalations;
admin accounts.

Revision ID: 0003_helpdesk
Revises: 0002_channels
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_helpdesk"
down_revision = "0002_channels"
branch_labels = None
depends_on = None

NEW_COLUMNS: dict[str, list[tuple[str, sa.types.TypeEngine]]] = {
    "messages": [("sender", sa.String(10)), ("author", sa.String(80))],
    "escalations": [
        ("claimed_at", sa.DateTime(timezone=True)),
        ("outcome", sa.String(20)),
        ("outcome_note", sa.Text()),
        ("closed_by", sa.String(80)),
        ("links_indexed_at", sa.DateTime(timezone=True)),
    ],
}


def upgrade() -> None:
    """Add the columns (all nullable or with a default: no table is rewritten) and the five new tables."""
    tz = sa.DateTime(timezone=True)
    for table, columns in NEW_COLUMNS.items():
        for name, kind in columns:
            op.add_column(table, sa.Column(name, kind, nullable=True))
    op.add_column("staff_users", sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "handoffs",
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("user_id", sa.String(200), primary_key=True),
        sa.Column("held_by", sa.String(80)),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalations.id", ondelete="SET NULL")),
        sa.Column("since", tz),
        sa.Column("notice_sent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reset_pending", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", tz, nullable=False),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("last_seen_at", tz, nullable=False),
        sa.Column("expires_at", tz, nullable=False),
    )
    op.create_index("ix_staff_sessions_username", "staff_sessions", ["username"])
    op.create_table(
        "auth_throttle",
        sa.Column("key", sa.String(140), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", tz, nullable=False),
        sa.Column("locked_until", tz),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", tz, nullable=False),
        sa.Column("staff", sa.String(80), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("escalation_id", sa.Integer()),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_escalation", "audit_log", ["escalation_id", "id"])
    op.create_index("ix_audit_log_staff", "audit_log", ["staff", "id"])
    op.create_table(
        "escalation_links",
        sa.Column(
            "escalation_id",
            sa.Integer(),
            sa.ForeignKey("escalations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(12), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
    )
    op.create_index("ix_escalation_links_key", "escalation_links", ["kind", "key"])


def downgrade() -> None:
    """Drop the help-desk tables and columns (the audit log and who wrote each line are lost)."""
    for table in ("escalation_links", "audit_log", "auth_throttle", "staff_sessions", "handoffs"):
        op.drop_table(table)
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("is_admin")
    for table, columns in NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in columns:
                batch.drop_column(name)
