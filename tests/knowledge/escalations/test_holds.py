"""Holds that end by themselves (idle, account disabled): a message arriving while one is being ended is
answered by the bot and the user is told once (real threads on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import add_staff
from knowledge.db import make_engine, session_scope
from knowledge.escalations import handoff, holds
from knowledge.escalations.handoff import PauseState
from knowledge.escalations.store import create_escalation
from knowledge.migrations import upgrade_to_head
from knowledge.models import Escalation, StaffUser, utcnow
from knowledge.staff.models import Handoff

IDLE = timedelta(minutes=120)


def _held(factory: sessionmaker[Session], user: str, *, idle_minutes: int = 0) -> int:
    with session_scope(factory) as s:
        esc = create_escalation(s, channel="web", user_id=user, reason="request_human", details={})
    with factory() as s, s.begin():
        handoff.claim(s, esc, "ani")
        s.execute(
            update(Handoff).where(Handoff.user_id == user).values(updated_at=utcnow() - timedelta(minutes=idle_minutes))
        )
    return esc


def _pause(factory: sessionmaker[Session], user: str) -> PauseState:
    with factory() as s:
        return handoff.pause_state(s, "web", user, idle=IDLE)


def _a_message_during_the_release(factory: sessionmaker[Session]) -> None:
    esc = _held(factory, "u1", idle_minutes=200)
    got: dict[str, PauseState] = {}
    with factory() as releasing, releasing.begin():  # the gateway's periodic pass, not committed yet ...
        holds.end_hold(releasing, "web", "u1", "ani", reason=holds.IDLE, idle_before=utcnow() - IDLE)
        message = threading.Thread(target=lambda: got.update(state=_pause(factory, "u1")))
        message.start()  # ... when the user's message asks whether the bot may answer
        time.sleep(0.3)
    message.join(timeout=30)
    state = got["state"]
    assert not state.paused and state.reset_due  # the bot answers it, from a clean dialogue state
    assert state.notice is not None and "tidak ada di chat ini" in state.notice.text  # and says why, once
    with factory() as s:
        assert holds.due_notices(s) == []  # the periodic pass will not tell it again
        row = s.get(Escalation, esc)
        assert row is not None and (row.status, row.assigned_to) == ("open", None)


def test_a_message_during_a_release_is_answered_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'holds.db'}")
    upgrade_to_head(engine)
    try:
        _a_message_during_the_release(sessionmaker(bind=engine, expire_on_commit=False))
    finally:
        engine.dispose()


@pytest.mark.pg
def test_a_message_during_a_release_is_answered_on_postgres(pg_database):
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    try:
        _a_message_during_the_release(sessionmaker(bind=engine, expire_on_commit=False))
    finally:
        engine.dispose()


def test_a_staff_reply_at_the_same_moment_keeps_the_hold(db):
    esc = _held(db, "u1", idle_minutes=200)
    before = utcnow() - IDLE
    with db() as s, s.begin():
        handoff.claim(s, esc, "ani")  # what a reply does first: the hold is no longer idle
    with pytest.raises(holds.HoldMoved), db() as s, s.begin():
        holds.end_hold(s, "web", "u1", "ani", reason=holds.IDLE, idle_before=before)  # read it as idle: too late
    assert _pause(db, "u1").paused
    with db() as s:
        row = s.get(Escalation, esc)
        assert row is not None and row.assigned_to == "ani"  # the rolled-back ending changed nothing


def test_a_hold_of_a_disabled_account_ends_with_the_next_message(db):
    with session_scope(db) as s:
        add_staff(s, "ani", "kata-sandi-ani-1")
    _held(db, "u1")
    assert _pause(db, "u1").paused
    with session_scope(db) as s:  # disabled behind disable_staff's back (a claim racing the disable)
        s.execute(update(StaffUser).where(StaffUser.username == "ani").values(active=False))
    state = _pause(db, "u1")
    assert not state.paused and state.notice is not None
    assert not _pause(db, "u1").paused and _pause(db, "u1").notice is None


def test_no_idle_time_means_a_hold_lasts(db):
    _held(db, "u1", idle_minutes=10_000)
    with db() as s:
        assert handoff.pause_state(s, "web", "u1", idle=None).paused
        assert holds.idle_holds(s, IDLE)[0].held_by == "ani"
