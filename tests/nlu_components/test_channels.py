"""Rasa behind the gateway: the REST channel refuses turns without RASA_TOKEN (nlu/channels.py), and Rasa gets
its API token from the environment, never from its command line (nlu/serve.py)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest

from nlu.serve import with_token
from tests.support.stackctl import free_port

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
TOKEN = "uji-token-rasa-7f3a"


def test_run_gets_the_token_from_the_environment():
    argv = with_token(["serve.py", "run", "--enable-api", "-p", "5005"], {"RASA_TOKEN": TOKEN})
    assert argv == ["serve.py", "run", "--enable-api", "-p", "5005", "--auth-token", TOKEN]
    assert with_token(["serve.py", "--version"], {}) == ["serve.py", "--version"]  # other commands: unchanged


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["serve.py", "run", "--enable-api"], {}),  # an open API would let anyone replace the model
        (["serve.py", "run", "--enable-api"], {"RASA_TOKEN": ""}),
        (["serve.py", "run", "--auth-token", TOKEN], {"RASA_TOKEN": TOKEN}),  # the very thing to avoid
        (["serve.py", "run", f"--auth-token={TOKEN}"], {"RASA_TOKEN": TOKEN}),
    ],
)
def test_no_token_or_a_token_on_the_command_line_is_refused(argv, environ):
    with pytest.raises(SystemExit):
        with_token(argv, environ)


@pytest.fixture(scope="module")
def rasa_server(tmp_path_factory):
    """A real Rasa server (no model: none is needed to check who may talk to it), started as `tanyakerja
    run` starts it, with the repository's credentials.yml."""
    if not RASA_PYTHON.exists():
        pytest.skip("needs .venv-rasa (make setup)")
    work = tmp_path_factory.mktemp("rasa-channel")
    (work / "models").mkdir()
    (work / "endpoints.yml").write_text("{}\n", encoding="utf-8")
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(work),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    argv = [str(RASA_PYTHON), "-m", "nlu.serve", "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port)]
    argv += ["--model", str(work / "models"), "--endpoints", str(work / "endpoints.yml")]
    argv += ["--credentials", str(ROOT / "credentials.yml")]
    refused = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "RASA_TOKEN" in refused.stderr  # without the token it does not start
    log = (work / "rasa.log").open("wb")
    proc = subprocess.Popen(argv, env={**env, "RASA_TOKEN": TOKEN}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            try:
                if httpx.get(f"{base}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (work / "rasa.log").read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "Rasa did not start"
            time.sleep(0.5)
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_token_is_not_on_rasa_s_command_line_yet_rasa_uses_it(rasa_server):
    proc, base = rasa_server
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    assert b"nlu.serve" in cmdline and TOKEN.encode() not in cmdline
    assert httpx.get(f"{base}/status", params={"token": "salah"}).status_code == 401
    assert httpx.get(f"{base}/status", params={"token": TOKEN}).status_code != 401


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer salah"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": f"Bearer {TOKEN}x"}, 401),
        ({"Authorization": f"Bearer {TOKEN}"}, 200),
        ({"Authorization": f"bearer {TOKEN}"}, 200),
    ],
)
def test_the_rest_webhook_answers_only_with_the_token(rasa_server, headers, status):
    _, base = rasa_server
    body = {"sender": "uji-channel", "message": "halo"}
    r = httpx.post(f"{base}/webhooks/rest/webhook", json=body, headers=headers, timeout=30)
    assert r.status_code == status
    if status == 200:
        assert isinstance(r.json(), list)  # Rasa's REST answer (empty: no model loaded)
