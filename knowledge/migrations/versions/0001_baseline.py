"""Baseline: the schema of the last release before Alembic (commit 5211587).

An empty database gets these tables. A database made by older code (before Alembic, upgraded only by
adding columns) is adopted: missing tables, columns, indexes and unique constraints are added, and
duplicate channel deliveries in `messages` are removed first, so the unique constraint that drops
redelivered Telegram/WhatsApp updates exists everywhere.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

# Indexes created by older code that the schema no longer has.
LEGACY_INDEXES = {"messages": ("ix_messages_external_id",)}


def _status_enum() -> sa.Enum:
    return sa.Enum("aktif", "dibekukan", "dicabut", "kedaluwarsa", name="licensestatus", native_enum=False, length=20)


def snapshot() -> sa.MetaData:
    """The baseline tables (a frozen copy: later model changes come as later revisions)."""
    meta = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    sa.Table(
        "agencies",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_norm", sa.String(300), nullable=False, index=True),
        sa.Column("license_number", sa.String(120), nullable=False),
        sa.Column("license_norm", sa.String(120), nullable=False, unique=True),
        sa.Column("status", _status_enum(), nullable=False),
        sa.Column("valid_until", sa.Date()),
        sa.Column("province", sa.String(120), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("countries", sa.Text(), nullable=False),
        sa.Column("updated_at", tz, nullable=False),
    )
    sa.Table(
        "datasets",
        meta,
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("as_of", sa.Date()),
        sa.Column("source_file", sa.String(500), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("row_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("imported_at", tz, nullable=False),
    )
    sa.Table(
        "escalations",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("priority_rank", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("assigned_to", sa.String(80)),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Column("resolved_at", tz),
        sa.Index("ix_escalations_queue", "status", "priority_rank", "created_at"),
        sa.Index("ix_escalations_user", "channel", "user_id"),
    )
    sa.Table(
        "messages",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(200)),
        sa.Column("created_at", tz, nullable=False),
        sa.UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),
        sa.Index("ix_messages_user_time", "channel", "user_id", "id"),
    )
    sa.Table(
        "staff_users",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", tz, nullable=False),
    )
    sa.Table(
        "trainings",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("natural_key", sa.String(400), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("provider", sa.String(300), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("province", sa.String(120), nullable=False),
        sa.Column("region_code", sa.String(10)),
        sa.Column("province_code", sa.String(10)),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer()),
        sa.Column("registration_url", sa.String(1000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Index("ix_trainings_region", "region_code", "end_date"),
    )
    sa.Table(
        "vacancies",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("company", sa.String(300), nullable=False),
        sa.Column("headcount", sa.Integer()),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("province", sa.String(120), nullable=False),
        sa.Column("region_code", sa.String(10)),
        sa.Column("province_code", sa.String(10)),
        sa.Column("sector", sa.String(200), nullable=False),
        sa.Column("education", sa.String(200), nullable=False),
        sa.Column("education_level", sa.Integer()),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("experience", sa.String(200), nullable=False),
        sa.Column("salary_min", sa.Integer()),
        sa.Column("salary_max", sa.Integer()),
        sa.Column("posted_at", sa.Date()),
        sa.Column("expires_at", sa.Date()),
        sa.Column("country", sa.String(80), nullable=False),
        sa.Column("agency_license", sa.String(120), nullable=False),
        sa.Column("agency_license_norm", sa.String(120), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("group_key", sa.String(400), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", tz, nullable=False),
        sa.Column("last_seen", tz, nullable=False),
        sa.UniqueConstraint("source", "source_id", name="uq_vacancies_source_id"),
        sa.Index("ix_vacancies_country", "country", "expires_at"),
        sa.Index("ix_vacancies_group", "group_key"),
        sa.Index("ix_vacancies_region", "region_code", "expires_at"),
    )
    sa.Table(
        "vacancy_terms",
        meta,
        sa.Column("term", sa.String(80), primary_key=True),
        sa.Column("vacancy_id", sa.Integer(), sa.ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("scope", sa.String(90), nullable=False),
        sa.Column("expires_at", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.Date(), nullable=False),
        sa.Index("ix_vacancy_terms_recent", "term", "posted_at"),
        sa.Index("ix_vacancy_terms_scope", "term", "scope", "expires_at"),
        sa.Index("ix_vacancy_terms_vacancy", "vacancy_id"),
    )
    return meta


def upgrade() -> None:
    """Create the baseline tables, or adopt a database made by older code."""
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in snapshot().sorted_tables:
        if table.name in existing:
            _adopt(bind, table)
        else:
            table.create(bind)


def _adopt(bind: sa.Connection, table: sa.Table) -> None:
    """Bring one existing table to the baseline: columns, indexes, unique constraints."""
    inspector = sa.inspect(bind)
    present = {c["name"]: c for c in inspector.get_columns(table.name)}
    for column in table.columns:
        if column.name not in present:
            # Older code only ever added nullable columns or columns with a server default.
            op.add_column(table.name, column._copy())
        elif present[column.name]["nullable"] and not column.nullable and not column.primary_key:
            # Older code added columns as nullable (with a default); the baseline makes them NOT NULL.
            if column.server_default is not None:
                bind.execute(
                    sa.text(
                        f"UPDATE {table.name} SET {column.name} = {getattr(column.server_default, 'arg', 'NULL')}"  # noqa: S608 - names
                        f" WHERE {column.name} IS NULL"  # and default come from the snapshot above, not from input
                    )
                )
            with op.batch_alter_table(table.name) as batch:
                batch.alter_column(
                    column.name,
                    existing_type=column.type,
                    nullable=False,
                    existing_server_default=column.server_default,
                )
    indexes = {i["name"]: i for i in inspector.get_indexes(table.name)}
    for legacy in LEGACY_INDEXES.get(table.name, ()):
        if legacy in indexes:
            op.drop_index(legacy, table_name=table.name)
    for index in table.indexes:
        if index.name not in indexes:
            op.create_index(index.name, table.name, [c.name for c in index.columns], unique=bool(index.unique))
    unique_sets = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
    unique_sets |= {tuple(str(c) for c in i["column_names"]) for i in indexes.values() if i.get("unique")}
    for constraint in table.constraints:
        if not isinstance(constraint, sa.UniqueConstraint):
            continue
        columns = [str(c.name) for c in constraint.columns]
        if tuple(columns) in unique_sets:
            continue
        if table.name == "messages":
            _drop_duplicate_deliveries(bind)
        name = str(constraint.name) if constraint.name else f"uq_{table.name}_{'_'.join(columns)}"
        with op.batch_alter_table(table.name) as batch:
            batch.create_unique_constraint(name, columns)


def _drop_duplicate_deliveries(bind: sa.Connection) -> None:
    """Keep the first transcript line of each (channel, external_id); later copies were redeliveries."""
    bind.execute(
        sa.text(
            "DELETE FROM messages WHERE external_id IS NOT NULL AND id NOT IN ("
            " SELECT MIN(id) FROM messages WHERE external_id IS NOT NULL GROUP BY channel, external_id)"
        )
    )


def downgrade() -> None:
    """The baseline cannot be undone (it would drop every table)."""
    raise NotImplementedError("the baseline revision cannot be downgraded")
