"""The dashboard's queue: emergencies, then fraud, then the rest, oldest first; last message; counts."""

from __future__ import annotations

from datetime import timedelta

from knowledge import transcripts
from knowledge.db import session_scope
from knowledge.escalations import handoff
from knowledge.escalations.queue import Filters, counts, queue
from knowledge.escalations.store import create_escalation
from knowledge.models import Escalation, utcnow


def _make(db) -> dict[str, int]:
    ids = {}
    with session_scope(db) as s:
        for n, (user, reason, minutes_ago) in enumerate(
            [
                ("h1", "request_human", 50),
                ("f1", "fraud_report", 40),
                ("e1", "emergency", 10),
                ("f2", "fraud_report", 45),
                ("e2", "emergency", 30),
                ("n1", "not_understood", 60),
            ]
        ):
            esc = create_escalation(s, channel="telegram" if n % 2 else "web", user_id=user, reason=reason)
            s.get(Escalation, esc).created_at = utcnow() - timedelta(minutes=minutes_ago)
            ids[user] = esc
            transcripts.record_message(
                s,
                channel="telegram" if n % 2 else "web",
                user_id=user,
                direction="in",
                text=f"pesan dari {user}, hp 0812-3456-7890",
            )
    return ids


def test_most_urgent_first_then_oldest(db):
    ids = _make(db)
    with db() as s:
        rows = queue(s, staff="ani")
    assert [r.escalation.id for r in rows] == [ids[u] for u in ("e2", "e1", "f2", "f1", "n1", "h1")]
    first = rows[0]
    assert first.last_sender == "user" and "[TELP]" in first.last_text and "0812" not in first.last_text
    assert first.awaits_reply and first.waiting_since is not None and first.reported == 1


def test_filters_and_what_waits_for_me(db):
    ids = _make(db)
    with db() as s, s.begin():
        handoff.claim(s, ids["f1"], "ani")
        handoff.claim(s, ids["e1"], "budi")
    with db() as s:
        assert [r.escalation.id for r in queue(s, staff="ani", filters=Filters(view="mine"))] == [ids["f1"]]
        assert {r.escalation.id for r in queue(s, staff="ani", filters=Filters(view="open"))} == {
            ids[u] for u in ("e2", "f2", "n1", "h1")
        }
        assert [r.escalation.reason for r in queue(s, staff="ani", filters=Filters(reason="emergency"))] == [
            "emergency",
            "emergency",
        ]
        assert all(r.escalation.channel == "web" for r in queue(s, staff="ani", filters=Filters(channel="web")))
        c = counts(s, staff="ani")
        assert (c.waiting_for_me, c.unclaimed, c.unclaimed_urgent) == (1, 4, 1)
    with session_scope(db) as s:  # ani answers: nothing waits for her any more
        transcripts.record_message(s, channel="telegram", user_id="f1", direction="out", text="Halo", sender="staff")
    with db() as s:
        assert counts(s, staff="ani").waiting_for_me == 0
        [mine] = queue(s, staff="ani", filters=Filters(view="mine"))
        assert mine.last_sender == "staff" and mine.waiting_since is None
