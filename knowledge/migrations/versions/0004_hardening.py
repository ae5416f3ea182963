"""Hardening after the security review (issue 21): a masked copy of every transcript line (staff views read
it instead of masking on every page open), spam marks and the hashed client address on escalations, the
web-chat identities each client address created (limits per address), the application's own secrets
(the key of the keyed hash used for user ids in logs and phone numbers in report links), and a flag on
handoffs for a hold that ended by itself (idle, account disabled) whose user was not told yet.

Revision ID: 0004_hardening
Revises: 0003_helpdesk
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_hardening"
down_revision = "0003_helpdesk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add nullable columns (or ones with a server default: no table is rewritten) and two small tables."""
    tz = sa.DateTime(timezone=True)
    op.add_column("messages", sa.Column("text_masked", sa.Text(), nullable=True))
    op.add_column("escalations", sa.Column("spam", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("escalations", sa.Column("client_key", sa.String(64), nullable=True))
    op.create_index("ix_escalations_client", "escalations", ["client_key", "created_at"])
    # a hold that ended by itself (idle, account disabled) whose user was not told yet
    op.add_column("handoffs", sa.Column("release_notice_due", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "web_identities",
        sa.Column("user_id", sa.String(200), primary_key=True),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
    )
    op.create_index("ix_web_identities_client", "web_identities", ["client_key", "created_at"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", tz, nullable=False),
    )


def downgrade() -> None:
    """Drop what upgrade added (the masked copies, spam marks and secrets are lost)."""
    op.drop_table("app_secrets")
    op.drop_index("ix_web_identities_client", table_name="web_identities")
    op.drop_table("web_identities")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("release_notice_due")
    op.drop_index("ix_escalations_client", table_name="escalations")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("client_key")
        batch.drop_column("spam")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("text_masked")
