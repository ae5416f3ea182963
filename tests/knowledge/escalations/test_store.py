"""The escalation store: queue order, one open escalation per user and reason, sender ids."""

from __future__ import annotations

import pytest

from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation, list_escalations, split_sender
from knowledge.models import Escalation


def test_split_sender():
    assert split_sender("telegram:123") == ("telegram", "123")
    assert split_sender("web:u:1") == ("web", "u:1")
    assert split_sender("plain") == ("web", "plain")


def test_queue_order_and_no_duplicates(db):
    with session_scope(db) as s:
        a = create_escalation(s, channel="web", user_id="a", reason="request_human")
        b = create_escalation(s, channel="web", user_id="b", reason="emergency", details={"x": 1})
        c = create_escalation(s, channel="web", user_id="c", reason="fraud_report")
        again = create_escalation(s, channel="web", user_id="b", reason="emergency", details={"y": 2})
    assert again == b
    with db() as s:
        queue = list_escalations(s, status="open")
        assert [e.id for e in queue] == [b, c, a]
        assert [e.priority for e in queue] == ["urgent", "high", "normal"]
        assert s.get(Escalation, b).details == {"x": 1, "y": 2}
    with pytest.raises(ValueError):
        with session_scope(db) as s:
            create_escalation(s, channel="web", user_id="a", reason="whatever")
