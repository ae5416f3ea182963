"""Help-desk pages and API under a busy desk: 300 active escalations (of 2,300), 60,000 transcript lines,
one conversation of 600 lines; times what a staff member's browser asks for, through the real app."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import sessionmaker

from bench.stats import describe_ms
from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import make_engine, session_scope
from knowledge.escalations import links
from knowledge.migrations import upgrade_to_head
from knowledge.models import PRIORITY_RANK, Escalation, Message, Priority, utcnow
from knowledge.settings import Settings

ACTIVE, RESOLVED, LINES_EACH, LONG = 300, 2000, 26, 600
REASONS = [("emergency", Priority.URGENT), ("fraud_report", Priority.HIGH), ("request_human", Priority.NORMAL)]
ROUNDS = 40


def _fill(factory: sessionmaker) -> int:
    """The desk's data; returns the id of the escalation with the long conversation."""
    rng = random.Random(7)
    now = utcnow()
    with session_scope(factory) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        escalations, messages = [], []
        for n in range(ACTIVE + RESOLVED):
            reason, priority = rng.choice(REASONS)
            created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
            escalations.append(
                {
                    "user_id": f"u{n}", "channel": rng.choice(["web", "telegram", "whatsapp"]), "reason": reason,
                    "priority": priority.value, "priority_rank": PRIORITY_RANK[priority],
                    "status": "open" if n < ACTIVE else "resolved", "created_at": created, "updated_at": created,
                    "details": {"fraud_who": f"PT Uji {rng.choice(['Sinar', 'Maju', 'Jaya'])} {n % 40}",
                                "message": f"ditipu, transfer ke 08{rng.randint(10**9, 10**10 - 1)}"},
                }
            )  # fmt: skip
        s.execute(insert(Escalation), escalations)
        for e in escalations:
            for k in range(LONG if e["user_id"] == "u0" else LINES_EACH):
                messages.append(
                    {"user_id": e["user_id"], "channel": e["channel"], "direction": "in" if k % 2 == 0 else "out",
                     "text": f"pesan {k}: tolong saya, nomor saya 0812-3456-{k:04d}", "status": "ok",
                     "created_at": e["created_at"] + timedelta(seconds=k), "sender": "user" if k % 2 == 0 else "bot"}
                )  # fmt: skip
        s.execute(insert(Message), messages)
    with session_scope(factory) as s:
        links.index_stale(s, limit=ACTIVE + RESOLVED)
    return 1


def _time(client: TestClient, label: str, fn: Callable[[], httpx.Response]) -> None:
    fn()  # warm-up (templates compiled, caches filled)
    durations = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        r = fn()
        durations.append(time.perf_counter() - started)
        assert r.status_code == 200, (label, r.status_code)
    print(f"{label:<44} {describe_ms(durations)}   {len(r.content) / 1024:6.1f} KB")


def main() -> None:
    """Print the timings."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'desk.db'}")
        upgrade_to_head(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        started = time.perf_counter()
        long_one = _fill(factory)
        print(f"data: {ACTIVE + RESOLVED:,} escalations, ~{(ACTIVE + RESOLVED) * LINES_EACH:,} lines "
              f"({time.perf_counter() - started:.1f} s to generate)")  # fmt: skip
        app = create_app(Settings(), factory=factory, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        auth = ("ani", "sandi-ani-12345")
        with TestClient(app, follow_redirects=False) as client:
            page = client.get("/helpdesk/")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/helpdesk/login", data={"username": auth[0], "password": auth[1], "csrf": csrf})
            _time(client, "dashboard: queue page (300 active)", lambda: client.get("/helpdesk/"))
            _time(
                client,
                "dashboard: queue poll, something changed",
                lambda: client.get("/helpdesk/queue/rows?view=active"),
            )
            version = client.get("/helpdesk/queue/rows?view=active").json()["v"]
            _time(
                client,
                "dashboard: queue poll, nothing changed",
                lambda: client.get(f"/helpdesk/queue/rows?view=active&v={version}"),
            )
            _time(
                client,
                "dashboard: conversation page (600 lines)",
                lambda: client.get(f"/helpdesk/escalations/{long_one}"),
            )
            _time(
                client,
                "dashboard: new-lines poll (every 3 s)",
                lambda: client.get(f"/helpdesk/escalations/{long_one}/lines?after=999999999"),
            )
            _time(
                client,
                "API: GET /api/escalations?status=open",
                lambda: client.get("/api/escalations?status=open", auth=auth),
            )
            _time(
                client,
                "API: GET /api/escalations/{id} (600 lines)",
                lambda: client.get(f"/api/escalations/{long_one}", auth=auth),
            )
        engine.dispose()


if __name__ == "__main__":
    main()
