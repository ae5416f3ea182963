"""Login throttling, dashboard sessions and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.accounts import add_staff, disable_staff
from knowledge.db import session_scope
from knowledge.models import utcnow
from knowledge.staff import audit, sessions, throttle
from knowledge.staff.models import StaffSession


def test_locks_grow_per_account_and_per_address(db):
    keys = throttle.keys("Ani", "10.0.0.1")
    assert keys == ["account:ani", "address:10.0.0.1"]
    now = utcnow()
    with session_scope(db) as s:
        for _ in range(4):
            assert throttle.record_failure(s, keys, now=now) == []
        assert throttle.locked_for(s, keys, now=now) == 0
        [lock] = throttle.record_failure(s, keys, now=now)  # the fifth: the account is locked 30 s
        assert (lock.key, lock.seconds) == ("account:ani", 30)
        assert 29 <= throttle.locked_for(s, keys, now=now) <= 31
        later = now + timedelta(seconds=31)
        assert throttle.locked_for(s, keys, now=later) == 0
        [lock] = throttle.record_failure(s, keys, now=later)
        assert lock.seconds == 60  # the window doubles
        throttle.record_success(s, "ani")
        assert throttle.locked_for(s, keys, now=later) == 0  # the account is forgiven ...
        other = throttle.keys("budi", "10.0.0.1")
        assert [r.key for r in throttle.troubled(s, now=later)] == ["address:10.0.0.1"]  # ... the address is not
        for _ in range(13):
            throttle.record_failure(s, other, now=later)
        locks = throttle.record_failure(s, throttle.keys("citra", "10.0.0.1"), now=later)
        assert [lock.key for lock in locks] == ["address:10.0.0.1"]  # 20 failures from one address
        assert throttle.locked_for(s, throttle.keys("dedi", "10.0.0.1"), now=later) > 0
        assert throttle.locked_for(s, throttle.keys("dedi", "10.0.0.2"), now=later) == 0


def test_failures_are_forgotten_after_a_day(db):
    keys = throttle.keys("ani", "1.1.1.1")
    long_ago = utcnow() - timedelta(days=2)
    with session_scope(db) as s:
        for _ in range(4):
            throttle.record_failure(s, keys, now=long_ago)
        assert throttle.record_failure(s, keys) == []  # counting starts again


def test_sessions_expire_when_idle_or_too_old_and_end_with_the_account(db):
    with session_scope(db) as s:
        add_staff(s, "ani", "kata-sandi-panjang", admin=True)
        token, me = sessions.start(s, "ani", address="1.2.3.4", lifetime=timedelta(hours=12))
    assert me.is_admin and len(me.csrf) > 30
    idle = timedelta(minutes=60)
    with db() as s:
        assert sessions.resume(s, token, idle=idle).username == "ani"
        assert sessions.resume(s, token + "x", idle=idle) is None
        assert sessions.resume(s, token, idle=idle, now=utcnow() + timedelta(minutes=61)) is None  # idle: gone
    with session_scope(db) as s:
        token, _ = sessions.start(s, "ani", address="1.2.3.4", lifetime=timedelta(hours=12))
        assert s.get(StaffSession, sessions._hash(token)).id != token  # only the hash is stored
    with db() as s:
        later = utcnow() + timedelta(minutes=50)
        assert sessions.resume(s, token, idle=idle, now=later) is not None  # a click: still active
        assert sessions.resume(s, token, idle=idle, now=later + timedelta(minutes=50)) is not None
        assert sessions.resume(s, token, idle=idle, now=utcnow() + timedelta(hours=13)) is None  # hard expiry
    with session_scope(db) as s:
        token, _ = sessions.start(s, "ani", address="1.2.3.4", lifetime=timedelta(hours=12))
    with db() as s:
        passive = utcnow() + timedelta(minutes=50)
        assert sessions.resume(s, token, idle=idle, touch=False, now=passive) is not None
        # polling did not count as activity: 70 minutes after the last click the session is over
        assert sessions.resume(s, token, idle=idle, now=passive + timedelta(minutes=20)) is None
    with session_scope(db) as s:
        token, _ = sessions.start(s, "ani", address="1.2.3.4", lifetime=timedelta(hours=12))
        assert disable_staff(s, "ani") and not disable_staff(s, "nobody")
    with db() as s:
        assert sessions.resume(s, token, idle=idle) is None


def test_audit_entries_and_reveal_permission(db):
    with session_scope(db) as s:
        audit.record(s, "ani", "view", escalation_id=7)
        audit.record(s, "ani", "reveal", escalation_id=7)
        audit.record(s, "budi", "close", escalation_id=8, outcome="spam")
        with pytest.raises(ValueError):
            audit.record(s, "ani", "dance")
    with db() as s:
        assert [(e.staff, e.action) for e in audit.entries(s)] == [
            ("budi", "close"),
            ("ani", "reveal"),
            ("ani", "view"),
        ]
        assert [e.action for e in audit.entries(s, escalation_id=7, action="view")] == ["view"]
        assert audit.entries(s, staff="budi")[0].detail == {"outcome": "spam"}
        assert audit.revealed(s, "ani", 7) and not audit.revealed(s, "budi", 7) and not audit.revealed(s, "ani", 8)
        assert not audit.revealed(s, "ani", 7, now=utcnow() + timedelta(minutes=11))  # it wears off
