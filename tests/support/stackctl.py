"""Start the real stack (`tanyakerja run`) on free ports in a scratch folder; used by e2e tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class RunningStack:
    """Addresses and the supervisor process of a started stack."""

    base_url: str
    rasa_url: str
    actions_url: str
    database_url: str
    proc: subprocess.Popen
    output_path: Path


@contextmanager
def running_stack(
    workdir: Path, *, extra_env: dict[str, str] | None = None, timeout_s: float = 300
) -> Iterator[RunningStack]:
    """Run `tanyakerja run` with its own ports and databases under workdir; stop it on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    gw, rasa, actions = free_port(), free_port(), free_port()
    db_url = f"sqlite:///{workdir / 'app.db'}"
    env = dict(os.environ)
    env.update(
        {
            "GATEWAY_PORT": str(gw),
            "RASA_PORT": str(rasa),
            "ACTIONS_PORT": str(actions),
            "DATABASE_URL": db_url,
            "RASA_TRACKER_DB": str(workdir / "tracker.db"),
            "RASA_URL": f"http://127.0.0.1:{rasa}",
            "ACTIONS_URL": f"http://127.0.0.1:{actions}",
            "TANYAKERJA_LOG_DIR": str(workdir / "log"),
            "SPOOL_DIR": str(workdir / "spool"),  # not the checkout's var/spool, which another stack may use
            # every simulated web-chat user comes from 127.0.0.1: no per-address limit on new chats here
            "WEB_NEW_CHATS_BURST": "0",
            # this checkout's code, whichever checkout the shared environment's console script points at
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
        }
    )
    env.update(extra_env or {})
    out_path = workdir / "supervisor.out"
    start = out_path.stat().st_size if out_path.exists() else 0
    with out_path.open("ab") as out:  # append: a restarted stack keeps the earlier lines
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "tanyakerja"), "run"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{gw}"
    stack = RunningStack(base, env["RASA_URL"], env["ACTIONS_URL"], env["DATABASE_URL"], proc, out_path)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"stack exited early:\n{out_path.read_text(errors='replace')[-3000:]}")
            if "TanyaKerja siap" in out_path.read_bytes()[start:].decode(errors="replace"):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"stack not ready in {timeout_s}s:\n{out_path.read_text(errors='replace')[-3000:]}")
            time.sleep(1)
        yield stack
    finally:
        stop(proc)


@contextmanager
def staffed_stack(prefix: str, staff: tuple[str, str]) -> Iterator[RunningStack]:
    """A fresh stack on the demo data with one staff account (for reading tickets through the staff API),
    in a temporary folder, with the rate limit out of the way of an evaluation's many messages."""
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        bin_dir = Path(sys.executable).parent
        env = {"DATABASE_URL": f"sqlite:///{Path(work) / 'app.db'}", "PATH": str(bin_dir), "PYTHONPATH": str(REPO_ROOT)}
        subprocess.run(
            [str(bin_dir / "tanyakerja"), "staff", "add", staff[0], "--password-stdin"],
            input=staff[1] + "\n",
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
        with running_stack(Path(work), extra_env={"RATE_LIMIT_PER_MINUTE": "1000"}) as stack:
            yield stack


def stop(proc: subprocess.Popen, timeout_s: float = 40) -> int:
    """SIGTERM the supervisor (it stops its children) and wait; SIGKILL the group if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    return proc.returncode


def chat(client: httpx.Client, base_url: str, user_id: str, text: str) -> list[dict]:
    """One turn through POST /api/chat; returns the replies list."""
    r = client.post(f"{base_url}/api/chat", json={"user_id": user_id, "text": text}, timeout=60)
    r.raise_for_status()
    return r.json()["replies"]
