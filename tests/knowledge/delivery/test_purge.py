"""What the gateway forgets by itself: processed inbox updates after two days, failed ones after a week
(time for an operator to look), and login failures once they are forgotten anyway and hold no lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.inbox import KEEP_DONE, KEEP_FAILED, InboxWorker
from knowledge.db import make_engine
from knowledge.delivery import inbox
from knowledge.delivery.models import InboxItem
from knowledge.migrations import upgrade_to_head
from knowledge.staff import throttle
from knowledge.staff.models import AuthThrottle

LEASE = timedelta(seconds=30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def sessions(request, db) -> sessionmaker[Session]:
    if request.param == "sqlite":
        return db
    engine = make_engine(request.getfixturevalue("pg_database")())
    upgrade_to_head(engine)
    request.addfinalizer(engine.dispose)
    return sessionmaker(bind=engine, expire_on_commit=False)


def _fail(sessions: sessionmaker[Session], external_id: str) -> int:
    """Store an update and set it aside as failed, as the worker does after its last attempt."""
    with sessions() as s, s.begin():
        inbox.store(s, channel="telegram", user_id=external_id, external_id=external_id, payload={})
    with sessions() as s:
        [item] = inbox.claim_due(s, worker="w", lease=LEASE, limit=1, channels=["telegram"])
    with sessions() as s, s.begin():
        inbox.mark_failed(s, item, error="KeyError")
    return item.id


def _age(sessions: sessionmaker[Session], row_id: int, days: float, *, done_at: bool = True) -> None:
    then = datetime.now(UTC) - timedelta(days=days)
    values = {"done_at": then} if done_at else {"done_at": None, "next_attempt_at": then}
    with sessions() as s, s.begin():
        s.execute(update(InboxItem).where(InboxItem.id == row_id).values(**values))


def _ids(sessions: sessionmaker[Session]) -> set[int]:
    with sessions() as s:
        return set(s.scalars(select(InboxItem.id)))


def test_failed_updates_are_kept_a_week_from_when_they_were_set_aside_then_forgotten(sessions):
    fresh, old, legacy, legacy_recent = (_fail(sessions, f"1:{n}") for n in range(4))
    with sessions() as s, s.begin():
        inbox.store(s, channel="telegram", user_id="p", external_id="1:99", payload={})  # pending: never purged
    with sessions() as s:
        assert s.get(InboxItem, fresh).done_at is not None  # the moment it was set aside
    _age(sessions, fresh, 6.9)
    _age(sessions, old, 7.1)
    _age(sessions, legacy, 7.1, done_at=False)  # set aside before done_at was written: its last attempt counts
    _age(sessions, legacy_recent, 1, done_at=False)
    with sessions() as s, s.begin():
        s.execute(update(InboxItem).where(InboxItem.external_id == "1:99").values(created_at=datetime(2020, 1, 1)))
        assert inbox.purge_failed(s, older_than=KEEP_FAILED) == 2
        assert inbox.purge_done(s, older_than=KEEP_DONE) == 0  # failed rows are not "done"
    remaining = _ids(sessions)
    assert fresh in remaining and legacy_recent in remaining
    assert old not in remaining and legacy not in remaining
    assert len(remaining) == 3


def _throttle_row(sessions, key: str, *, last_failure_days: float, locked_for_s: float | None) -> None:
    now = datetime.now(UTC)
    until = now + timedelta(seconds=locked_for_s) if locked_for_s is not None else None
    with sessions() as s, s.begin():
        s.add(
            AuthThrottle(
                key=key, failures=9, last_failure_at=now - timedelta(days=last_failure_days), locked_until=until
            )
        )


def test_login_failures_are_deleted_once_forgotten_unless_a_lock_still_runs(sessions):
    _throttle_row(sessions, "address:10.0.0.1", last_failure_days=2, locked_for_s=None)
    _throttle_row(sessions, "address:10.0.0.2", last_failure_days=2, locked_for_s=-3600)  # a lock long over
    _throttle_row(sessions, "address:10.0.0.3", last_failure_days=0.5, locked_for_s=None)  # still counted
    _throttle_row(sessions, "address:10.0.0.4", last_failure_days=2, locked_for_s=600)  # still locked
    with sessions() as s, s.begin():
        assert throttle.purge_stale(s) == 2
    with sessions() as s:
        assert set(s.scalars(select(AuthThrottle.key))) == {"address:10.0.0.3", "address:10.0.0.4"}


def test_the_inbox_worker_purges_failed_updates_and_stale_login_failures(db):
    old = _fail(db, "1:7")
    kept = _fail(db, "1:8")
    _age(db, old, 8)
    _throttle_row(db, "address:10.9.9.9", last_failure_days=3, locked_for_s=None)
    worker = InboxWorker(db, {"telegram": lambda item: None})  # type: ignore[dict-item, arg-type, return-value]
    assert worker.claim(10) == []
    assert _ids(db) == {kept}
    with db() as s:
        assert s.scalars(select(AuthThrottle)).all() == []
