"""The gateway's doors: security headers on every response, no inline script or style in any page, and a 4xx
JSON error (never a 500) for hostile bodies -- deep nesting, lone surrogates, oversized or streamed bodies."""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.asgi import create_app
from bot.http_guard import CONTENT_SECURITY_POLICY, MAX_REQUEST_BYTES
from helpdesk.accounts import add_staff
from knowledge import safe_json
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.models import Message
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")
ANI = {"Authorization": "Basic " + base64.b64encode(b"ani:sandi-ani-12345").decode()}
JSON = {"content-type": "application/json"}


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(db, rasa, tmp_path):
    with session_scope(db) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        create_escalation(s, channel="web", user_id="u9", reason="emergency", details={})
    app = create_app(SETTINGS, factory=db, transport=httpx.MockTransport(rasa), spool_dir=tmp_path / "spool")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def incoming(db) -> list[Message]:
    with db() as s:
        return list(s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)))


def assert_error(r: httpx.Response, status: int) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json()) >= {"error", "message"}


@pytest.mark.parametrize(
    "path", ["/", "/helpdesk/", "/static/chat.js", "/helpdesk/static/helpdesk.css", "/healthz", "/no/such/page"]
)
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


def test_api_answers_and_logged_in_pages_carry_them_too(client):
    r = client.post("/api/chat", json={"user_id": "u1", "text": "halo"})
    assert r.status_code == 200 and r.headers["x-frame-options"] == "DENY"
    assert client.get("/api/escalations", headers=ANI).headers["x-content-type-options"] == "nosniff"


PAGES = [ROOT / "bot/static/index.html", *sorted((ROOT / "helpdesk/templates").glob("*.html"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_has_inline_script_or_style(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>: move it to a static file"
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), "inline event handler"
    assert "javascript:" not in html


def test_fifty_thousand_levels_of_nesting_are_a_400_not_a_500(client, rasa):
    deep = b"[" * 50_000 + b"]" * 50_000
    assert_error(client.post("/api/chat", content=deep[:60_000], headers=JSON), 400)
    r = client.post("/api/chat", content=b'{"user_id": "u1", "text": "x", "z": ' + b"[" * 30_000 + b"}", headers=JSON)
    assert_error(r, 400)
    assert r.json()["error"] == "too_deep" and rasa.received == []


def test_nesting_is_checked_outside_strings_only():
    assert safe_json.nesting_depth(b'{"a": "[[[[[[", "b": [{"c": "\\"]]]"}]}') == 3
    assert safe_json.loads(b'{"t": "' + b"[" * 500 + b'"}', max_bytes=10_000) == {"t": "[" * 500}
    with pytest.raises(safe_json.BadJson):
        safe_json.loads(b"[" * 65 + b"]" * 65, max_bytes=10_000)


@pytest.mark.parametrize("field", ["text", "user_id"])
def test_a_lone_surrogate_is_replaced_and_the_message_recorded_and_answered(client, db, rasa, field):
    body = {"user_id": '"u-sur"', "text": '"apa kabar \\ud800 loker"'}
    body[field] = body[field][:-1] + ' \\udfff"'
    raw = ("{" + ", ".join(f'"{k}": {v}' for k, v in body.items()) + "}").encode()
    r = client.post("/api/chat", content=raw, headers=JSON)
    assert r.status_code == 200, r.text
    assert r.json()["replies"] and rasa.received
    [line] = incoming(db)
    stored = line.text if field == "text" else line.user_id
    assert "\ufffd" in stored and not any(0xD800 <= ord(c) <= 0xDFFF for c in stored)


def test_a_surrogate_pair_written_as_escapes_stays_one_character(client, db):
    r = client.post("/api/chat", content=b'{"user_id": "u1", "text": "halo \\ud83d\\ude00 loker"}', headers=JSON)
    assert r.status_code == 200
    assert incoming(db)[0].text == "halo \U0001f600 loker"


@pytest.mark.parametrize("raw_id", [str(2**63), str(2**64 + 5), "9" * 40, "1" * 400, "-1", "0"])
def test_ids_outside_the_database_range_are_404_or_422(client, raw_id):
    for r in (
        client.get(f"/api/escalations/{raw_id}", headers=ANI),
        client.post(f"/api/escalations/{raw_id}/claim", headers={**ANI, **JSON}),
        client.post(f"/api/escalations/{raw_id}/reply", json={"text": "halo"}, headers=ANI),
    ):
        assert r.status_code in (404, 422), (raw_id, r.status_code)
        assert set(r.json()) >= {"error", "message"}


def test_a_deep_staff_body_and_a_surrogate_staff_reply(client, db):
    assert_error(client.post("/api/escalations/1/reply", content=b"[" * 20_000, headers={**ANI, **JSON}), 422)
    r = client.post("/api/escalations/1/reply", content=b'{"text": "baik \\ud800 pak"}', headers={**ANI, **JSON})
    assert r.status_code == 200, r.text
    transcript = client.get("/api/escalations/1", headers=ANI).json()["transcript"]
    assert transcript[-1]["text"] == "baik \ufffd pak"


def test_a_body_over_the_limit_is_refused_even_without_a_length(client):
    def chunks():
        for _ in range(MAX_REQUEST_BYTES // 65536 + 2):
            yield b"x" * 65536

    form = {"content-type": "application/x-www-form-urlencoded"}
    assert_error(client.post("/helpdesk/login", content=chunks(), headers=form), 413)
    big = b"x" * (MAX_REQUEST_BYTES + 1)
    assert_error(client.post("/helpdesk/login", content=big, headers=form), 413)


def test_unknown_paths_and_bad_parameters_use_the_error_shape(client):
    assert_error(client.get("/api/nothing-here"), 404)
    assert_error(client.put("/api/chat", json={}), 405)
    assert_error(client.get("/api/outbox/undelivered?limit=abc", headers=ANI), 422)


def test_an_unexpected_exception_is_a_500_json_and_the_log_has_no_user_text(client, rasa, caplog):
    def boom(text: str) -> list[dict]:
        raise RuntimeError(f"bug while reading {text}")

    rasa.answer = boom
    with caplog.at_level(logging.ERROR):
        r = client.post("/api/chat", json={"user_id": "u1", "text": "rahasia-unik 081234567890"})
    assert_error(r, 500)
    assert r.headers["x-frame-options"] == "DENY"
    assert "RuntimeError" in caplog.text and "/api/chat" in caplog.text
    assert "rahasia-unik" not in caplog.text and "081234567890" not in caplog.text
