"""Property-based: whatever body a client posts to /api/chat, the answer is JSON and never a 5xx, a bad body
gets the {"error", "message"} shape, and every message that can be stored (lone surrogates replaced by
U+FFFD, NUL dropped) is in the transcript afterwards."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.asgi import create_app
from bot.router import STORED_TEXT_LIMIT
from knowledge.models import Message
from knowledge.settings import Settings
from knowledge.storable import storable_text
from tests.factories import copied_database
from tests.support.fake_rasa import FakeRasa

ANY_CHAR = st.characters(exclude_categories=[])  # surrogates and control characters included
SURROGATES = st.characters(exclude_categories=[], min_codepoint=0xD800, max_codepoint=0xDFFF)
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.one_of(ANY_CHAR, SURROGATES), max_size=20).map("".join),
    st.sampled_from(["", " ", "\x00", "/restart", '/greet{"x": 1}', "halo " * 900, "x" * 4001]),
)
USER_IDS = st.one_of(
    st.text(ANY_CHAR, min_size=1, max_size=30),
    st.lists(st.one_of(ANY_CHAR, SURROGATES), min_size=1, max_size=8).map("".join),
    st.integers(min_value=-(2**70), max_value=2**70),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(ANY_CHAR, max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
MESSAGES = st.fixed_dictionaries({"user_id": USER_IDS}, optional={"text": TEXTS | st.none()})


def encode(payload: object, style: str) -> bytes:
    """JSON as clients send it: escaped (ASCII), or raw UTF-8 (lone surrogates encoded as if they were
    characters, which json.loads accepts)."""
    if style == "ascii":
        return json.dumps(payload).encode()
    return json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")


BODIES = st.one_of(
    st.tuples(MESSAGES, st.sampled_from(["ascii", "utf8"])),
    st.tuples(JSON_VALUES | MESSAGES.map(lambda m: {**m, "text": 5}), st.just("ascii")),
    st.binary(max_size=120).map(lambda b: (b, "raw")),
    st.integers(min_value=60, max_value=3000).map(lambda n: (b"[" * n + b"]" * n, "raw")),
)


@pytest.fixture(scope="module")
def app_and_db(tmp_path_factory, migrated_template):
    path, engine, factory = copied_database(tmp_path_factory.mktemp("chatprops"), migrated_template)
    settings_ = Settings(
        rasa_url="http://rasa.test",
        actions_url="http://actions.test",
        rate_limit_per_minute=100_000,
        web_new_chats_burst=0,
    )
    app = create_app(settings_, factory=factory, transport=httpx.MockTransport(FakeRasa()), spool_dir=path.parent)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, factory
    engine.dispose()


def expected_line(raw: bytes) -> tuple[str, str] | None:
    """(user_id, text) the transcript must hold after this body, or None when the body is not a message.
    Read as the server reads it: json.loads (which joins an escaped surrogate pair into one character)."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    user_id, text = payload.get("user_id"), payload.get("text", "")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if isinstance(user_id, str):  # NUL and lone surrogates are cleaned before anything else
        user_id = storable_text(user_id)
    if not isinstance(user_id, str) or not user_id.strip() or len(user_id) > 200:
        return None
    if text is None:
        text = ""
    if not isinstance(text, str):
        return None
    return user_id.strip(), storable_text(text)[:STORED_TEXT_LIMIT]


def lines_of(factory, user_id: str) -> tuple[int, str | None]:
    with factory() as session:
        where = (Message.channel == "web", Message.user_id == user_id, Message.direction == "in")
        count = session.scalar(select(func.count()).select_from(Message).where(*where)) or 0
        last = session.scalar(select(Message.text).where(*where).order_by(Message.id.desc()).limit(1))
    return count, last


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
@example(body=({"user_id": "\ud800\udc00", "text": "a \udc00 b"}, "ascii"))  # an escaped pair is one character
@example(body=({"user_id": "u", "text": "\ud800"}, "utf8"))  # a raw one is not valid UTF-8, json takes it
def test_the_chat_endpoint_never_answers_5xx_and_records_every_storable_message(app_and_db, body):
    client, factory = app_and_db
    payload, style = body
    raw = payload if style == "raw" else encode(payload, style)
    expected = expected_line(raw) if style != "raw" else None
    before = lines_of(factory, expected[0])[0] if expected else 0
    r = client.post("/api/chat", content=raw, headers={"content-type": "application/json"})
    assert r.status_code < 500, (raw[:200], r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    if r.status_code >= 400:
        assert isinstance(data.get("error"), str) and isinstance(data.get("message"), str)
    if expected is None:
        assert r.status_code >= 400
        return
    assert r.status_code in (200, 413), r.text[:300]
    assert all(isinstance(reply["text"], str) for reply in data["replies"])
    count, last = lines_of(factory, expected[0])
    assert count == before + 1 and last == expected[1], (raw[:300], r.text[:200])
