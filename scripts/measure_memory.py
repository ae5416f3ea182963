"""Resident memory of each process as the deployment runs it (one process per container), for sizing.

Starts the action server, the gateway and (when .venv-rasa exists) one Rasa server on free loopback ports
with a scratch SQLite database holding the demo data, drives some traffic, and prints the RSS of each.
Rasa serves the newest models/*.tar.gz; without one it starts empty and the figure is the process without
a model (say so when you quote it). Nothing is trained or downloaded.

    PYTHONPATH=. .venv/bin/python scripts/measure_memory.py [--turns 150]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = ["action_search_vacancies", "action_check_agency", "action_search_trainings", "action_placement_cost"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(client: httpx.Client, url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if client.get(url, timeout=3).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=150, help="chat turns and action calls to drive")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tk-mem-"))
    ports = {"gateway": free_port(), "rasa": free_port(), "actions": free_port()}
    token = secrets.token_urlsafe(16)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{work / 'app.db'}",
        RASA_URL=f"http://127.0.0.1:{ports['rasa']}",
        ACTIONS_URL=f"http://127.0.0.1:{ports['actions']}",
        RASA_TRACKER_DB=str(work / "tracker.db"),
        RASA_TOKEN=token,
        SANIC_HOST="127.0.0.1",
        RASA_TELEMETRY_ENABLED="false",
        PYTHONWARNINGS="ignore",
    )
    py = sys.executable
    subprocess.run([py, "-m", "tanyakerja.cli", "db", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    load = "from tanyakerja.demo import load_demo_if_empty\nfrom knowledge.db import session_factory, session_scope\n"
    load += "with session_scope(session_factory()) as s: load_demo_if_empty(s)"
    subprocess.run([py, "-c", load], env=env, cwd=ROOT, check=True)
    models = sorted(ROOT.glob("models/*.tar.gz"))
    model_dir = ROOT / "models" if models else work / "no-model"  # an empty folder: Rasa starts without a model
    model_dir.mkdir(exist_ok=True)
    commands = {
        "actions": [py, "-m", "rasa_sdk", "--actions", "actions", "-p", str(ports["actions"])],
        "gateway": [str(Path(py).parent / "uvicorn"), "--factory", "bot.asgi:app_factory", "--host", "127.0.0.1"]
        + ["--port", str(ports["gateway"]), "--no-access-log"],
    }
    rasa_python = ROOT / ".venv-rasa" / "bin" / "python"
    if rasa_python.exists():  # nlu.serve takes the token from RASA_TOKEN, as `tanyakerja run` starts Rasa
        commands["rasa"] = [str(rasa_python), "-m", "nlu.serve", "run", "--enable-api", "-i", "127.0.0.1"]
        commands["rasa"] += ["-p", str(ports["rasa"]), "--model", str(model_dir), "--endpoints", "endpoints.yml"]
        commands["rasa"] += ["--credentials", "credentials.yml"]
    procs = {
        name: subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, argv in commands.items()
    }

    def rss() -> dict[str, float]:
        return {name: psutil.Process(p.pid).memory_info().rss / 2**20 for name, p in procs.items()}

    try:
        with httpx.Client(timeout=60) as client:
            for name, url in [
                ("actions", f"http://127.0.0.1:{ports['actions']}/health"),
                ("gateway", f"http://127.0.0.1:{ports['gateway']}/"),
                ("rasa", f"http://127.0.0.1:{ports['rasa']}/"),
            ]:
                if name in procs and not wait(client, url, 300):
                    print(f"{name} did not start", file=sys.stderr)
                    return 1
            idle = rss()
            for i in range(args.turns):
                tracker = {
                    "sender_id": f"m{i % 20}",
                    "slots": {"job": "sopir", "location": "jaksel", "agency": "PT Maju Jaya", "country": "taiwan"},
                    "latest_message": {"text": "sopir di jaksel", "intent": {"name": "inform"}, "entities": []},
                    "events": [],
                    "paused": False,
                    "followup_action": None,
                    "active_loop": {},
                    "latest_action_name": "action_listen",
                }
                body = {"next_action": ACTIONS[i % len(ACTIONS)], "sender_id": tracker["sender_id"], "tracker": tracker}
                client.post(f"http://127.0.0.1:{ports['actions']}/webhook", json=body | {"domain": {}})
                client.post(
                    f"http://127.0.0.1:{ports['gateway']}/api/chat",
                    json={"user_id": f"m{i % 20}", "text": "cari lowongan sopir di jaksel"},
                )
            busy = rss()
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            p.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"model: {models[-1].name if models else 'NONE (Rasa measured without a model)'}")
    for name in procs:
        print(f"{name:8s} RSS after start {idle[name]:7.0f} MiB   after {args.turns} turns {busy[name]:7.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
