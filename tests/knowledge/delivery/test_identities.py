"""New web-chat identities per client address: the keyed hash, the token bucket, ids already seen."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from knowledge import pseudonyms, secrets, transcripts
from knowledge.db import make_engine, session_scope
from knowledge.delivery.identities import Budget, admit, client_key, client_key_of, network_of, wait_for_new
from knowledge.delivery.models import WebIdentity
from knowledge.models import AppSecret, utcnow

BUDGET = Budget(burst=3, refill_s=30)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.7", "203.0.113.8", False),
        ("2001:db8:1:2::10", "2001:db8:1:2:ffff::1", True),  # one subscriber's /64
        ("2001:db8:1:2::10", "2001:db8:1:3::10", False),
        ("::ffff:203.0.113.7", "203.0.113.7", True),
    ],
)
def test_what_counts_as_one_client(a, b, same):
    assert (network_of(a) == network_of(b)) is same


def test_the_client_key_is_keyed_stable_and_never_the_address(db):
    with db() as s:
        key = client_key(s, "203.0.113.7")
        assert key == client_key(s, "203.0.113.7") != client_key(s, "203.0.113.8")
        assert len(key) == 64 and "203" not in key
        # without the secret, trying every address does not find it
        assert key != hashlib.sha256(b"203.0.113.7").hexdigest()
        stored = s.scalar(select(AppSecret.value).where(AppSecret.name == pseudonyms.KEY_NAME))
        assert stored and len(stored) == 64  # made on first use, kept for every process
        assert client_key(s, "203.0.113.7", configured="a-configured-key") != key


def test_every_process_gets_the_same_secret(db, tmp_path):
    """Insert-if-absent, then read: a second process (its own engine, an empty cache) reads the first one's."""
    with db() as s:
        first = secrets.app_secret(s, "probe")
    secrets._cache.clear()
    other = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        assert secrets.app_secret(other, "probe") == first
    finally:
        other.dispose()


def test_the_token_bucket_allows_a_burst_then_one_per_refill(db):
    t0 = utcnow()
    with session_scope(db) as s:
        assert [admit(s, user_id=f"n{i}", key="k", budget=BUDGET, now=t0) for i in range(3)] == [0, 0, 0]
        wait = admit(s, user_id="n3", key="k", budget=BUDGET, now=t0)
        assert 25 <= wait <= 30
        assert admit(s, user_id="n0", key="k", budget=BUDGET, now=t0) == 0  # known: always in
        assert admit(s, user_id="elsewhere", key="k2", budget=BUDGET, now=t0) == 0  # another address
        assert admit(s, user_id="n3", key="k", budget=BUDGET, now=t0 + timedelta(seconds=31)) == 0
        assert admit(s, user_id="n4", key="k", budget=BUDGET, now=t0 + timedelta(seconds=32)) > 0
        # a long pause refills the whole burst, no more
        later = t0 + timedelta(hours=2)
        assert [admit(s, user_id=f"m{i}", key="k", budget=BUDGET, now=later) for i in range(4)][-1] > 0
    with db() as s:
        stored = set(s.scalars(select(WebIdentity.user_id).where(WebIdentity.client_key == "k")))
    assert stored == {"n0", "n1", "n2", "n3", "m0", "m1", "m2"}  # a refused id is not stored


def test_a_steady_flood_is_held_near_the_refill_rate(db):
    """One new id a second for ten minutes from one address: about burst + 600/30, not 600."""
    t0 = utcnow()
    with session_scope(db) as s:
        admitted = sum(
            admit(s, user_id=f"f{i}", key="k", budget=BUDGET, now=t0 + timedelta(seconds=i)) == 0 for i in range(600)
        )
    assert 3 + 600 // 30 - 1 <= admitted <= 3 + 600 // 30 + 1


def test_burst_zero_means_no_limit(db):
    with session_scope(db) as s:
        assert all(admit(s, user_id=f"x{i}", key="k", budget=Budget(0, 30)) == 0 for i in range(50))
        assert wait_for_new(s, "k", Budget(0, 30)) == 0


def test_a_conversation_from_before_the_table_keeps_working(db):
    t0 = utcnow()
    with session_scope(db) as s:
        transcripts.record_message(s, channel="web", user_id="old-user", direction="in", text="halo")
        for i in range(3):
            admit(s, user_id=f"n{i}", key="k", budget=BUDGET, now=t0)
        assert admit(s, user_id="old-user", key="k", budget=BUDGET, now=t0) == 0
        assert client_key_of(s, channel="web", user_id="old-user") == "k"
        assert client_key_of(s, channel="telegram", user_id="old-user") is None


@pytest.mark.pg
def test_on_postgresql_the_secret_identities_and_lowered_escalations_work(pg_database):
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy.orm import sessionmaker

    from knowledge.escalations.store import create_escalation, list_escalations
    from knowledge.migrations import upgrade_to_head

    url = pg_database()
    # four "processes": their own engines, and URLs that differ, so no one reads another's cached value
    engines = [make_engine(f"{url}?application_name=p{i}") for i in range(4)]
    try:
        upgrade_to_head(engines[0])
        with ThreadPoolExecutor(4) as pool:  # making the secret at once, they agree on one
            made = set(pool.map(lambda engine: secrets.app_secret(engine, "race"), engines))
        assert len(made) == 1
        factory = sessionmaker(bind=engines[0], expire_on_commit=False)
        with session_scope(factory) as s:
            key = client_key(s, "203.0.113.7")
            assert [admit(s, user_id=f"p{i}", key=key, budget=Budget(12, 30)) for i in range(12)] == [0] * 12
            assert admit(s, user_id="p12", key=key, budget=Budget(12, 30)) > 0
            assert admit(s, user_id="p0", key=key, budget=Budget(12, 30)) == 0
        with session_scope(factory) as s:
            ids = [create_escalation(s, channel="web", user_id=f"p{i}", reason="emergency") for i in range(12)]
        with factory() as s:
            queue = list_escalations(s)
        assert [e.id for e in queue] == ids and [e.lowered for e in queue] == [None] * 10 + ["flood"] * 2
    finally:
        for engine in engines:
            engine.dispose()
