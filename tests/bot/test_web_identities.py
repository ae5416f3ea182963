"""New web-chat identities are limited per client address at the gateway (POST /api/chat): a flood is
slowed, known ids and other addresses are not. Addresses come in through X-Forwarded-For and uvicorn's own
proxy-headers middleware, as behind the deployment's reverse proxy."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.asgi import create_app
from knowledge.delivery.models import WebIdentity
from knowledge.models import Message
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa

SETTINGS = Settings(
    rasa_url="http://rasa.test",
    actions_url="http://actions.test",
    web_new_chats_burst=3,
    web_new_chats_refill_s=600,  # no refill while the test runs
)
NAT = "203.0.113.7"


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def gateway(db, rasa, tmp_path):
    app = create_app(SETTINGS, factory=db, transport=httpx.MockTransport(rasa), spool_dir=tmp_path / "spool")
    with TestClient(ProxyHeadersMiddleware(app, trusted_hosts="*")) as client:
        yield client


def chat(client: TestClient, user_id: str, address: str, text: str = "halo") -> httpx.Response:
    return client.post("/api/chat", json={"user_id": user_id, "text": text}, headers={"X-Forwarded-For": address})


def test_a_flood_of_new_ids_is_slowed_while_known_ids_and_other_addresses_go_on(gateway, rasa, db):
    assert [chat(gateway, f"flood-{i}", NAT).status_code for i in range(3)] == [200, 200, 200]
    refused = chat(gateway, "flood-3", NAT)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    body = refused.json()
    assert body["error"] == "too_many_new_chats"
    [reply] = body["replies"]  # the shape the web page shows
    assert "jaringan ini" in reply["text"] and reply["buttons"] == []
    # an id seen before keeps its answers, from the same address or after its address changed
    assert chat(gateway, "flood-0", NAT, "masih bisa?").json()["replies"][0]["text"] == "echo: masih bisa?"
    assert chat(gateway, "flood-1", "198.51.100.20").status_code == 200
    # another address has its own budget
    assert chat(gateway, "someone-else", "198.51.100.9").status_code == 200
    assert chat(gateway, "flood-4", NAT).status_code == 429
    assert all(b["sender"] not in ("web:flood-3", "web:flood-4") for b in rasa.received)
    with db() as s:
        refused_lines = s.scalar(select(func.count()).where(Message.user_id.in_(["flood-3", "flood-4"])))
        identities = {i.user_id: i.client_key for i in s.scalars(select(WebIdentity))}
    assert refused_lines == 0  # nothing stored for a refused message
    assert set(identities) == {"flood-0", "flood-1", "flood-2", "someone-else"}
    assert identities["flood-0"] == identities["flood-2"] != identities["someone-else"]
    assert all(NAT not in key and len(key) == 64 for key in identities.values())  # only a keyed hash


def test_ipv6_devices_of_one_subscriber_share_a_budget(gateway):
    codes = [chat(gateway, f"v6-{i}", f"2001:db8:5:6::{i + 1:x}").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert chat(gateway, "v6-other", "2001:db8:5:7::1").status_code == 200


def test_the_machine_itself_is_never_limited(gateway):
    """Local tools, health checks and test harnesses come from loopback; the public comes through the proxy
    with its own address (X-Forwarded-For), so loopback is not a client to limit."""
    from knowledge.delivery.identities import is_local

    assert [chat(gateway, f"local-{i}", "127.0.0.1").status_code for i in range(8)] == [200] * 8  # budget 3
    assert is_local("127.0.0.1") and is_local("::1") and is_local("127.0.0.53")
    assert not is_local("203.0.113.7") and not is_local("10.0.0.1") and not is_local("testclient")
