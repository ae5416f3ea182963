"""The inbox/outbox queue on SQLite and PostgreSQL: heads of each user's queue only, leases, retries, and
several workers claiming at once without ever sending a row twice or out of order."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from knowledge import transcripts
from knowledge.db import make_engine
from knowledge.delivery import inbox, outbox
from knowledge.delivery.models import InboxItem, OutboxMessage, Recipient
from knowledge.migrations import upgrade_to_head
from knowledge.models import Message

LEASE = timedelta(seconds=30)
CHANNELS = ["telegram", "whatsapp"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def sessions(request, db) -> sessionmaker[Session]:
    """The same tests on the SQLite test database and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return db
    engine = make_engine(request.getfixturevalue("pg_database")())
    upgrade_to_head(engine)
    request.addfinalizer(engine.dispose)
    return sessionmaker(bind=engine, expire_on_commit=False)


def _enqueue(sessions, user: str, n: int, channel: str = "telegram") -> list[int]:
    with sessions() as s, s.begin():
        calls = [("sendMessage", {"chat_id": user, "text": f"{user}-{i}"}) for i in range(n)]
        return outbox.enqueue(s, channel=channel, user_id=user, requests=calls)


def _claim(sessions, worker="w1", limit=50, channels=CHANNELS):
    with sessions() as s:
        return outbox.claim_due(s, worker=worker, lease=LEASE, limit=limit, channels=channels)


def _sent(sessions, item, external_id="m1") -> bool:
    with sessions() as s, s.begin():
        return outbox.mark_sent(s, item, external_id)


def test_only_the_oldest_unfinished_message_of_each_user_is_claimed(sessions):
    a = _enqueue(sessions, "a", 3)
    b = _enqueue(sessions, "b", 2)
    assert sorted(i.id for i in _claim(sessions)) == [a[0], b[0]]
    assert _claim(sessions) == []  # the heads are claimed: their successors wait
    with sessions() as s:
        first = s.get(OutboxMessage, a[0])
        assert first.status == "claimed" and first.attempts == 1


def test_the_next_message_goes_once_the_previous_is_sent(sessions):
    ids = _enqueue(sessions, "a", 3)
    order = []
    for _ in range(3):
        [item] = _claim(sessions)
        order.append(item.id)
        assert _sent(sessions, item)
    assert order == ids
    assert _claim(sessions) == []


def test_a_message_waiting_for_a_retry_holds_back_the_users_later_messages(sessions):
    ids = _enqueue(sessions, "a", 2)
    [item] = _claim(sessions)
    with sessions() as s, s.begin():
        outbox.mark_retry(s, item, kind="server", error="HTTP 500", delay_s=60)
    assert _claim(sessions) == []  # neither the failed one (not due) nor the next (not the head)
    with sessions() as s, s.begin():
        assert outbox.hurry_after_outage(s, "telegram") == 1  # sending works again: due at once
    [again] = _claim(sessions)
    assert again.id == ids[0] and again.attempts == 2


def test_a_claim_whose_lease_ran_out_is_taken_over_and_the_old_worker_cannot_finish_it(sessions):
    _enqueue(sessions, "a", 1)
    [item] = _claim(sessions, worker="dead")
    with sessions() as s, s.begin():
        s.get(OutboxMessage, item.id).claimed_until = datetime.now(UTC) - timedelta(seconds=1)
    [taken] = _claim(sessions, worker="alive")
    assert taken.id == item.id and taken.claim != item.claim
    assert not _sent(sessions, item)  # the dead worker's late answer changes nothing
    assert _sent(sessions, taken)


def test_only_channels_this_gateway_serves_are_claimed(sessions):
    _enqueue(sessions, "a", 1, channel="whatsapp")
    assert _claim(sessions, channels=["telegram"]) == []
    assert len(_claim(sessions, channels=["whatsapp"])) == 1


def test_a_blocked_user_is_marked_with_every_waiting_message(sessions):
    _enqueue(sessions, "a", 3)
    _enqueue(sessions, "b", 1)
    [item] = [i for i in _claim(sessions) if i.user_id == "a"]
    with sessions() as s, s.begin():
        assert outbox.mark_blocked(s, item, error="Forbidden: bot was blocked by the user") == 3
    with sessions() as s:
        statuses = s.scalars(select(OutboxMessage.status).where(OutboxMessage.user_id == "a")).all()
        assert statuses == ["blocked"] * 3
        assert s.get(Recipient, ("telegram", "a")).blocked_at is not None
    _enqueue(sessions, "a", 1)
    [later] = [i for i in _claim(sessions) if i.user_id == "a"]
    assert later.blocked  # the sender will not call Telegram for it
    with sessions() as s, s.begin():
        inbox.store(s, channel="telegram", user_id="a", external_id="1:9", payload={})
    with sessions() as s:
        assert s.get(Recipient, ("telegram", "a")).blocked_at is None  # they wrote again: unblocked


def test_failed_messages_and_their_transcript_lines_are_shown_to_staff(sessions):
    with sessions() as s, s.begin():
        line = transcripts.record_message(s, channel="whatsapp", user_id="628", direction="out", text="Balasan petugas")
        outbox.enqueue(
            s, channel="whatsapp", user_id="628", requests=[("messages", {})], message_id=line, sender="staff"
        )
    [item] = _claim(sessions)
    with sessions() as s, s.begin():
        outbox.mark_failed(s, item, kind="window", error="outside the 24-hour window")
    with sessions() as s:
        [shown] = outbox.undelivered(s)
        assert (shown.text, shown.reason, shown.sender) == ("Balasan petugas", "window", "staff")
        assert s.get(Message, line).status == "undelivered"


def test_delivery_receipts_keep_the_furthest_state_and_a_failure(sessions):
    _enqueue(sessions, "628", 1, channel="whatsapp")
    [item] = _claim(sessions)
    _sent(sessions, item, external_id="wamid.A")
    now = datetime.now(UTC)
    with sessions() as s, s.begin():
        assert outbox.record_receipt(s, "whatsapp", "wamid.A", "read", now)
        assert outbox.record_receipt(s, "whatsapp", "wamid.A", "delivered", now)  # late, out of order
        assert not outbox.record_receipt(s, "whatsapp", "wamid.unknown", "read", now)
    with sessions() as s:
        assert s.get(OutboxMessage, item.id).delivery == "read"
    with sessions() as s, s.begin():
        outbox.record_receipt(s, "whatsapp", "wamid.A", "failed", now, error="131047 Re-engagement message")
    with sessions() as s:
        row = s.get(OutboxMessage, item.id)
        assert (row.delivery, row.error_kind) == ("failed", "window")
        assert [u.reason for u in outbox.undelivered(s)] == ["window"]


def test_long_payloads_come_back_from_their_key(sessions):
    payload = '/search_vacancy{"job":"operator mesin bubut","location":"Kabupaten Bekasi"}'
    with sessions() as s, s.begin():
        key = outbox.shorten_payload(s, payload)
        assert outbox.shorten_payload(s, payload) == key  # the same payload, the same key, one row
    assert key.startswith("k:") and len(key.encode()) <= 64
    with sessions() as s:
        assert outbox.expand_payload(s, key) == payload
        assert outbox.expand_payload(s, "k:unknown") is None
        assert outbox.expand_payload(s, "/affirm") == "/affirm"


def test_an_update_is_stored_once_and_processed_in_order_per_user(sessions):
    with sessions() as s, s.begin():
        assert inbox.store(s, channel="telegram", user_id="42", external_id="1:100", payload={"n": 1})
        assert not inbox.store(s, channel="telegram", user_id="42", external_id="1:100", payload={"n": 1})
        assert inbox.store(s, channel="telegram", user_id="42", external_id="1:101", payload={"n": 2})
    with sessions() as s:
        [first] = inbox.claim_due(s, worker="w", lease=LEASE, limit=10, channels=CHANNELS)
        assert first.payload == {"n": 1}
        assert inbox.claim_due(s, worker="w", lease=LEASE, limit=10, channels=CHANNELS) == []
    with sessions() as s, s.begin():
        inbox.mark_done(s, first)
    with sessions() as s:
        [second] = inbox.claim_due(s, worker="w", lease=LEASE, limit=10, channels=CHANNELS)
        assert second.payload == {"n": 2}
    with sessions() as s, s.begin():
        inbox.mark_done(s, second)
    with sessions() as s, s.begin():
        s.execute(update(InboxItem).values(done_at=datetime.now(UTC) - timedelta(days=3)))
        assert inbox.purge_done(s, older_than=timedelta(days=2)) == 2


def test_an_inbound_message_recorded_but_never_answered_can_be_found(sessions):
    with sessions() as s, s.begin():
        open_id = transcripts.record_message(
            s, channel="telegram", user_id="42", direction="in", text="halo", status="received", external_id="1:5"
        )
        transcripts.record_message(
            s, channel="telegram", user_id="42", direction="in", text="x", status="answered", external_id="1:6"
        )
    with sessions() as s:
        assert inbox.unanswered_inbound(s, "telegram", "1:5") == open_id
        assert inbox.unanswered_inbound(s, "telegram", "1:6") is None


def test_several_workers_at_once_send_every_message_once_and_in_order(sessions):
    users = [f"u{n}" for n in range(8)]
    for _ in range(6):  # interleaved: each user's rows are spread over the table
        for user in users:
            _enqueue(sessions, user, 1)
    sent: list[tuple[str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            idle = 0
            while idle < 20:
                items = _claim(sessions, worker=name, limit=3)
                idle = 0 if items else idle + 1
                for item in items:
                    with lock:
                        sent.append((item.user_id, item.id))
                    assert _sent(sessions, item)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(sent) == 48 and len(set(sent)) == 48  # every row once
    for user in users:
        ids = [i for u, i in sent if u == user]
        assert ids == sorted(ids), f"{user} out of order: {ids}"
