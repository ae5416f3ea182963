"""A hostile body cannot hold the gateway's event loop (issue 21, High 1): on a real uvicorn server, 64 KB of
`"\\"\\"\\"…` and other pathological shapes get their 4xx in well under 100 ms while /healthz, asked at
the same time, stays fast. Before the fix one such body kept the loop busy 8-17 s."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from bot.asgi import create_app
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa
from tests.support.fakeapi import eventually
from tests.support.stackctl import free_port

SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")
BODY = 64 * 1024 - 64
SHAPES = [
    b'{"user_id": "u", "text": "' + b'\\"' * (BODY // 2),  # the one from the review
    b'{"user_id": "u", "text": "' + b"\\" * BODY,
    b"[" * BODY,
    b"[" + b'"a",' * (BODY // 4) + b'"a"',
]


@pytest.fixture
def gateway(db, tmp_path) -> Iterator[str]:
    app = create_app(SETTINGS, factory=db, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path / "spool")
    port = free_port()
    # log_config=None: uvicorn's own logging setup would rewire this process's loggers for later tests
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    eventually(lambda: server.started)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def test_pathological_bodies_are_refused_fast_while_healthz_stays_fast(gateway):
    posts: list[tuple[int, float]] = []

    def flood() -> None:
        with httpx.Client(base_url=gateway, timeout=10) as client:
            for _ in range(4):
                for body in SHAPES:
                    started = time.perf_counter()
                    r = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
                    posts.append((r.status_code, time.perf_counter() - started))

    with httpx.Client(base_url=gateway, timeout=10) as client:
        assert client.get("/healthz").status_code == 200  # warm: first connections, first database read
        attacker = threading.Thread(target=flood)
        attacker.start()
        health: list[float] = []
        while attacker.is_alive() or not health:
            started = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            health.append(time.perf_counter() - started)
        attacker.join()

    assert len(posts) == 4 * len(SHAPES) and all(400 <= status < 500 for status, _ in posts), posts
    seconds = [s for _, s in posts]
    assert statistics.median(seconds) < 0.1 and max(seconds) < 1.0, [round(s * 1000) for s in seconds]
    assert statistics.median(health) < 0.1 and max(health) < 1.0, [round(s * 1000) for s in health]
