"""The gateway with Rasa faked by httpx.MockTransport: /api/chat, the router's rules, /healthz."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.asgi import create_app
from bot.transcript import SPOOL_NAME, Transcript
from knowledge.db import make_engine
from knowledge.models import Message
from knowledge.settings import Settings

SETTINGS = Settings(
    rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok", rate_limit_per_minute=30
)


class FakeRasa:
    """Answers like Rasa's REST channel; records what it was sent."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answer: Callable[[str], list[dict]] = lambda text: [{"text": f"echo: {text}"}]
        self.down = False
        self.actions_down = False
        self.status = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test":
            return httpx.Response(503 if self.actions_down else 200, json={"status": "ok"})
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_id": "m1"})
        body = json.loads(request.content)
        self.received.append(body)
        if self.status != 200:
            return httpx.Response(self.status, text="Internal Server Error")
        return httpx.Response(200, json=[{"recipient_id": body["sender"], **m} for m in self.answer(body["message"])])


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client_for(db, rasa, tmp_path):
    def make(settings: Settings = SETTINGS, factory: sessionmaker | None = None) -> TestClient:
        app = create_app(
            settings, factory=factory or db, transport=httpx.MockTransport(rasa), spool_dir=tmp_path / "spool"
        )
        return TestClient(app)

    return make


@pytest.fixture
def client(client_for):
    with client_for() as c:
        yield c


def chat(client: TestClient, text, user_id="u1") -> httpx.Response:
    return client.post("/api/chat", json={"user_id": user_id, "text": text})


def messages(db) -> list[Message]:
    with db() as s:
        return list(s.scalars(select(Message).order_by(Message.id)))


def test_a_turn_is_forwarded_and_recorded(client, rasa, db):
    # Rasa's REST channel cuts a text at blank lines; the user gets it back as one message with its buttons.
    rasa.answer = lambda text: [
        {"text": "Bagian satu"},
        {"text": "Bagian dua"},
        {"text": "Pilih:", "buttons": [{"title": "Ya", "payload": "/affirm"}]},
    ]
    r = chat(client, "  pt contoh  resmi gk? ")
    assert r.status_code == 200
    assert r.json() == {
        "replies": [{"text": "Bagian satu\n\nBagian dua\n\nPilih:", "buttons": [{"title": "Ya", "payload": "/affirm"}]}]
    }
    assert rasa.received == [{"sender": "web:u1", "message": "pt contoh resmi gk?"}]
    rows = messages(db)
    assert [(m.direction, m.status) for m in rows] == [("in", "answered"), ("out", "ok")]
    assert rows[0].text == "  pt contoh  resmi gk? "  # the original text is kept
    assert rows[1].buttons == [{"title": "Ya", "payload": "/affirm"}]


def test_leading_slash_is_stripped_unless_it_is_a_button_we_offered(client, rasa):
    chat(client, '/check_agency{"agency": "x"}')
    chat(client, "//start")
    assert [m["message"] for m in rasa.received] == ['check_agency{"agency": "x"}', "start"]
    rasa.answer = lambda text: [{"text": "Maksud Anda?", "buttons": [{"title": "Ya", "payload": "/affirm"}]}]
    chat(client, "cek pt x")
    chat(client, "/affirm")
    assert rasa.received[-1]["message"] == "/affirm"
    chat(client, "/affirm", user_id="someone-else")  # never offered to this user
    assert rasa.received[-1]["message"] == "affirm"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "🙏 !!", "///", None])
def test_empty_or_emoji_only_gets_a_prompt_without_rasa(client, rasa, db, text):
    r = client.post("/api/chat", json={"user_id": "u1", "text": text})
    assert r.status_code == 200
    [reply] = r.json()["replies"]
    assert "ketik" in reply["text"].lower()
    assert reply["buttons"] == [{"title": "Menu bantuan", "payload": "/ask_help"}]
    assert rasa.received == []
    assert [m.direction for m in messages(db)] == ["in", "out"]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"text": "halo"}, 422, "missing_user_id"),
        ({"user_id": "", "text": "halo"}, 422, "missing_user_id"),
        ({"user_id": None, "text": "halo"}, 422, "missing_user_id"),
        ({"user_id": "x" * 201, "text": "halo"}, 422, "invalid_user_id"),
        ({"user_id": "u1", "text": ["halo"]}, 422, "invalid_text"),
        ([1, 2], 400, "invalid_json"),
    ],
)
def test_bad_requests_get_a_json_error(client, rasa, body, status, error):
    r = client.post("/api/chat", json=body)
    assert (r.status_code, r.json()["error"]) == (status, error)
    assert r.json()["message"]
    assert rasa.received == []


def test_malformed_json_and_huge_bodies(client):
    r = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["error"]) == (400, "invalid_json")
    r = client.post("/api/chat", content=b"x" * 70_000, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_over_4000_characters_is_refused_but_kept(client, rasa, db):
    assert chat(client, "a" * 4000).status_code == 200
    r = chat(client, "b" * 4001)
    assert r.status_code == 413
    assert r.json()["error"] == "too_long"
    assert "terlalu panjang" in r.json()["message"]
    assert len(rasa.received) == 1
    stored = [m for m in messages(db) if m.direction == "in"][-1]
    assert (stored.text, stored.status) == ("b" * 4001, "rejected")


def test_sql_and_html_pass_through_as_plain_text(client, rasa, db):
    text = "cek PT x'; DROP TABLE messages; -- <script>alert(1)</script>"
    assert chat(client, text).status_code == 200
    assert rasa.received[-1]["message"] == text
    assert messages(db)[0].text == text


@pytest.mark.parametrize("failure", ["down", "silent", "error"])
def test_rasa_trouble_gets_a_polite_reply_and_the_message_is_kept(client, rasa, db, failure):
    if failure == "down":
        rasa.down = True
    elif failure == "silent":
        rasa.answer = lambda text: []  # what Rasa returns when the action server is down
    else:
        rasa.status = 500
    r = chat(client, "pt contoh resmi gk")
    assert r.status_code == 200
    [reply] = r.json()["replies"]
    assert "sedang gangguan" in reply["text"]
    inbound = messages(db)[0]
    assert (inbound.text, inbound.status) == ("pt contoh resmi gk", "failed")


def test_rate_limit_per_user(client_for, rasa):
    with client_for(replace(SETTINGS, rate_limit_per_minute=3)) as c:
        answers = [chat(c, f"halo {i}").json()["replies"][0]["text"] for i in range(5)]
        other = chat(c, "halo", user_id="u2").json()["replies"][0]["text"]
    assert answers[:3] == ["echo: halo 0", "echo: halo 1", "echo: halo 2"]
    assert "tunggu sebentar" in answers[4].lower()
    assert other == "echo: halo"


def test_database_down_still_answers_and_spools_the_message(client_for, rasa, tmp_path, db):
    broken_engine = make_engine(f"sqlite:///{tmp_path / 'gone' / 'app.db'}")
    (tmp_path / "gone").rmdir()
    with client_for(factory=sessionmaker(bind=broken_engine)) as c:
        r = chat(c, "halo saat database mati")
    assert r.json()["replies"][0]["text"] == "echo: halo saat database mati"
    spool = tmp_path / "spool" / SPOOL_NAME
    lines = [json.loads(x) for x in spool.read_text().splitlines()]
    assert [(x["direction"], x["text"]) for x in lines] == [
        ("in", "halo saat database mati"),
        ("out", "echo: halo saat database mati"),
    ]
    # The database is back: the next write replays the spool first.
    Transcript(db, tmp_path / "spool").record(channel="web", user_id="u1", direction="in", text="lagi")
    assert [m.text for m in messages(db)] == ["halo saat database mati", "echo: halo saat database mati", "lagi"]
    assert not spool.exists()
    broken_engine.dispose()


def test_healthz(client, rasa):
    r = client.get("/healthz")
    assert (r.status_code, r.json()["status"]) == (200, "ok")
    rasa.actions_down = True
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["failing"] == ["actions"]
    rasa.down = True
    assert set(client.get("/healthz").json()["failing"]) == {"rasa", "actions"}


def test_web_chat_page(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert "<script>" not in r.text and "<style>" not in r.text  # no inline code (for the CSP)
    js = client.get("/static/chat.js")
    assert js.status_code == 200 and "/api/chat" in js.text and "textContent" in js.text
    assert "innerHTML" not in js.text and "insertAdjacentHTML" not in js.text  # text never becomes HTML
    assert client.get("/static/chat.css").status_code == 200


def test_chat_updates_give_the_history_and_then_only_what_came_outside_a_turn(client, db):
    from knowledge import transcripts
    from knowledge.db import session_scope

    chat(client, "halo", user_id="u-up")
    history = client.get("/api/chat/updates", params={"user_id": "u-up"}).json()
    assert [(m["from"], m["text"]) for m in history["messages"]] == [("user", "halo"), ("bot", "echo: halo")]
    cursor = history["cursor"]
    assert client.get("/api/chat/updates", params={"user_id": "u-up", "after": cursor}).json()["messages"] == []
    chat(client, "lagi", user_id="u-up")  # a turn's own replies are not updates
    with session_scope(db) as s:
        transcripts.record_message(
            s, channel="web", user_id="u-up", direction="out", text="Halo, saya petugas.", sender="staff"
        )
    later = client.get("/api/chat/updates", params={"user_id": "u-up", "after": cursor}).json()
    assert [(m["from"], m["text"]) for m in later["messages"]] == [("staff", "Halo, saya petugas.")]
    assert later["cursor"] != cursor  # opaque (knowledge/cursors.py): it moved past the staff reply
    again = client.get("/api/chat/updates", params={"user_id": "u-up", "after": later["cursor"]}).json()
    assert again["messages"] == []
    assert client.get("/api/chat/updates", params={"user_id": ""}).status_code == 422
    assert client.get("/api/chat/updates", params={"user_id": "u", "after": "x1"}).status_code == 422


def test_identity_numbers_are_hidden_from_rasa_with_a_warning_and_kept_for_staff(client, rasa, db):
    r = chat(client, "pt contoh sinar jaya nik saya 3201014101900001 paspor C1234567 resmi gk")
    replies = r.json()["replies"]
    assert "jangan kirim NIK" in replies[0]["text"]
    sent = rasa.received[-1]["message"]
    assert "3201014101900001" not in sent and "C1234567" not in sent and "disembunyikan" in sent
    assert all("3201014101900001" not in reply["text"] for reply in replies)  # never echoed
    assert "3201014101900001" in messages(db)[0].text  # the transcript keeps it (masked in staff views)


def test_an_english_writer_gets_a_short_english_note_and_an_answer(client, rasa):
    replies = chat(client, "hello, is this agency licensed? I am looking for a job").json()["replies"]
    assert replies[0]["text"].startswith("echo:")  # the answer first (an emergency's hotline stays on top)
    assert replies[-1]["text"].startswith("Note: this service is in Indonesian")
    assert len(chat(client, "halo min mau tanya loker").json()["replies"]) == 1


def test_crying_emoji_reach_the_bot_only_during_an_open_emergency(client, rasa, db):
    from knowledge.db import session_scope
    from knowledge.escalations.store import create_escalation

    assert "Pesan Anda kosong" in chat(client, "😭😭", user_id="u7").json()["replies"][0]["text"]
    assert rasa.received == []
    with session_scope(db) as s:
        create_escalation(s, channel="web", user_id="u7", reason="emergency", details={})
    assert chat(client, "😭😭", user_id="u7").json()["replies"][0]["text"] == "echo: 😭😭"


def test_over_long_messages_count_in_the_rate_limit(client_for, rasa, db):
    with client_for(replace(SETTINGS, rate_limit_per_minute=3)) as c:
        answers = [chat(c, "x" * 5000).json() for _ in range(5)]
        after = chat(c, "halo").json()
    assert [a["error"] for a in answers] == ["too_long"] * 5
    assert all("terlalu panjang" in a["replies"][0]["text"] for a in answers[:3])
    # the fourth over-long message in a minute is a flood like any other: asked to slow down
    assert all("tunggu sebentar" in a["replies"][0]["text"].lower() for a in answers[3:])
    assert "tunggu sebentar" in after["replies"][0]["text"].lower()
    assert rasa.received == []
    inbound = [m for m in messages(db) if m.direction == "in"]
    assert [m.status for m in inbound] == ["rejected"] * 3 + ["rate_limited"] * 3
    # a line refused for flooding keeps only its start: it counts, it cannot fill the disk
    assert [len(m.text) for m in inbound] == [5000] * 3 + [1000, 1000, 4]
