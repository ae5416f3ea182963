"""The supervisor's pieces without Rasa: process groups, freeing ports, the server layout, refusals."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import httpx

from knowledge.settings import Settings
from tanyakerja.children import Child, http_ok, port_free
from tanyakerja.supervisor import build_children, run_stack
from tests.support.stackctl import REPO_ROOT, free_port

# A main process that starts a "worker" holding the port, as Sanic's worker manager did.
PARENT_WITH_WORKER = """
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", '''
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", PORT)); s.listen()
time.sleep(600)
'''])
time.sleep(600)
"""


def _child(tmp_path: Path, port: int) -> Child:
    code = PARENT_WITH_WORKER.replace("PORT", str(port))
    check = http_ok(f"http://127.0.0.1:{port}/")
    return Child("demo", [sys.executable, "-c", code], check, check, 10, tmp_path / "demo.log", {}, "127.0.0.1", port)


def test_killing_a_child_takes_its_worker_and_frees_the_port(tmp_path):
    port = free_port()
    child = _child(tmp_path, port)
    child.start()
    deadline = time.monotonic() + 10
    while port_free("127.0.0.1", port):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert child.proc is not None
    child.proc.kill()  # the main process dies alone; its worker still holds the port
    child.proc.wait()
    time.sleep(0.3)
    assert not port_free("127.0.0.1", port)
    child.kill()  # what the supervisor does before a restart
    assert port_free("127.0.0.1", port)


def test_a_child_dies_with_the_supervisor(tmp_path):
    """PR_SET_PDEATHSIG: a supervisor killed with SIGKILL leaves no child behind."""
    port = free_port()
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(REPO_ROOT)!r})\n"
        "from pathlib import Path\n"
        "from tanyakerja.children import Child, http_ok\n"
        f"c = Child('sleeper', [sys.executable, '-c', 'import time; time.sleep(600)'], http_ok('x'), http_ok('x'), 5,"
        f" Path({str(tmp_path / 's.log')!r}), {{}}, '127.0.0.1', {port})\n"
        "c.start(); print(c.proc.pid, flush=True); time.sleep(600)\n"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert supervisor.stdout is not None
    pid = int(supervisor.stdout.readline())
    supervisor.kill()
    supervisor.wait()
    supervisor.stdout.close()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        assert time.monotonic() < deadline, "the child outlived its supervisor"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_several_servers_each_rasa_gets_an_action_server_and_the_gateway_all_rasa_servers():
    settings = dataclasses.replace(
        Settings(),
        rasa_instances=2,
        actions_instances=2,
        rasa_port=6000,
        actions_port=6100,
        gateway_port=6200,
        rasa_tracker_db="postgresql://u@db/rasa",
        redis_url="redis://r:6379/0",
    )
    children = {c.name: c for c in build_children(REPO_ROOT, settings, "rt", "at")}
    assert list(children) == ["rasa-1", "rasa-2", "actions-1", "actions-2", "gateway"]
    assert children["rasa-1"].env["ACTIONS_URL"] == "http://127.0.0.1:6100"
    assert children["rasa-2"].env["ACTIONS_URL"] == "http://127.0.0.1:6101"
    assert children["rasa-2"].port == 6001 and children["actions-2"].port == 6101
    assert children["gateway"].env["RASA_URLS"] == "http://127.0.0.1:6000,http://127.0.0.1:6001"
    assert all(c.env["ACTIONS_TOKEN"] == "at" for c in children.values())
    assert "actions.server" in children["actions-1"].argv


def test_no_secret_is_on_any_child_s_command_line():
    """A command line is readable by every local user (ps, /proc/PID/cmdline): tokens go in the environment,
    and Rasa is started through nlu.serve, which hands RASA_TOKEN to Rasa inside the process."""
    rasa_token, actions_token = "rasa-rahasia-123", "actions-rahasia-456"
    settings = dataclasses.replace(Settings(), database_url="postgresql+psycopg://tk:sandi-db-789@db/tk")
    children = build_children(REPO_ROOT, settings, rasa_token, actions_token)
    for child in children:
        line = " ".join(child.argv)
        assert not any(secret in line for secret in (rasa_token, actions_token, "sandi-db-789")), child.name
        assert "--auth-token" not in child.argv
    rasa = next(c for c in children if c.name == "rasa")
    assert rasa.argv[1:4] == ["-m", "nlu.serve", "run"] and rasa.env["RASA_TOKEN"] == rasa_token


def test_more_than_one_rasa_server_needs_postgres_and_redis(capsys):
    several = dataclasses.replace(Settings(), rasa_instances=2)
    assert run_stack(several, REPO_ROOT) == 2
    out = capsys.readouterr().out
    assert "RASA_TRACKER_DB" in out and "REDIS_URL" in out
    shared = dataclasses.replace(several, rasa_tracker_db="postgresql://u@db/rasa", redis_url="redis://r:6379/0")
    assert shared.scale_problems() == []


def test_health_checks_give_up_within_their_time_limit():
    check = http_ok("http://10.255.255.1:9/", timeout_s=0.5)  # unroutable: no answer at all
    started = time.monotonic()
    with httpx.Client() as client:
        assert check(client) is False
    assert time.monotonic() - started < 2
