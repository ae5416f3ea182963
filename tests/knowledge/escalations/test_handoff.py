"""Claim, release and close: who may, what the bot does meanwhile, and two staff members claiming at once
(real threads on real databases: SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine, session_scope
from knowledge.escalations import handoff
from knowledge.escalations.handoff import AlreadyClosed, HeldByOther, NotFound, normalize_outcome
from knowledge.escalations.service import status_line
from knowledge.escalations.store import create_escalation, get_escalation
from knowledge.migrations import upgrade_to_head
from knowledge.models import Escalation
from knowledge.staff.models import Handoff


def _esc(db, user: str = "u1", reason: str = "emergency", channel: str = "web") -> int:
    with session_scope(db) as s:
        return create_escalation(s, channel=channel, user_id=user, reason=reason, details={"message": "tolong"})


def _do(db, fn: Callable[[Session], object]) -> object:
    with db() as s, s.begin():
        return fn(s)


def test_claim_pauses_the_bot_once_with_one_notice(db):
    esc = _esc(db)
    change = _do(db, lambda s: handoff.claim(s, esc, "ani"))
    assert change.changed and change.escalation.status == "assigned" and change.escalation.assigned_to == "ani"
    with db() as s:
        first = handoff.pause_state(s, "web", "u1")
        again = handoff.pause_state(s, "web", "u1")
        other = handoff.pause_state(s, "web", "someone-else")
    assert first.paused and first.notice is not None and "petugas" in first.notice.text
    assert "0800-1000" in first.notice.text  # an emergency: the hotline again, in the one notice
    assert again.paused and again.notice is None  # one notice, not one per message
    assert not other.paused and not other.reset_due
    assert not _do(db, lambda s: handoff.claim(s, esc, "ani")).changed  # claiming your own again: no change


def test_another_staff_member_gets_held_by_other(db):
    esc = _esc(db)
    _do(db, lambda s: handoff.claim(s, esc, "ani"))
    with pytest.raises(HeldByOther) as err:
        _do(db, lambda s: handoff.claim(s, esc, "budi"))
    assert err.value.holder == "ani"
    with pytest.raises(HeldByOther):
        _do(db, lambda s: handoff.release(s, esc, "budi"))
    with pytest.raises(HeldByOther):
        _do(db, lambda s: handoff.close(s, esc, "budi", "resolved"))
    # an admin may take a case back for the queue (a colleague went home)
    assert _do(db, lambda s: handoff.release(s, esc, "budi", admin=True)).escalation.status == "open"


def test_the_conversation_is_held_not_just_the_ticket(db):
    first, second = _esc(db, reason="emergency"), _esc(db, reason="fraud_report")
    _do(db, lambda s: handoff.claim(s, first, "ani"))
    with pytest.raises(HeldByOther):  # the same person: one staff member talks to them at a time
        _do(db, lambda s: handoff.claim(s, second, "budi"))
    with db() as s:
        assert s.get(Escalation, second).status == "open"  # the failed claim changed nothing
    _do(db, lambda s: handoff.claim(s, second, "ani"))
    released = _do(db, lambda s: handoff.release(s, first, "ani"))
    assert released.notice is None  # the second report still holds the conversation: the bot stays silent
    with db() as s:
        assert handoff.pause_state(s, "web", "u1").paused
    closed = _do(db, lambda s: handoff.close(s, second, "ani", "spam", "dobel"))
    assert closed.notice is not None and str(second) in closed.notice.text
    with db() as s:
        state = handoff.pause_state(s, "web", "u1")
    assert not state.paused and state.reset_due


def test_release_tells_the_user_and_asks_for_a_clean_dialogue_once(db):
    esc = _esc(db, reason="request_human")
    _do(db, lambda s: handoff.claim(s, esc, "ani"))
    change = _do(db, lambda s: handoff.release(s, esc, "ani"))
    assert change.escalation.status == "open" and change.escalation.assigned_to is None
    assert change.notice is not None and "kembali dilayani" in change.notice.text
    assert not _do(db, lambda s: handoff.release(s, esc, "ani")).changed  # released already: nothing to do
    with db() as s:
        assert handoff.pause_state(s, "web", "u1").reset_due
        handoff.reset_done(s, "web", "u1")
        assert handoff.pause_state(s, "web", "u1") == handoff.PauseState()
    # claimed again later: a new pause, a new notice
    _do(db, lambda s: handoff.claim(s, esc, "budi"))
    with db() as s:
        assert handoff.pause_state(s, "web", "u1").notice is not None


def test_close_records_the_outcome_and_the_bot_says_so(db):
    esc = _esc(db, reason="fraud_report")
    _do(db, lambda s: handoff.claim(s, esc, "ani"))
    change = _do(db, lambda s: handoff.close(s, esc, "ani", "referred_bp3mi", "sudah ke BP3MI Jatim"))
    assert change.escalation.status == "resolved" and change.escalation.outcome == "referred_bp3mi"
    with db() as s:
        row = s.get(Escalation, esc)
        assert (row.closed_by, row.outcome_note, row.assigned_to) == ("ani", "sudah ke BP3MI Jatim", "ani")
        assert row.resolved_at is not None
        assert "BP3MI" in status_line(get_escalation(s, esc).summary)
    with pytest.raises(AlreadyClosed):
        _do(db, lambda s: handoff.close(s, esc, "ani", "resolved"))
    with pytest.raises(AlreadyClosed):
        _do(db, lambda s: handoff.claim(s, esc, "ani"))
    with pytest.raises(NotFound):
        _do(db, lambda s: handoff.claim(s, 999, "ani"))


def test_closing_an_unclaimed_report_tells_nobody(db):
    esc = _esc(db, reason="request_human")
    change = _do(db, lambda s: handoff.close(s, esc, "ani", "spam"))
    assert change.notice is None and change.escalation.assigned_to == "ani"


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("resolved", "resolved"),
        ("Referred-KP2MI", "referred_bp3mi"),
        ("referred to police", "referred_police"),
        ("no_response", "no_response"),
        ("SPAM", "spam"),
        ("whatever", None),
        ("", None),
    ],
)
def test_outcomes(sent, canonical):
    assert normalize_outcome(sent) == canonical


def test_status_answers_follow_the_state(db):
    esc = _esc(db, reason="request_human")
    with db() as s:
        assert "menunggu petugas" in status_line(get_escalation(s, esc).summary)
    _do(db, lambda s: handoff.claim(s, esc, "ani"))
    with db() as s:
        assert "ditangani petugas" in status_line(get_escalation(s, esc).summary)
    _do(db, lambda s: handoff.close(s, esc, "ani", "resolved"))
    with db() as s:
        assert "selesai" in status_line(get_escalation(s, esc).summary)


def _race(factory: sessionmaker[Session], escalation_id: int, staff: list[str]) -> list[str]:
    """Everyone claims at the same moment (a barrier); returns 'won' / 'held' per staff member."""
    barrier = threading.Barrier(len(staff))
    results: dict[str, str] = {}

    def claim(name: str) -> None:
        barrier.wait()
        try:
            with factory() as s, s.begin():
                handoff.claim(s, escalation_id, name)
            results[name] = "won"
        except HeldByOther:
            results[name] = "held"

    threads = [threading.Thread(target=claim, args=(name,)) for name in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return [results[name] for name in staff]


def _check_races(factory: sessionmaker[Session]) -> None:
    staff = ["ani", "budi", "citra", "dedi"]
    for round_ in range(15):
        esc = _esc(factory, user=f"u{round_}")
        outcome = _race(factory, esc, staff)
        assert sorted(outcome) == ["held", "held", "held", "won"], outcome
        winner = staff[outcome.index("won")]
        with factory() as s:
            assert s.get(Escalation, esc).assigned_to == winner
            assert s.get(Handoff, ("web", f"u{round_}")).held_by == winner


def test_staff_claiming_at_once_one_wins_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    upgrade_to_head(engine)
    try:
        _check_races(sessionmaker(bind=engine, expire_on_commit=False))
    finally:
        engine.dispose()


@pytest.mark.pg
def test_staff_claiming_at_once_one_wins_on_postgres(pg_database):
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    try:
        _check_races(sessionmaker(bind=engine, expire_on_commit=False))
    finally:
        engine.dispose()
