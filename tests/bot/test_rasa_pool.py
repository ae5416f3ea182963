"""The gateway's side of several Rasa servers: stable routing, failover, and a fast polite failure."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.rasa_client import RasaClient, RasaUnavailable

RASA = ("http://rasa-a.test", "http://rasa-b.test")
ACTIONS = ("http://act-a.test", "http://act-b.test")


class Servers:
    """Two fake Rasa servers and their action servers; each can be refused, hung or healthy."""

    def __init__(self) -> None:
        self.state = dict.fromkeys(("rasa-a.test", "rasa-b.test", "act-a.test", "act-b.test"), "ok")
        self.turns: list[tuple[str, str]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        state = self.state[request.url.host]
        if state == "refused":
            raise httpx.ConnectError("connection refused", request=request)
        if state == "hung":
            await asyncio.sleep(3600)
        if state == "busy":  # a queue of turns: health answers wait behind them, turns still complete
            await asyncio.sleep(3 if request.method == "GET" else 0.3)
        if request.method == "GET":
            return httpx.Response(200, json={"status": "ok", "model_id": "m"})
        body = json.loads(request.content)
        self.turns.append((request.url.host, body["sender"]))
        return httpx.Response(200, json=[{"text": f"{request.url.host}: {body['message']}"}])


def client_for(servers: Servers, timeout_s: float = 30) -> RasaClient:
    return RasaClient(httpx.AsyncClient(transport=httpx.MockTransport(servers)), RASA, ACTIONS, "tok", timeout_s)


def test_each_conversation_stays_on_one_server_and_both_servers_get_some():
    servers = Servers()

    async def main() -> None:
        rasa = client_for(servers)
        for _ in range(3):
            for user in range(20):
                await rasa.send(f"web:u{user}", "halo")

    asyncio.run(main())
    by_user: dict[str, set[str]] = {}
    for host, sender in servers.turns:
        by_user.setdefault(sender, set()).add(host)
    assert all(len(hosts) == 1 for hosts in by_user.values())
    assert {next(iter(h)) for h in by_user.values()} == {"rasa-a.test", "rasa-b.test"}


def test_a_refused_server_hands_its_conversations_to_the_other():
    servers = Servers()

    async def main() -> list[str]:
        rasa = client_for(servers)
        homes = {}
        for user in range(10):
            await rasa.send(f"web:u{user}", "halo")
            homes[user] = servers.turns[-1][0]
        servers.state["rasa-a.test"] = "refused"
        texts = []
        for user in range(10):
            [answer] = await rasa.send(f"web:u{user}", "lagi")
            texts.append(answer.text)
        return texts

    texts = asyncio.run(main())
    assert all(t.startswith("rasa-b.test") for t in texts)


def test_a_hung_action_server_gets_the_polite_failure_within_seconds_not_the_timeout():
    servers = Servers()

    async def main() -> float:
        rasa = client_for(servers, timeout_s=30)
        watcher = asyncio.create_task(rasa.watch())
        servers.state.update({"rasa-a.test": "hung", "rasa-b.test": "hung", "act-a.test": "hung"})
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(RasaUnavailable):
            await rasa.send("web:x", "halo")
        took = loop.time() - started
        started = loop.time()
        with pytest.raises(RasaUnavailable, match="no Rasa server"):
            await rasa.send("web:y", "halo")  # known down: one fresh look (at most 1.5 s), no turn
        assert loop.time() - started < 2
        watcher.cancel()
        return took

    assert asyncio.run(main()) < 8


def test_health_names_each_server():
    servers = Servers()
    servers.state["act-b.test"] = "refused"

    async def main() -> dict[str, bool]:
        return await client_for(servers).health()

    assert asyncio.run(main()) == {"rasa-1": True, "rasa-2": True, "actions-1": True, "actions-2": False}


def test_a_busy_server_whose_health_answer_is_slow_is_not_taken_for_a_hung_one():
    servers = Servers()
    servers.state.update({"rasa-a.test": "busy", "rasa-b.test": "busy"})

    async def main() -> int:
        rasa = client_for(servers)
        watcher = asyncio.create_task(rasa.watch())
        answered = 0
        loop = asyncio.get_running_loop()
        until = loop.time() + 8
        while loop.time() < until:
            await rasa.send("web:busy", "halo")  # raises if the watcher cut it short
            answered += 1
        watcher.cancel()
        return answered

    assert asyncio.run(main()) > 10


def test_every_turn_carries_the_token_rasa_s_rest_channel_asks_for():
    """nlu/channels.py refuses a turn without `Authorization: Bearer RASA_TOKEN`: the gateway always sends it,
    and a refused turn is an outage the user is told about, not an empty answer."""
    from tests.support.fake_rasa import FakeRasa

    rasa = FakeRasa(token="tok")

    async def send(token: str | None) -> list[str]:
        transport = httpx.MockTransport(rasa)
        client = RasaClient(httpx.AsyncClient(transport=transport), RASA[:1], ACTIONS[:1], token, 30)
        return [a.text for a in await client.send("web:tok", "halo")]

    assert asyncio.run(send("tok")) == ["echo: halo"]
    with pytest.raises(RasaUnavailable, match="401"):
        asyncio.run(send("salah"))
    with pytest.raises(RasaUnavailable, match="401"):
        asyncio.run(send(None))
    assert rasa.texts() == ["halo"]
