"""A NUL character on PostgreSQL (issue 21, High 2): it refuses U+0000 in text, so one NUL in a web-chat user
id or message used to fail every write and read keyed on it: the line was spooled, the rate limit read 0.
Now NUL is dropped where the text enters, and the conversation, its limits and its history go on."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.asgi import create_app
from bot.transcript import SPOOL_NAME
from knowledge.db import make_engine, session_scope
from knowledge.escalations.store import create_escalation, get_escalation
from knowledge.migrations import upgrade_to_head
from knowledge.models import Message
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa

pytestmark = pytest.mark.pg

SETTINGS = Settings(
    rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok", rate_limit_per_minute=3
)


@pytest.fixture
def pg(pg_database) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_a_nul_in_a_web_chat_id_and_text_is_dropped_and_the_rate_limit_still_counts(pg, tmp_path):
    app = create_app(SETTINGS, factory=pg, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path / "spool")
    with TestClient(app) as client:
        answers = [
            client.post("/api/chat", json={"user_id": "u\x00-nul", "text": f"halo\x00 {i}"}).json()["replies"][0][
                "text"
            ]
            for i in range(4)
        ]
        history = client.get("/api/chat/updates", params={"user_id": "u\x00-nul"})
    assert answers[:3] == ["echo: halo 0", "echo: halo 1", "echo: halo 2"]
    assert "tunggu sebentar" in answers[3].lower()  # the fourth in a minute: counted although it held a NUL
    with pg() as s:
        rows = list(s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)))
    assert [(m.user_id, m.text) for m in rows][:3] == [("u-nul", f"halo {i}") for i in range(3)]
    assert history.status_code == 200 and [m["text"] for m in history.json()["messages"]][:2] == [
        "halo 0",
        "echo: halo 0",
    ]
    assert not (tmp_path / "spool" / SPOOL_NAME).exists()


def test_an_escalation_with_nul_in_its_details_is_stored(pg):
    with session_scope(pg) as s:
        escalation_id = create_escalation(
            s, channel="web", user_id="u\x00-nul", reason="fraud_report", details={"agency\x00": "PT Nul\x00 Jaya"}
        )
    with pg() as s:
        found = get_escalation(s, escalation_id)
    assert found is not None and found.summary.user_id == "u-nul" and found.details == {"agency": "PT Nul Jaya"}
