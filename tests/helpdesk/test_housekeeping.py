"""A dashboard login also clears login failures that are forgotten anyway (the gateway's inbox worker, which
does it hourly, runs only when Telegram or WhatsApp is on)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from knowledge.db import session_scope
from knowledge.staff.models import AuthThrottle
from tests.helpdesk.conftest import login


def test_a_login_deletes_stale_login_failures_and_keeps_recent_ones(browser_for, staffed_db):
    now = datetime.now(UTC)
    with session_scope(staffed_db) as s:
        s.add(AuthThrottle(key="address:10.1.1.1", failures=3, last_failure_at=now - timedelta(days=2)))
        s.add(AuthThrottle(key="address:10.1.1.2", failures=3, last_failure_at=now - timedelta(hours=1)))
    assert login(browser_for(), "ani").status_code == 303
    with staffed_db() as s:
        keys = set(s.scalars(select(AuthThrottle.key)))
    assert "address:10.1.1.1" not in keys and "address:10.1.1.2" in keys
