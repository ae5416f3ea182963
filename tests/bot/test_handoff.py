"""The bot and the help desk in the gateway: while a staff member holds a conversation the bot is silent
(one notice), the pause survives a restart of the gateway, staff replies reach the web chat, and after a
release the bot answers again from a clean dialogue state."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from bot.asgi import create_app
from helpdesk.accounts import add_staff, disable_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.models import Message, utcnow
from knowledge.settings import Settings
from knowledge.staff import audit
from knowledge.staff.models import Handoff
from tests.support.fake_rasa import FakeRasa

SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")
# a staff API client: HTTP Basic, and JSON bodies (state-changing requests must declare them)
ANI = {
    "Authorization": "Basic " + base64.b64encode(b"ani:kata-sandi-ani-1").decode(),
    "Content-Type": "application/json",
}


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


def _idle_for(db, user: str, minutes: int) -> None:
    """The holder's last claim or reply was this long ago (time passes in the data)."""
    with session_scope(db) as s:
        s.execute(
            update(Handoff).where(Handoff.user_id == user).values(updated_at=utcnow() - timedelta(minutes=minutes))
        )


def _escalation(client: TestClient, esc: int, headers: dict = ANI) -> tuple[str, str | None]:
    found = client.get(f"/api/escalations/{esc}", headers=headers).json()
    return found["status"], found["assigned_to"]


def test_an_idle_hold_ends_and_the_next_message_is_answered_by_the_bot(gateway, rasa, db):
    with session_scope(db) as s:
        esc = create_escalation(s, channel="web", user_id="u1", reason="request_human", details={})
    with gateway() as client:
        assert client.post(f"/api/escalations/{esc}/claim", headers=ANI).json()["status"] == "assigned"
        assert "ditangani langsung oleh petugas" in say(client, "halo?")[0]
        _idle_for(db, "u1", 119)  # HELPDESK_HOLD_IDLE_MINUTES is 120: still held, and the user's
        assert say(client, "masih di sana?") == []  # messages do not keep it alive
        _idle_for(db, "u1", 121)
        told, answer = say(client, "cari loker las")
        assert "Petugas sudah tidak ada di chat ini" in told and answer == "echo: cari loker las"
        assert rasa.texts() == ["/restart", "cari loker las"]  # a clean dialogue state first
        assert say(client, "lagi") == ["echo: lagi"]  # told once
        assert _escalation(client, esc) == ("open", None)  # back in the queue for a colleague
        assert client.app.state.hold_releaser.run_once() == (0, 0)  # nothing left for the periodic pass
    with db() as s:
        [ended] = audit.entries(s, staff="system")
    assert (ended.action, ended.escalation_id, ended.detail) == ("release", esc, {"reason": "idle", "holder": "ani"})


def test_a_reply_keeps_a_hold_and_the_periodic_pass_ends_an_idle_one(gateway, rasa, db):
    with session_scope(db) as s:
        esc = create_escalation(s, channel="web", user_id="u1", reason="request_human", details={})
    with gateway() as client:
        client.post(f"/api/escalations/{esc}/claim", headers=ANI)
        _idle_for(db, "u1", 500)
        assert client.post(f"/api/escalations/{esc}/reply", json={"text": "Sebentar ya."}, headers=ANI).is_success
        releaser = client.app.state.hold_releaser
        assert releaser.run_once() == (0, 0) and _escalation(client, esc) == ("assigned", "ani")
        cursor = updates(client, "0")["cursor"]
        _idle_for(db, "u1", 121)
        assert releaser.run_once() == (1, 1)  # ended, and the user told without writing first
        [notice] = updates(client, cursor)["messages"]
        assert "Petugas sudah tidak ada di chat ini" in notice["text"]
        assert say(client, "halo") == ["echo: halo"]  # not told twice
        assert rasa.texts() == ["/restart", "halo"]
        assert _escalation(client, esc) == ("open", None)


def test_disabling_a_staff_member_gives_their_conversations_back(gateway, rasa, db):
    with session_scope(db) as s:
        add_staff(s, "budi", "kata-sandi-budi-1")
        first = create_escalation(s, channel="web", user_id="u1", reason="request_human", details={})
        second = create_escalation(s, channel="web", user_id="u2", reason="emergency", details={})
        other = create_escalation(s, channel="web", user_id="u3", reason="request_human", details={})
    budi = {**ANI, "Authorization": "Basic " + base64.b64encode(b"budi:kata-sandi-budi-1").decode()}
    with gateway() as client:
        for esc in (first, second):
            client.post(f"/api/escalations/{esc}/claim", headers=ANI)
        client.post(f"/api/escalations/{other}/claim", headers=budi)
        with session_scope(db) as s:
            assert disable_staff(s, "ani")
        assert client.get("/api/escalations", headers=ANI).status_code == 401
        told, answer = say(client, "halo", user="u1")
        assert "Petugas sudah tidak ada di chat ini" in told and answer == "echo: halo"
        assert client.app.state.hold_releaser.run_once() == (0, 1)  # u2 is told without writing first
        assert "Petugas sudah tidak ada" in updates(client, "0", user="u2")["messages"][-1]["text"]
        assert say(client, "tolong", user="u2") == ["echo: tolong"]
        assert [_escalation(client, esc, budi) for esc in (first, second, other)] == [
            ("open", None),
            ("open", None),
            ("assigned", "budi"),  # a colleague's conversation is not touched
        ]
        [paused] = say(client, "halo", user="u3")  # still held by budi: the bot stays silent
        assert "ditangani langsung oleh petugas" in paused
    with db() as s:
        ended = [(e.escalation_id, e.detail["reason"]) for e in audit.entries(s, staff="system")]
    assert sorted(ended) == [(first, "staff_disabled"), (second, "staff_disabled")]
