"""The reliability tier: one real stack that the tests break in turn (kills, hangs, a locked or missing
database) and that must answer right again afterwards, with nothing lost from the transcript."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from tests.e2e.conftest import REGISTRY, _cli
from tests.support.stackctl import RunningStack, running_stack

CHECK = "cek PT Uji Bara Kencana Mulia"
RIGHT = "DIBEKUKAN"
POLITE = "sedang gangguan"
# Personal numbers sent during the fault runs: no log file may contain them afterwards.
PHONE, NIK = "081298765432", "3201123456780009"


@dataclass
class Faults:
    """The running stack plus helpers to find its processes and to chat with it."""

    stack: RunningStack
    client: httpx.Client
    log_dir: Path
    sent: list[tuple[str, str]] = field(default_factory=list)

    def say(self, user: str, text: str, timeout: float = 60) -> tuple[int, str]:
        """One turn; (status code, all reply texts joined). A gateway that is down gives (0, '')."""
        self.sent.append((user, text))
        try:
            r = self.client.post(
                f"{self.stack.base_url}/api/chat", json={"user_id": user, "text": text}, timeout=timeout
            )
        except httpx.HTTPError:
            return 0, ""
        if r.status_code != 200:
            return r.status_code, ""
        return 200, "\n".join(m.get("text") or "" for m in r.json()["replies"])

    def settled(self, name: str, limit_s: float = 90) -> None:
        """Wait until the supervisor has seen its child `name` ready after its last (re)start: breaking a
        child that is still starting tests the start-up timeout, not the fault."""
        deadline = time.monotonic() + limit_s
        while True:
            lines = self.stack.output_path.read_text(errors="replace").splitlines()
            starts = sum(1 for line in lines if line.startswith(f"[tanyakerja] starting {name} "))
            restarts = sum(1 for line in lines if line.startswith(f"[tanyakerja] WARNING: {name} "))
            readies = sum(1 for line in lines if line.startswith(f"[tanyakerja] {name} is ready"))
            if readies >= starts + restarts:
                return
            assert time.monotonic() < deadline, f"{name} not ready again: {lines[-5:]}"
            time.sleep(0.5)

    def child(self, marker: str) -> psutil.Process:
        """The supervisor's child whose command line contains marker, once the supervisor has it running."""
        name = {"actions.server": "actions", "nlu.serve run": "rasa", "uvicorn": "gateway"}[marker]
        self.settled(name)
        deadline = time.monotonic() + 60
        while True:
            for proc in psutil.Process(self.stack.proc.pid).children():
                try:
                    if marker in " ".join(proc.cmdline()):
                        return proc
                except psutil.NoSuchProcess:
                    continue
            assert time.monotonic() < deadline, f"no child process matching {marker!r}"
            time.sleep(0.5)

    def recovery_s(self, user: str, limit_s: float = 30) -> float:
        """Seconds until the agency check is answered right again (fails the test beyond limit_s)."""
        started = time.monotonic()
        while True:
            code, text = self.say(user, CHECK, timeout=limit_s)
            if code == 200 and RIGHT in text:
                return time.monotonic() - started
            assert time.monotonic() - started < limit_s, f"not recovered in {limit_s} s; last answer {code}: {text}"
            time.sleep(1)

    def healthz(self) -> tuple[int, dict]:
        try:
            r = self.client.get(f"{self.stack.base_url}/healthz", timeout=10)
            return r.status_code, r.json()
        except httpx.HTTPError:
            return 0, {}

    def inbound(self, user: str) -> list[tuple[str, str]]:
        """(text, status) of every message this user sent, as the transcript holds them."""
        engine = create_engine(self.stack.database_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    sql("SELECT text, status FROM messages WHERE user_id = :u AND direction = 'in' ORDER BY id"),
                    {"u": user},
                ).all()
        finally:
            engine.dispose()
        return [(r[0], r[1]) for r in rows]

    def supervisor_says(self, words: str) -> bool:
        return words in self.stack.output_path.read_text(errors="replace")


def kill(proc: psutil.Process, sig: int, group: bool = False) -> None:
    """Send sig to the process (or its whole process group)."""
    if group:
        os.killpg(os.getpgid(proc.pid), sig)
    else:
        proc.send_signal(sig)


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    work = tmp_path_factory.mktemp("faults")
    (work / "registry.csv").write_text(REGISTRY, encoding="utf-8")
    db_url = f"sqlite:///{work / 'app.db'}"
    _cli(["db", "init"], db_url)
    _cli(["import", "agencies", str(work / "registry.csv"), "--as-of", "2026-11-01"], db_url)
    # the recovery loops ask once a second: more than the per-user rate limit allows a person
    with running_stack(work, extra_env={"RATE_LIMIT_PER_MINUTE": "1000"}) as stack, httpx.Client() as client:
        yield Faults(stack, client, work / "log")


__all__ = ["CHECK", "NIK", "PHONE", "POLITE", "RIGHT", "Faults", "kill", "signal"]
