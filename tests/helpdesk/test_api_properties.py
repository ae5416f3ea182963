"""Property-based: whatever id, body or credentials a client sends to the staff API, the answer is a
JSON error with a 4xx or a success, never a 5xx, and a malformed request changes nothing."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.language.privacy import mask_pii
from knowledge.safe_json import without_lone_surrogates
from knowledge.settings import Settings
from tests.factories import copied_database
from tests.support.fake_rasa import FakeRasa

ANI = {"Authorization": "Basic " + base64.b64encode(b"ani:sandi-ani-12345").decode()}
ACTIONS = ["", "/claim", "/reply", "/release", "/close"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
BODIES = st.one_of(
    st.binary(max_size=200),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "text": JSON_VALUES | st.text(),
            "outcome": st.sampled_from(["resolved", "spam", "x"]) | st.text(),
            "note": JSON_VALUES,
        },
    ).map(lambda v: json.dumps(v).encode()),
    st.text().map(lambda t: json.dumps({"text": t}).encode()),
)
IDS = st.one_of(
    st.sampled_from(["1", "2", "3"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(min_size=1, max_size=30),
)


@pytest.fixture(scope="module")
def client(tmp_path_factory, migrated_template):
    path, engine, factory = copied_database(tmp_path_factory.mktemp("props"), migrated_template)
    with session_scope(factory) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        for n in range(3):
            create_escalation(s, channel="web", user_id=f"p{n}", reason="emergency", details={})
    app = create_app(
        Settings(rasa_url="http://rasa.test", actions_url="http://actions.test"),
        factory=factory,
        transport=httpx.MockTransport(FakeRasa()),
        spool_dir=path.parent / "spool",
    )
    with TestClient(app) as c:
        yield c
    engine.dispose()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw_id=IDS, action=st.sampled_from(ACTIONS), body=BODIES)
def test_the_staff_api_never_answers_5xx(client, raw_id, action, body):
    path = "/api/escalations/" + quote(raw_id.encode("utf-8", "surrogatepass"), safe="") + action
    verb = client.get if action == "" else client.post
    kwargs = {} if action == "" else {"content": body, "headers": {**ANI, "content-type": "application/json"}}
    r = verb(path, headers=ANI) if action == "" else verb(path, **kwargs)
    assert r.status_code < 500, (path, body, r.text)
    assert r.headers["content-type"].startswith("application/json")
    if r.status_code >= 400:
        assert set(r.json()) >= {"error", "message"}


REPLIES = st.text(st.characters(exclude_categories=[]), min_size=1, max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=REPLIES, escape=st.booleans())
def test_every_storable_staff_reply_is_in_the_transcript(client, text, escape):
    with session_scope(client.app.state.sessions) as s:  # its own: the test above may have closed 1-3
        esc = create_escalation(s, channel="web", user_id="reply-props", reason="fraud_report", details={})
    raw = json.dumps({"text": text}, ensure_ascii=escape).encode("utf-8", "surrogatepass")
    r = client.post(f"/api/escalations/{esc}/reply", content=raw, headers={**ANI, "content-type": "application/json"})
    assert r.status_code < 500 and r.headers["content-type"].startswith("application/json")
    stored = without_lone_surrogates(text).replace("\x00", "").strip()
    if not stored:
        assert r.status_code == 422 and r.json()["error"] == "invalid_text"
        return
    assert r.status_code == 200, r.text
    transcript = client.get(f"/api/escalations/{esc}", headers=ANI).json()["transcript"]
    assert transcript[-1]["sender"] == "staff" and transcript[-1]["text"] == mask_pii(stored)
