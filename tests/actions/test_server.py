"""The action server refuses callers without the shared secret (a forged call could create an escalation)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.stackctl import REPO_ROOT, free_port

TOKEN = "rahasia-uji-aksi"
CALL = {
    "next_action": "action_create_report",
    "sender_id": "telegram:999",
    "tracker": {"sender_id": "telegram:999", "slots": {}, "latest_message": {}, "events": [], "paused": False},
    "domain": {},
    "version": "3.6.21",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, ACTIONS_TOKEN=TOKEN, PYTHONPATH=str(REPO_ROOT), SANIC_HOST="127.0.0.1")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('actions') / 'app.db'}"
    log = tmp_path_factory.mktemp("log") / "actions.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "actions.server", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_health_is_open(server):
    assert httpx.get(f"{server}/health").status_code == 200


@pytest.mark.parametrize("token", [None, "", "salah", TOKEN + "x"])
def test_a_call_without_the_right_token_is_refused(server, token):
    params = {"token": token} if token is not None else {}
    r = httpx.post(f"{server}/webhook", params=params, json=CALL)
    assert r.status_code == 403
    assert httpx.get(f"{server}/actions", params=params).status_code == 403


def test_the_right_token_is_let_through(server):
    r = httpx.get(f"{server}/actions", params={"token": TOKEN})
    assert r.status_code == 200
    assert "action_check_agency" in {a["name"] for a in r.json()}
