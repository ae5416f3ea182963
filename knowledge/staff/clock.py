"""Times read back from the database: SQLite hands back naive datetimes; ours are always UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(value: datetime) -> datetime:
    """The same moment as a timezone-aware UTC datetime."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
