"""The bot and the help desk in the gateway: while a staff member holds a conversation the bot is silent
(one notice), the pause survives a restart of the gateway, staff replies reach the web chat, and after a
release the bot answers again from a clean dialogue state."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.models import Message
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa

SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")
ANI = {"Authorization": "Basic " + base64.b64encode(b"ani:kata-sandi-ani-1").decode()}


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def gateway(db, rasa, tmp_path):
    def make() -> TestClient:
        return TestClient(
            create_app(SETTINGS, factory=db, transport=httpx.MockTransport(rasa), spool_dir=tmp_path / "spool")
        )

    with session_scope(db) as s:
        add_staff(s, "ani", "kata-sandi-ani-1")
    return make


def say(client: TestClient, text: str, user: str = "u1") -> list[str]:
    r = client.post("/api/chat", json={"user_id": user, "text": text})
    assert r.status_code == 200
    return [reply["text"] for reply in r.json()["replies"]]


def updates(client: TestClient, after: str, user: str = "u1") -> dict:
    return client.get("/api/chat/updates", params={"user_id": user, "after": after}).json()


def test_handoff_through_the_gateway(gateway, rasa, db):
    with session_scope(db) as s:
        esc = create_escalation(s, channel="web", user_id="u1", reason="request_human", details={})
    with gateway() as client:
        assert say(client, "halo") == ["echo: halo"]
        cursor = updates(client, "0")["cursor"]
        assert client.post(f"/api/escalations/{esc}/claim", headers=ANI).json()["status"] == "assigned"
        [notice] = say(client, "kapan dibalas?")
        assert "ditangani langsung oleh petugas" in notice and str(esc) in notice
        assert say(client, "halo??") == []  # one notice, not one per message
        assert rasa.texts() == ["halo"]
    with gateway() as client:  # the gateway restarted: the pause is in the database
        assert say(client, "masih di sana?") == []
        assert say(client, "😭😭") == []  # what the bot would answer itself goes to the staff member too
        r = client.post(f"/api/escalations/{esc}/reply", json={"text": "Halo, saya Ani dari help desk."}, headers=ANI)
        assert r.status_code == 200
        got = updates(client, cursor)
        assert [(m["from"], m["text"]) for m in got["messages"]] == [("staff", "Halo, saya Ani dari help desk.")]
        assert client.post(f"/api/escalations/{esc}/release", headers=ANI).json()["status"] == "open"
        [released] = updates(client, got["cursor"])["messages"]
        assert released["from"] == "bot" and "kembali dilayani" in released["text"]
        assert say(client, "cari loker las") == ["echo: cari loker las"]
        assert rasa.texts() == ["halo", "/restart", "cari loker las"]  # a clean dialogue state first, once
        say(client, "lagi")
        assert rasa.texts()[-2:] == ["cari loker las", "lagi"]
    with db() as s:
        lines = s.scalars(select(Message).where(Message.user_id == "u1").order_by(Message.id)).all()
        paused = [m.text for m in lines if m.status == "handed_over"]
        assert paused == ["kapan dibalas?", "halo??", "masih di sana?", "😭😭"]
        staff_line = next(m for m in lines if m.sender == "staff")
        assert staff_line.author == "ani" and staff_line.direction == "out"
        history = client.get("/api/chat/updates", params={"user_id": "u1"}).json()["messages"]
        assert [m["from"] for m in history].count("staff") == 1


def test_a_failed_restart_is_tried_again_with_the_next_message(gateway, rasa, db):
    with session_scope(db) as s:
        esc = create_escalation(s, channel="web", user_id="u2", reason="emergency", details={})
    with gateway() as client:
        client.post(f"/api/escalations/{esc}/claim", headers=ANI)
        client.post(f"/api/escalations/{esc}/close", json={"outcome": "resolved"}, headers=ANI)
        answer = rasa.answer

        def restart_fails(text: str) -> list[dict]:
            if text == "/restart":
                raise httpx.ConnectError("Rasa is down")
            return answer(text)

        rasa.answer = restart_fails
        assert "gangguan" in say(client, "halo", user="u2")[0]
        rasa.answer = answer
        assert say(client, "halo lagi", user="u2") == ["echo: halo lagi"]
    assert rasa.texts() == ["/restart", "/restart", "halo lagi"]  # the failed restart, then again


def test_a_reply_to_a_channel_without_a_sender_is_kept_not_a_500(gateway, db):
    with session_scope(db) as s:
        esc = create_escalation(s, channel="sms", user_id="0812", reason="request_human", details={})
    with gateway() as client:
        r = client.post(f"/api/escalations/{esc}/reply", json={"text": "Halo"}, headers=ANI)
        assert r.status_code == 200
        assert client.get(f"/api/escalations/{esc}", headers=ANI).json()["transcript"][-1]["sender"] == "staff"
