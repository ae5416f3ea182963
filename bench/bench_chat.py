"""Chat turn latency and throughput through POST /api/chat with concurrent users on the real stack."""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from bench.stats import describe_ms
from tests.support.stackctl import running_stack

USERS = 20
TURNS_PER_USER = 15
# People type on phones: a few seconds between their messages. Closed-loop users (no pause) measure the
# stack's capacity instead.
THINK_TURNS = 8
THINK_TIME_S = (1.5, 4.0)
MESSAGES = [
    "halo min",
    "cek PT Contoh Sinar Jaya Abadi resmi gak",
    "pt contoh sinar jaya abadl resmi gk ya kak",
    "cek pt zebra antah berantah",
    "makasih kak",
]


async def _user(
    client: httpx.AsyncClient,
    base: str,
    uid: str,
    latencies: list[float],
    *,
    turns: int,
    think: random.Random | None = None,
) -> None:
    for i in range(turns):
        if think is not None:
            await asyncio.sleep(think.uniform(*THINK_TIME_S))
        text = MESSAGES[i % len(MESSAGES)]
        t0 = time.perf_counter()
        r = await client.post(f"{base}/api/chat", json={"user_id": uid, "text": text}, timeout=120)
        latencies.append(time.perf_counter() - t0)
        r.raise_for_status()


async def _load(base: str, *, paced: bool) -> tuple[list[float], float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=USERS + 5)
    tag = "paced" if paced else "busy"
    async with httpx.AsyncClient(limits=limits) as client:
        await _user(client, base, f"warmup-{tag}", [], turns=len(MESSAGES))  # first turns load caches
        t0 = time.perf_counter()
        await asyncio.gather(
            *(
                _user(
                    client,
                    base,
                    f"bench-{tag}-{n}",
                    latencies,
                    turns=THINK_TURNS if paced else TURNS_PER_USER,
                    think=random.Random(n) if paced else None,
                )
                for n in range(USERS)
            )
        )
        elapsed = time.perf_counter() - t0
    return latencies, elapsed


def _sequential(base: str, n: int = 60) -> list[float]:
    latencies = []
    with httpx.Client() as client:
        for i in range(n):
            t0 = time.perf_counter()
            client.post(f"{base}/api/chat", json={"user_id": "solo", "text": MESSAGES[i % len(MESSAGES)]}, timeout=60)
            latencies.append(time.perf_counter() - t0)
    return latencies


def _memory(supervisor_pid: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for child in psutil.Process(supervisor_pid).children():
        cmd = " ".join(child.cmdline())
        name = (
            "rasa" if "nlu.serve run" in cmd or "/rasa " in cmd else "actions" if "actions.server" in cmd else "gateway"
        )
        rss = child.memory_info().rss + sum(c.memory_info().rss for c in child.children(recursive=True))
        out[name] = rss / 2**20
    return out


def main() -> None:
    """Start the stack on the demo registry, measure, print."""
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp)) as stack:
        ready = Path(stack.output_path).read_text()
        load = re.search(r"rasa is ready after ([\d.]+) s", ready)
        print(f"model load (rasa start -> model ready):  {load.group(1) if load else '?'} s")
        print(f"/api/chat single user, sequential:        {describe_ms(_sequential(stack.base_url))}")
        latencies, elapsed = asyncio.run(_load(stack.base_url, paced=True))
        print(
            f"/api/chat {USERS} concurrent users, {THINK_TIME_S[0]}-{THINK_TIME_S[1]} s between messages: "
            f"{describe_ms(latencies)}   {len(latencies) / elapsed:6.1f} messages/s"
        )
        latencies, elapsed = asyncio.run(_load(stack.base_url, paced=False))
        print(
            f"/api/chat {USERS} concurrent users, no pause (capacity): "
            f"{describe_ms(latencies)}   {len(latencies) / elapsed:6.1f} messages/s"
        )
        for name, mib in _memory(stack.proc.pid).items():
            print(f"resident memory {name:8s}                 {mib:8.0f} MiB")


if __name__ == "__main__":
    main()
