"""End-to-end through the real stack (gateway, Rasa, action server): a staff member takes a conversation
over through the JSON API, the bot stays silent, the reply reaches the web chat, and after the release
the bot answers again from a clean dialogue state (Rasa's form forgotten)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import sessionmaker

from knowledge.db import make_engine, session_scope
from knowledge.escalations.store import create_escalation
from tests.e2e.conftest import STAFF

pytestmark = pytest.mark.e2e
AUTH = STAFF
JSON = {"Content-Type": "application/json"}  # state-changing staff requests must declare JSON
FORM_QUESTION = "Siapa pelakunya?"


def _escalate(database_url: str, user: str) -> int:
    """An escalation made behind the dialogue's back: whatever form the user is in stays active in Rasa."""
    engine = make_engine(database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as s:
            return create_escalation(s, channel="web", user_id=user, reason="request_human", details={})
    finally:
        engine.dispose()


def test_a_staff_member_takes_over_and_hands_back_a_clean_dialogue(stack, say):
    running, client = stack
    base = running.base_url
    control, user = f"ctl-{uuid.uuid4().hex[:8]}", f"hd-{uuid.uuid4().hex[:8]}"
    # the control: without a handoff, a greeting in the middle of the fraud form gets the form's question again
    assert FORM_QUESTION in say(control, "saya mau lapor penipuan")[0]
    assert FORM_QUESTION in say(control, "halo")[0]

    assert FORM_QUESTION in say(user, "saya mau lapor penipuan")[0]
    esc = _escalate(running.database_url, user)
    r = client.post(f"{base}/api/escalations/{esc}/claim", auth=AUTH, headers=JSON)
    assert r.status_code == 200 and r.json()["assigned_to"] == STAFF[0]
    notice, _ = say(user, "pelakunya pak budi, tolong")
    assert "ditangani langsung oleh petugas" in notice and str(esc) in notice
    assert say(user, "halo? ada orang?") == ("", [])  # silence: the petugas reads it
    detail = client.get(f"{base}/api/escalations/{esc}", auth=AUTH).json()
    assert [t["text"] for t in detail["transcript"] if t["sender"] == "user"][-2:] == [
        "pelakunya pak budi, tolong",
        "halo? ada orang?",
    ]
    cursor = client.get(f"{base}/api/chat/updates", params={"user_id": user}).json()["cursor"]
    r = client.post(
        f"{base}/api/escalations/{esc}/reply", json={"text": "Halo, saya petugas. Boleh cerita?"}, auth=AUTH
    )
    assert r.status_code == 200
    got = client.get(f"{base}/api/chat/updates", params={"user_id": user, "after": cursor}).json()
    assert [(m["from"], m["text"]) for m in got["messages"]] == [("staff", "Halo, saya petugas. Boleh cerita?")]
    assert client.post(f"{base}/api/escalations/{esc}/release", auth=AUTH, headers=JSON).json()["status"] == "open"
    [released] = client.get(f"{base}/api/chat/updates", params={"user_id": user, "after": got["cursor"]}).json()[
        "messages"
    ]
    assert "kembali dilayani" in released["text"]
    greeting, _ = say(user, "halo")
    assert greeting.startswith("Halo!") and FORM_QUESTION not in greeting  # the fraud form was forgotten


def test_the_status_answer_follows_the_handoff(stack, say):
    running, client = stack
    base = running.base_url
    user = f"st-{uuid.uuid4().hex[:8]}"
    say(user, "saya mau bicara dengan petugas")
    [esc] = [e for e in client.get(f"{base}/api/escalations", auth=AUTH).json() if e["user_id"] == user]
    assert "menunggu petugas" in say(user, "kapan petugasnya balas?")[0]
    client.post(f"{base}/api/escalations/{esc['id']}/claim", auth=AUTH, headers=JSON)
    assert "ditangani langsung oleh petugas" in say(user, "kapan petugasnya balas?")[0]
    r = client.post(
        f"{base}/api/escalations/{esc['id']}/close", json={"outcome": "referred_bp3mi", "note": "ke BP3MI"}, auth=AUTH
    )
    assert r.json()["status"] == "resolved"
    assert "dirujuk ke BP3MI/KP2MI" in say(user, "kapan petugasnya balas?")[0]
    assert client.post(f"{base}/api/escalations/{esc['id']}/claim", auth=AUTH, headers=JSON).status_code == 409
    assert client.post(f"{base}/api/escalations/{2**64}/claim", auth=AUTH, headers=JSON).status_code == 404
