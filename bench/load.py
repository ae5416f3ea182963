"""Closed-loop load through POST /api/chat: N users, each sending its messages one after another.

Every message has an answer that can be told apart from the others' (an agency's licence status), so
the run also proves each user got their own answers, in order. Used by `make bench` and the scale tier.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bench.stats import percentile

# (message, the status word its answer must carry), for the fictional "Uji" registry the tests import.
TURNS = [
    ("pt uji andalan samudra nusantara resmi gk", "AKTIF"),
    ("cek PT Uji Bara Kencana Mulia", "DIBEKUKAN"),
    ("apakah pt uji cipta lintas benua terdaftar?", "DICABUT"),
    ("PT Uji Elang Mas Perkasa gimana", "KEDALUWARSA"),
    ("cek PT Uji Delta Prima Sejati", "KEDALUWARSA"),
]
POLITE = "sedang gangguan"


@dataclass(frozen=True)
class Turn:
    user: str
    index: int
    status: int  # 0 = no HTTP answer at all
    expected: str
    text: str
    replies: int
    seconds: float

    @property
    def right(self) -> bool:
        return self.status == 200 and self.expected in self.text

    @property
    def polite(self) -> bool:
        return self.status == 200 and POLITE in self.text


@dataclass
class LoadResult:
    turns: list[Turn] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.turns) / self.elapsed_s if self.elapsed_s else 0.0

    def errors(self) -> list[Turn]:
        """Requests without a 200 answer (5xx, refused, timed out)."""
        return [t for t in self.turns if t.status != 200]

    def misplaced(self) -> list[Turn]:
        """Answers that belong to another message (neither right nor the polite failure)."""
        return [t for t in self.turns if t.status == 200 and not t.right and not t.polite]

    def in_order(self) -> bool:
        """Each user's answers came back in the order of their messages."""
        by_user: dict[str, list[int]] = {}
        for t in self.turns:
            by_user.setdefault(t.user, []).append(t.index)
        return all(indexes == sorted(indexes) == list(range(len(indexes))) for indexes in by_user.values())

    def summary(self) -> str:
        ms = sorted(t.seconds * 1000 for t in self.turns)
        return (
            f"{len(self.turns):5d} msgs {self.rate:6.1f} msg/s  p50 {percentile(ms, 50):6.0f} ms  "
            f"p95 {percentile(ms, 95):6.0f} ms  max {ms[-1] if ms else 0:6.0f} ms  errors {len(self.errors())}  "
            f"polite {sum(t.polite for t in self.turns)}  wrong {len(self.misplaced())}  "
            f"own answers in order: {'yes' if self.in_order() and not self.misplaced() else 'NO'}"
        )


async def _user(client: httpx.AsyncClient, base: str, user: str, n: int, offset: int, out: list[Turn]) -> None:
    for i in range(n):
        text, expected = TURNS[(i + offset) % len(TURNS)]
        started = time.perf_counter()
        try:
            r = await client.post(f"{base}/api/chat", json={"user_id": user, "text": text}, timeout=60)
            status = r.status_code
            replies = r.json().get("replies", []) if status == 200 else []
        except (httpx.HTTPError, ValueError):
            status, replies = 0, []
        joined = "\n".join(m.get("text") or "" for m in replies)
        out.append(Turn(user, i, status, expected, joined, len(replies), time.perf_counter() - started))


def run_load(base: str, users: int, per_user: int, prefix: str, during: Callable[[], None] | None = None) -> LoadResult:
    """users x per_user messages, all users at once; `during` runs (in a thread) 3 s into the run."""
    result = LoadResult()

    async def main() -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=users + 10)) as client:
            started = time.perf_counter()
            jobs = [
                asyncio.create_task(_user(client, base, f"{prefix}-{u}", per_user, u, result.turns))
                for u in range(users)
            ]
            if during is not None:
                await asyncio.sleep(3)
                await asyncio.to_thread(during)
            await asyncio.gather(*jobs)
            result.elapsed_s = time.perf_counter() - started

    asyncio.run(main())
    return result
