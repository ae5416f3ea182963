"""Capacity side by side: the embedded default, PostgreSQL + Redis with one Rasa server, and two Rasa
servers; the load runs of issue 15; turn latency against conversation length; a py-spy profile."""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import psutil

from bench.load import TURNS, run_load
from bench.stats import percentile
from tests.e2e.conftest import REGISTRY, _cli
from tests.support.pgtemp import find_pg_bin, temporary_postgres_server
from tests.support.redistemp import have_redis, temporary_redis
from tests.support.stackctl import RunningStack, running_stack

LEVELS = [(1, 40), (20, 10), (50, 8), (100, 6)]  # (concurrent users, messages each)
FAST = {"RATE_LIMIT_PER_MINUTE": "100000"}


@contextmanager
def _stack(kind: str, extra_env: dict[str, str] | None = None) -> Iterator[RunningStack]:
    """'embedded' (SQLite), 'pg-1' (PostgreSQL + Redis, one Rasa) or 'pg-2' (two Rasa, two action servers)."""
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "registry.csv").write_text(REGISTRY, encoding="utf-8")
        env = dict(FAST, **(extra_env or {}))
        if kind == "embedded":
            db = f"sqlite:///{work / 'app.db'}"
        else:
            postgres = stack.enter_context(temporary_postgres_server())
            redis = stack.enter_context(temporary_redis())
            db = postgres.url()
            env.update(
                DATABASE_URL=db,
                RASA_TRACKER_DB=postgres.create_database("rasa").replace("+psycopg", ""),
                REDIS_URL=redis.url,
            )
            if kind == "pg-2":
                env.update(RASA_INSTANCES="2", ACTIONS_INSTANCES="2")
        _cli(["db", "init"], db)
        _cli(["import", "agencies", str(work / "registry.csv"), "--as-of", "2026-11-01"], db)
        yield stack.enter_context(running_stack(work, extra_env=env, timeout_s=400))


def _capacity(base: str, label: str) -> dict[int, float]:
    run_load(base, 5, 4, f"warm-{label}")
    rates = {}
    for users, per_user in LEVELS:
        result = run_load(base, users, per_user, f"{label}-{users}")
        rates[users] = result.rate
        print(f"  {users:3d} users: {result.summary()}")
    return rates


def _conversation_length(base: str) -> None:
    """One user, 200 turns: latency of turns 1-10, 41-60 and 181-200 (the tracker grows every turn)."""
    latencies = []
    with httpx.Client() as client:
        for i in range(200):
            started = time.perf_counter()
            client.post(f"{base}/api/chat", json={"user_id": "long-talk", "text": TURNS[i % 5][0]}, timeout=60)
            latencies.append((time.perf_counter() - started) * 1000)
    for lo, hi in ((0, 10), (40, 60), (180, 200)):
        part = latencies[lo:hi]
        print(f"  turns {lo + 1:3d}-{hi:3d}: p50 {percentile(part, 50):6.0f} ms  p95 {percentile(part, 95):6.0f} ms")


def _profile(stack: RunningStack, seconds: int = 15) -> None:
    """py-spy on gateway, Rasa and the action server during a 20-user run: where the CPU goes."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    procs = {
        name: p
        for p in psutil.Process(stack.proc.pid).children()
        for name in ("rasa", "actions", "gateway")
        if {"rasa": "nlu.serve run", "actions": "actions.server", "gateway": "uvicorn"}[name] in " ".join(p.cmdline())
    }
    with tempfile.TemporaryDirectory() as tmp:
        spies = {
            name: subprocess.Popen(
                [spy, "record", "--pid", str(p.pid), "--duration", str(seconds), "--format", "raw", "--rate", "50"]
                + ["--output", f"{tmp}/{name}.txt", "--nonblocking"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, p in procs.items()
        }
        result = run_load(stack.base_url, 20, 12, "profile")
        for spy_proc in spies.values():
            spy_proc.wait(timeout=seconds + 30)
        print(f"  load while profiling: {result.summary()}")
        for name in spies:
            _print_profile(name, Path(tmp) / f"{name}.txt")


def _print_profile(name: str, path: Path) -> None:
    if not path.exists():
        print(f"  {name}: no profile (py-spy needs ptrace permission)")
        return
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        total += int(count)
        # the innermost frame of our own code or of a library we call, without the interpreter's idle wait
        own[frames[-1].split(" (")[0][:70]] += int(count)
    print(f"  {name}: {total} samples; busiest frames (self time):")
    for frame, n in own.most_common(6):
        print(f"    {100 * n / max(total, 1):5.1f}%  {frame}")


def main() -> None:
    if find_pg_bin() is None or not have_redis():
        print("PostgreSQL or Redis missing: only the embedded default is measured")
    kinds = ["embedded"] + (["pg-1", "pg-2"] if find_pg_bin() and have_redis() else [])
    rates: dict[str, dict[int, float]] = {}
    for kind in kinds:
        print(f"-- {kind} --")
        with _stack(kind) as stack:
            rates[kind] = _capacity(stack.base_url, kind)
            if kind == "embedded":
                print("  issue 15 load runs:")
                print(f"   50 users x 8: {run_load(stack.base_url, 50, 8, 'i15-50').summary()}")
                print(f"  100 users x 4: {run_load(stack.base_url, 100, 4, 'i15-100').summary()}")
                print("  turn latency against conversation length (one user, 200 turns; compaction on):")
                _conversation_length(stack.base_url)
            if kind == kinds[-1]:
                print(f"  profile ({kind}):")
                _profile(stack)
    print("-- embedded, tracker compaction off (TRACKER_COMPACT_EVENTS=0): the same 200 turns --")
    with _stack("embedded", {"TRACKER_COMPACT_EVENTS": "0"}) as stack:
        _conversation_length(stack.base_url)
    if len(rates) > 1:
        print("-- throughput ratio (msg/s at each level, against the embedded default) --")
        for users, _ in LEVELS:
            line = "  ".join(f"{k} {rates[k][users] / rates['embedded'][users]:4.2f}x" for k in rates)
            print(f"  {users:3d} users: {line}")


if __name__ == "__main__":
    main()
