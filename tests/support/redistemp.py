"""A throw-away Redis server (Debian's redis-server package) on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.stackctl import free_port


@dataclass
class RedisServer:
    """A running redis-server that can be stopped and started again on the same port.

    With `host` (and `netns`) it runs in its own network namespace behind a veth pair: a second "host"
    that is reached by address, proving nothing in the stack assumes 127.0.0.1 for it."""

    port: int
    root: Path
    proc: subprocess.Popen | None = None
    host: str = "127.0.0.1"
    netns: str | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("Redis is not installed (Debian: apt-get install redis-server)")
        argv = [binary, "--port", str(self.port), "--bind", self.host, "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(self.root), "--logfile", str(self.root / "redis.log"), "--protected-mode", "no"]
        if self.netns:
            argv = ["ip", "netns", "exec", self.netns, *argv]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {(self.root / 'redis.log').read_text()[-1000:]}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _ip(*args: str) -> bool:
    return subprocess.run(["ip", *args], capture_output=True).returncode == 0


@contextmanager
def second_host() -> Iterator[tuple[str, str] | None]:
    """A network namespace joined to this one by a veth pair: (namespace, its address), or None when the
    tools or the permission (CAP_NET_ADMIN) are missing."""
    if shutil.which("ip") is None:
        yield None
        return
    tag = uuid.uuid4().hex[:6]
    ns, here, there = f"tk-{tag}", f"tk{tag}a", f"tk{tag}b"
    subnet = 16 + int(tag[:2], 16) % 200
    ok = _ip("netns", "add", ns)
    try:
        ok = (
            ok
            and _ip("link", "add", here, "type", "veth", "peer", "name", there)
            and _ip("link", "set", there, "netns", ns)
            and _ip("addr", "add", f"10.213.{subnet}.1/30", "dev", here)
            and _ip("link", "set", here, "up")
            and _ip("netns", "exec", ns, "ip", "addr", "add", f"10.213.{subnet}.2/30", "dev", there)
            and _ip("netns", "exec", ns, "ip", "link", "set", there, "up")
            and _ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
        )
        yield (ns, f"10.213.{subnet}.2") if ok else None
    finally:
        _ip("link", "del", here)
        _ip("netns", "del", ns)


@contextmanager
def temporary_redis(host: tuple[str, str] | None = None) -> Iterator[RedisServer]:
    """Start a private Redis on a free port (in the namespace `host` when given); yield it; stop and clean up."""
    server = RedisServer(free_port(), Path(tempfile.mkdtemp(prefix="tk-redis-")))
    if host is not None:
        server.netns, server.host = host
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def have_redis() -> bool:
    return shutil.which("redis-server") is not None
