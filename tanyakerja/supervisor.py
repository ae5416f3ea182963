"""`tanyakerja run`: starts Rasa, the action server and the gateway, watches them, stops them all.

Supervision is by health, not by being alive: every child is asked about once a second whether it still
answers (Rasa `/`, the action server `/health`, the gateway `/livez`, each within 2 s). A child that
exits, or fails three checks in a row (hung, stopped, a dead worker behind a live process), has its
whole process group killed, its port freed, and is started again; repeated crashes back off (up to a
minute between tries) but never bring the rest of the stack down. Every child also dies with the
supervisor itself (PR_SET_PDEATHSIG), so a killed supervisor leaves no orphan holding a port.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from knowledge.settings import Settings
from tanyakerja.children import Child, http_ok, local_address, rasa_model_loaded

FAILED_CHECKS_BEFORE_RESTART = 3
CHECK_INTERVAL_S = 1.0
BACKOFF_WINDOW_S = 300  # restarts within this window count towards the back-off
BACKOFF_FREE = 3  # this many restarts in the window happen at once; then 2, 4, 8 ... 60 s apart
BACKOFF_MAX_S = 60


def say(msg: str) -> None:
    """Supervisor status line on stdout."""
    print(f"[tanyakerja] {msg}", flush=True)


def build_children(root: Path, settings: Settings, rasa_token: str, actions_token: str) -> list[Child]:
    """RASA_INSTANCES Rasa servers, ACTIONS_INSTANCES action servers and the gateway (ports count up)."""
    host = settings.bind_host
    local = local_address(host)
    logs = Path(os.environ.get("TANYAKERJA_LOG_DIR") or root / "var" / "log")
    actions_urls = [f"http://{local}:{settings.actions_port + i}" for i in range(settings.actions_instances)]
    rasa_urls = [f"http://{local}:{settings.rasa_port + i}" for i in range(settings.rasa_instances)]
    several_rasa, several_actions = len(rasa_urls) > 1, len(actions_urls) > 1
    env = dict(os.environ)
    env.update(
        {
            "RASA_TOKEN": rasa_token,
            "ACTIONS_TOKEN": actions_token,
            "DATABASE_URL": settings.database_url,
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    if settings.rasa_instances > 1 or settings.actions_instances > 1:
        env.update({"RASA_URLS": ",".join(rasa_urls), "ACTIONS_URLS": ",".join(actions_urls)})
    else:
        env.update({"RASA_URL": rasa_urls[0], "ACTIONS_URL": actions_urls[0]})
    tracker = settings.rasa_tracker_db
    if "://" not in tracker and not Path(tracker).is_absolute():
        tracker = str(root / tracker)
    children = []
    for i, url in enumerate(rasa_urls):
        name = f"rasa-{i + 1}" if several_rasa else "rasa"
        port = settings.rasa_port + i
        # PYTHONPATH: the model refers to our NLU components (nlu.*) and endpoints.yml to nlu.stores
        rasa_env = dict(
            env,
            PYTHONWARNINGS="ignore",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            PYTHONPATH=str(root),
            RASA_TRACKER_DB=tracker,
            ACTIONS_URL=actions_urls[i % len(actions_urls)],
        )
        # A conversation's lock ticket outlives a killed Rasa server by this long (Rasa's default: 60 s, longer
        # than the gateway waits); a turn takes well under a second.
        rasa_env.setdefault("TICKET_LOCK_LIFETIME", "10")
        # nlu.serve reads RASA_TOKEN from the environment: a command line is visible to every local user
        argv = [str(root / ".venv-rasa" / "bin" / "python"), "-m", "nlu.serve", "run", "--enable-api"]
        argv += ["-i", host, "-p", str(port), "--model", str(root / "models")]
        argv += ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
        # no user text or personal numbers in Rasa's log (nlu/logfilter.py)
        argv += ["--logging-config-file", str(root / "logging.yml")]
        children.append(
            Child(
                name,
                argv,
                rasa_model_loaded(url, rasa_token),
                http_ok(f"{url}/"),
                240,
                logs / f"{name}.log",
                rasa_env,
                host,
                port,
            )
        )
    for i, url in enumerate(actions_urls):
        name = f"actions-{i + 1}" if several_actions else "actions"
        port = settings.actions_port + i
        argv = [sys.executable, "-m", "actions.server", "--port", str(port)]
        argv += ["--logging-config-file", str(root / "logging.yml")]  # the same log filter
        env_a = dict(env, SANIC_HOST=host, PYTHONPATH=os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")])))
        children.append(
            Child(
                name,
                argv,
                http_ok(f"{url}/health"),
                http_ok(f"{url}/health"),
                30,
                logs / f"{name}.log",
                env_a,
                host,
                port,
            )
        )
    gateway = f"http://{local}:{settings.gateway_port}"
    argv = [str(Path(sys.executable).parent / "uvicorn"), "--factory", "bot.asgi:app_factory"]
    argv += ["--host", host, "--port", str(settings.gateway_port), "--no-access-log"]
    if settings.gateway_workers > 1:
        argv += ["--workers", str(settings.gateway_workers)]
    children.append(
        Child(
            "gateway",
            argv,
            http_ok(f"{gateway}/livez"),
            http_ok(f"{gateway}/livez"),
            30,
            logs / "gateway.log",
            env,
            host,
            settings.gateway_port,
        )
    )
    return children


class Stack:
    """Starts children, restarts any that exits or stops answering, and stops everything on a signal."""

    def __init__(self, children: list[Child]):
        self.children = children
        self.stopping = False
        self._pool = ThreadPoolExecutor(max_workers=max(2, len(children)), thread_name_prefix="health")

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def stop_all(self) -> None:
        """Stop in reverse order so nothing is left running."""
        for child in reversed(self.children):
            child.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self, on_ready: Callable[[], None]) -> int:
        """Start, supervise until a signal or a failed first start; return the exit status."""
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
            if not self._first_start(client, started):
                return 0 if self.stopping else 1
            on_ready()
            while not self.stopping:
                time.sleep(CHECK_INTERVAL_S)
                self._supervise(client)
        return 0

    def _first_start(self, client: httpx.Client, started: float) -> bool:
        """Wait until every child is ready; a child that cannot start is a configuration error."""
        for child in self.children:
            deadline = child.started_at + child.ready_timeout_s
            while not self.stopping:
                if child.alive() and child.ready(client):
                    child.up = True
                    say(f"{child.name} is ready after {time.monotonic() - started:.1f} s")
                    break
                if not child.alive() or time.monotonic() > deadline:
                    say(f"ERROR: {child.name} did not become ready. Last log lines:\n{child.tail()}")
                    return False
                time.sleep(0.5)
        return not self.stopping

    def _supervise(self, client: httpx.Client) -> None:
        """One round: check every child at once, restart those that are gone or stopped answering."""
        started = time.monotonic()
        self._round(client)
        took = time.monotonic() - started
        if took > 10:
            say(f"WARNING: one supervision round took {took:.0f} s")

    def _round(self, client: httpx.Client) -> None:
        checks = {
            child: self._pool.submit(child.ready if not child.up else child.alive_check, client)
            for child in self.children
            if child.alive()
        }
        now = time.monotonic()
        for child in self.children:
            if self.stopping:
                return
            if not child.alive():
                code = child.proc.returncode if child.proc else None
                self._restart(child, f"exited (code {code})")
                continue
            if child not in checks:
                continue
            ok = checks[child].result()  # each check has its own time limit (2-3 s)
            if not child.up:
                if ok:
                    child.up = True
                    say(f"{child.name} is ready again after {now - child.started_at:.1f} s")
                elif now - child.started_at > child.ready_timeout_s:
                    self._restart(child, f"did not become ready in {child.ready_timeout_s:.0f} s")
                continue
            child.failed_checks = 0 if ok else child.failed_checks + 1
            if child.failed_checks >= FAILED_CHECKS_BEFORE_RESTART:
                self._restart(child, f"stopped answering ({child.failed_checks} health checks failed)")

    def _restart(self, child: Child, why: str) -> None:
        now = time.monotonic()
        child.restarts = [t for t in child.restarts if now - t < BACKOFF_WINDOW_S] + [now]
        n = len(child.restarts)
        wait = 0 if n <= BACKOFF_FREE else min(BACKOFF_MAX_S, 2 ** (n - BACKOFF_FREE))
        say(f"WARNING: {child.name} {why}; restarting (restart {n} in {BACKOFF_WINDOW_S // 60} min)")
        if n > BACKOFF_FREE:
            say(f"{child.name} keeps failing; waiting {wait} s first. Last log lines:\n{child.tail()}")
        child.kill()  # the whole group, then wait for the port: nothing left behind holds it
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(0.2)
        if not self.stopping:
            child.start()


def run_stack(settings: Settings, root: Path | None = None) -> int:
    """Entry point of `tanyakerja run` (after the database is prepared)."""
    root = root or Path.cwd()
    if not (root / "domain.yml").exists():
        say("ERROR: run this from the repository root (where domain.yml is), e.g. `make run`.")
        return 2
    problems = settings.channel_problems() + settings.scale_problems()
    for problem in problems:
        say(f"ERROR: {problem}")
    if problems:
        return 2
    if not any((root / "models").glob("*.tar.gz")):
        say("ERROR: no trained model in models/. Run `make train` (or simply `make run`).")
        return 2
    for line in settings.channel_modes():
        say(line)
    say(
        f"servers: {settings.rasa_instances} Rasa, {settings.actions_instances} action, "
        f"{settings.gateway_workers} gateway worker(s); tracker store: "
        f"{'PostgreSQL' if '://' in settings.rasa_tracker_db else 'SQLite'}; lock store: "
        f"{'Redis' if settings.redis_url else 'in memory'}"
    )
    rasa_token = os.environ.get("RASA_TOKEN") or secrets.token_urlsafe(24)
    actions_token = os.environ.get("ACTIONS_TOKEN") or secrets.token_urlsafe(24)
    stack = Stack(build_children(root, settings, rasa_token, actions_token))

    def ready() -> None:
        say(f"TanyaKerja siap. Web chat: http://127.0.0.1:{settings.gateway_port}/  (Ctrl-C untuk berhenti)")

    return stack.run(ready)
