"""One supervised process: its own process group, dies with the supervisor, judged by its health endpoint."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STOP_GRACE_S = 10
PORT_FREE_TIMEOUT_S = 15
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the kernel sends SIGKILL to this child when the supervisor dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


def local_address(host: str) -> str:
    """Where to reach a server bound to host from this machine (a wildcard bind answers on loopback)."""
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - compared, not bound


def port_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (a connection attempt is refused)."""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((local_address(host), port)) != 0


@dataclass(eq=False)  # identity: children are dict keys
class Child:
    """A process to supervise: how to start it, how to tell it is ready and that it still answers."""

    name: str
    argv: list[str]
    ready: Callable[[httpx.Client], bool]  # fully usable (Rasa: model loaded)
    alive_check: Callable[[httpx.Client], bool]  # answers at all, within a second or two
    ready_timeout_s: float
    log_path: Path
    env: dict[str, str]
    host: str
    port: int
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    up: bool = False  # became ready since its last start
    failed_checks: int = 0
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        """Spawn in its own process group (so the whole group can be cleaned up), output to its log."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.started_at = time.monotonic()
        self.up = False
        self.failed_checks = 0

    def alive(self) -> bool:
        """True while the main process runs."""
        return self.proc is not None and self.proc.poll() is None

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)  # the group outlives its leader: workers left behind are in it

    def stop(self) -> None:
        """SIGTERM the whole group (SIGCONT first, in case it was stopped), SIGKILL after a grace period."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGCONT)
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=STOP_GRACE_S)
        self.kill()

    def kill(self) -> None:
        """SIGKILL everything in the group and wait until the port is free again."""
        self._signal_group(signal.SIGKILL)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        deadline = time.monotonic() + PORT_FREE_TIMEOUT_S
        while not port_free(self.host, self.port) and time.monotonic() < deadline:
            time.sleep(0.2)

    def tail(self, lines: int = 15) -> str:
        """Last lines of the log, for crash reports."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def http_ok(url: str, timeout_s: float = 2.0, params: dict[str, str] | None = None) -> Callable[[httpx.Client], bool]:
    """A check that passes when GET url answers 200 within timeout_s."""

    def check(client: httpx.Client) -> bool:
        try:
            return client.get(url, params=params, timeout=timeout_s).status_code == 200
        except httpx.HTTPError:
            return False

    return check


def rasa_model_loaded(base: str, token: str) -> Callable[[httpx.Client], bool]:
    """Rasa's /status answers and names a loaded model."""

    def check(client: httpx.Client) -> bool:
        try:
            r = client.get(f"{base}/status", params={"token": token}, timeout=3)
            return r.status_code == 200 and bool(r.json().get("model_id"))
        except (httpx.HTTPError, ValueError):
            return False

    return check
