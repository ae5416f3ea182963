"""Login throttling, dashboard sessions and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.accounts import add_staff, disable_staff
from knowledge.db import session_scope
from knowledge.models import utcnow
from knowledge.staff import audit, sessions, throttle
from knowledge.staff.models import StaffSession


def _attempt(db, username: str, address: str, now) -> throttle.Attempt:
    """One counted attempt in its own transaction, as attempt_login does (a refused one leaves no count)."""
    with db() as s:
        attempt = throttle.count_attempt(s, throttle.keys(username, address), now=now)
        s.rollback() if attempt.wait else s.commit()
    return attempt


def test_locks_grow_per_account_and_address_pair_and_per_address(db):
    keys = throttle.keys("Ani", "10.0.0.1")
    assert keys == ["pair:ani|10.0.0.1", "address:10.0.0.1"]
    now = utcnow()
    for _ in range(4):
        assert _attempt(db, "ani", "10.0.0.1", now).locks(now) == []
    fifth = _attempt(db, "ani", "10.0.0.1", now)  # counted (its password may be checked) and locking the pair
    [lock] = fifth.locks(now)
    assert (lock.key, lock.failures) == ("pair:ani|10.0.0.1", 5)
    with db() as s:
        assert 29 <= throttle.locked_for(s, keys, now=now) <= 31
        assert throttle.locked_for(s, throttle.keys("ani", "10.0.0.2"), now=now) == 0  # ani elsewhere: not locked
    refused = _attempt(db, "ani", "10.0.0.1", now)
    assert refused.wait > 0 and refused.counted == []
    later = now + timedelta(seconds=31)
    sixth = _attempt(db, "ani", "10.0.0.1", later)
    assert [(c.key, c.failures) for c in sixth.locks(later)] == [("pair:ani|10.0.0.1", 6)]
    assert 59 <= (sixth.locks(later)[0].locked_until - later).total_seconds() <= 61  # the window doubles
    with session_scope(db) as s:  # ... and that was the right password: the pair is forgiven
        throttle.forgive(s, "ani", "10.0.0.1", sixth)
    with db() as s:
        assert throttle.locked_for(s, keys, now=later) == 0
        assert [(r.key, r.failures) for r in throttle.troubled(s, now=later)] == [("address:10.0.0.1", 5)]
    for n in range(14):
        _attempt(db, f"budi{n}", "10.0.0.1", later)
    [lock] = _attempt(db, "citra", "10.0.0.1", later).locks(later)
    assert (lock.key, lock.failures) == ("address:10.0.0.1", 20)  # 20 failures from one address, any accounts
    with db() as s:
        assert throttle.locked_for(s, throttle.keys("dedi", "10.0.0.1"), now=later) > 0
        assert throttle.locked_for(s, throttle.keys("dedi", "10.0.0.2"), now=later) == 0


def test_failures_are_forgotten_after_a_day(db):
    long_ago = utcnow() - timedelta(days=2)
    for _ in range(4):
        _attempt(db, "ani", "1.1.1.1", long_ago)
    assert [c.failures for c in _attempt(db, "ani", "1.1.1.1", utcnow()).counted] == [1, 1]  # counting starts again


def test_an_admin_unlocks_an_account_everywhere_and_an_address_on_request(db):
    now = utcnow()
    for address in ("10.0.0.1", "10.0.0.2"):
        for _ in range(5):
            _attempt(db, "ani", address, now)
    for _ in range(5):
        _attempt(db, "ani.x", "10.0.0.1", now)
    with session_scope(db) as s:
        assert throttle.unlock(s, "a_i") == 0  # "_" is a character here, not a wildcard
        assert throttle.unlock(s, "ANI") == 2
        assert throttle.locked_for(s, throttle.keys("ani", "10.0.0.2"), now=now) == 0
        assert throttle.locked_for(s, throttle.keys("ani.x", "10.0.0.1"), now=now) > 0  # another account: kept
        assert throttle.unlock(s, "ani.x", address="10.0.0.1") == 2
        assert not throttle.unlock_key(s, "address:10.0.0.1")  # gone with it
        assert [r.key for r in throttle.troubled(s)] == ["address:10.0.0.2"]
        assert throttle.unlock_key(s, "address:10.0.0.2") and throttle.troubled(s) == []


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
