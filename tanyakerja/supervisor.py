"""`tanyakerja run`: starts Rasa, the action server and the gateway, watches them, stops them all."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from knowledge.settings import Settings

MAX_RESTARTS = 3  # per child within RESTART_WINDOW_S; beyond that the stack stops
RESTART_WINDOW_S = 300
STOP_GRACE_S = 10


def say(msg: str) -> None:
    """Supervisor status line on stdout."""
    print(f"[tanyakerja] {msg}", flush=True)


@dataclass
class Child:
    """One supervised process and how to tell it is ready."""

    name: str
    argv: list[str]
    ready: Callable[[httpx.Client], bool]
    ready_timeout_s: float
    log_path: Path
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        """Spawn in its own process group, output appended to its log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=self.env,
            start_new_session=True,
        )
        log.close()

    def alive(self) -> bool:
        """True while the process runs."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM the whole group, SIGKILL after a grace period."""
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass

    def tail(self, lines: int = 15) -> str:
        """Last lines of the log, for crash reports."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _ok(url: str, headers: dict[str, str] | None = None) -> Callable[[httpx.Client], bool]:
    def check(client: httpx.Client) -> bool:
        try:
            return client.get(url, headers=headers or {}, timeout=3).status_code == 200
        except httpx.HTTPError:
            return False

    return check


def _rasa_ready(base: str, token: str) -> Callable[[httpx.Client], bool]:
    def check(client: httpx.Client) -> bool:
        try:
            r = client.get(f"{base}/status", params={"token": token}, timeout=3)
            return r.status_code == 200 and bool(r.json().get("model_id"))
        except (httpx.HTTPError, ValueError):
            return False

    return check


def build_children(root: Path, settings: Settings, token: str) -> list[Child]:
    """The three processes with their command lines and readiness checks."""
    host = settings.bind_host
    logs = Path(os.environ.get("TANYAKERJA_LOG_DIR") or root / "var" / "log")
    env = dict(os.environ)
    env.update(
        {
            "RASA_TOKEN": token,
            "RASA_URL": settings.rasa_url,
            "ACTIONS_URL": settings.actions_url,
            "DATABASE_URL": settings.database_url,
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    # PYTHONPATH: the model refers to our NLU component nlu.normalizer.IndonesianNormalizer
    rasa_env = dict(
        env,
        PYTHONWARNINGS="ignore",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONPATH=str(root),
        RASA_TRACKER_DB=os.environ.get("RASA_TRACKER_DB", str(root / "var" / "rasa-tracker.db")),
    )
    rasa_bin = root / ".venv-rasa" / "bin" / "rasa"
    venv_bin = Path(sys.executable).parent
    return [
        Child(
            "rasa",
            [
                str(rasa_bin),
                "run",
                "--enable-api",
                "--auth-token",
                token,
                "-i",
                host,
                "-p",
                str(settings.rasa_port),
                "--model",
                str(root / "models"),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                # no user text or personal numbers in Rasa's log (nlu/logfilter.py)
                "--logging-config-file",
                str(root / "logging.yml"),
            ],
            _rasa_ready(settings.rasa_url, token),
            240,
            logs / "rasa.log",
            rasa_env,
        ),
        Child(
            "actions",
            # the same log filter; rasa_sdk spells the flag with an underscore
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.actions_port)]
            + ["--logging-config_file", str(root / "logging.yml")],
            _ok(f"{settings.actions_url}/health"),
            60,
            logs / "actions.log",
            dict(env, SANIC_HOST=host),
        ),
        Child(
            "gateway",
            [
                str(venv_bin / "uvicorn"),
                "--factory",
                "bot.asgi:app_factory",
                "--host",
                host,
                "--port",
                str(settings.gateway_port),
                "--no-access-log",
            ],
            _ok(f"http://127.0.0.1:{settings.gateway_port}/healthz"),
            60,
            logs / "gateway.log",
            env,
        ),
    ]


class Stack:
    """Starts children, restarts crashed ones (bounded), and stops everything on a signal."""

    def __init__(self, children: list[Child]):
        self.children = children
        self.stopping = False

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def _wait_ready(self, client: httpx.Client, child: Child) -> bool:
        deadline = time.monotonic() + child.ready_timeout_s
        while time.monotonic() < deadline and not self.stopping:
            if not child.alive():
                return False
            if child.ready(client):
                return True
            time.sleep(0.5)
        return False

    def stop_all(self) -> None:
        """Stop in reverse order so nothing is left running."""
        for child in reversed(self.children):
            child.stop()

    def run(self, on_ready: Callable[[], None]) -> int:
        """Start, supervise until a signal or an unrecoverable crash; return the exit status."""
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        try:
            return self._run(on_ready)
        finally:
            self.stop_all()
            say("semua proses dihentikan / all processes stopped")

    def _run(self, on_ready: Callable[[], None]) -> int:
        with httpx.Client() as client:
            started = time.monotonic()
            for child in self.children:
                say(f"starting {child.name} (log: {child.log_path})")
                child.start()
            for child in self.children:
                if not self._wait_ready(client, child):
                    if self.stopping:
                        return 0
                    say(f"ERROR: {child.name} did not become ready. Last log lines:\n{child.tail()}")
                    return 1
                say(f"{child.name} is ready after {time.monotonic() - started:.1f} s")
            on_ready()
            while not self.stopping:
                time.sleep(1)
                for child in self.children:
                    if self.stopping or child.alive():
                        continue
                    code = child.proc.returncode if child.proc else None
                    now = time.monotonic()
                    child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_S] + [now]
                    if len(child.restarts) > MAX_RESTARTS:
                        say(f"ERROR: {child.name} keeps crashing (exit {code}); stopping the stack.\n{child.tail()}")
                        return 1
                    say(
                        f"WARNING: {child.name} exited (code {code}); restarting ({len(child.restarts)}/{MAX_RESTARTS})"
                    )
                    child.start()
                    if not self._wait_ready(client, child) and not self.stopping:
                        say(f"ERROR: {child.name} did not come back. Last log lines:\n{child.tail()}")
                        return 1
        return 0


def run_stack(settings: Settings, root: Path | None = None) -> int:
    """Entry point of `tanyakerja run` (after the database is prepared)."""
    root = root or Path.cwd()
    if not (root / "domain.yml").exists():
        say("ERROR: run this from the repository root (where domain.yml is), e.g. `make run`.")
        return 2
    if not any((root / "models").glob("*.tar.gz")):
        say("ERROR: no trained model in models/. Run `make train` (or simply `make run`).")
        return 2
    problems = settings.channel_problems()
    for problem in problems:
        say(f"ERROR: {problem}")
    if problems:
        return 2
    for line in settings.channel_modes():
        say(line)
    token = os.environ.get("RASA_TOKEN") or secrets.token_urlsafe(24)
    stack = Stack(build_children(root, settings, token))

    def ready() -> None:
        say(f"TanyaKerja siap. Web chat: http://127.0.0.1:{settings.gateway_port}/  (Ctrl-C untuk berhenti)")

    return stack.run(ready)
