"""The doors of the security review (issue 21), timed: the JSON nesting pre-check on hostile bodies (against
the old regex, on a smaller body: it is quadratic), masking a long digit-heavy line, and opening a
conversation of 2,000 such lines (dashboard page and staff API) through the real app."""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from bench.stats import describe_ms
from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge import safe_json, transcripts
from knowledge.db import make_engine, session_scope
from knowledge.escalations.store import create_escalation
from knowledge.language.privacy import mask_pii
from knowledge.migrations import upgrade_to_head
from knowledge.settings import Settings

# The pre-check the review found (quadratic on an unterminated string of escaped quotes): the "before" figure.
OLD_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
HOSTILE = {
    'unterminated "\\"\\"..."': b'"' + b'\\"' * 32 * 1024,
    "backslash run": b'{"a": "' + b"\\" * 64 * 1024,
    "deep brackets": b"[" * 64 * 1024,
    "many small strings": b"[" + b'"a",' * 16 * 1024 + b"1]",
}
LINES, LINE_CHARS = 2000, 4000
AUTH = ("ani", "sandi-ani-12345")


def _digit_heavy(seed: int, size: int = LINE_CHARS) -> str:
    rng, parts = random.Random(seed), []
    while sum(map(len, parts)) < size:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([1, 2, 3, 4, 6, 8, 10, 12, 16])))
        parts.append(digits + rng.choice([" ", "-", ".", "/", " - ", "+", "(", ") ", ""]))
    return "".join(parts)[:size]


def _times(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def json_precheck() -> None:
    """The nesting pre-check on each hostile 64 KB body; the old regex on 16 KB of the worst one."""
    for label, body in HOSTILE.items():
        took = _times(lambda body=body: safe_json.nesting_depth(body), 20)
        print(f"pre-check, {label:<28} {len(body) // 1024:3d} KB  {describe_ms(took)}")
    small = HOSTILE['unterminated "\\"\\"..."'][: 16 * 1024]
    print(f"old regex, same body cut to 16 KB       {describe_ms(_times(lambda: OLD_STRING.sub(b'', small), 1))}")


def masking() -> None:
    """mask_pii on one 20,000-character digit-heavy line."""
    line = _digit_heavy(1, 20_000)
    print(f"mask one 20,000-char digit-heavy line   {describe_ms(_times(lambda: mask_pii(line), 20))}")


def long_conversation() -> None:
    """A conversation of 2,000 lines of 4,000 digit-heavy characters, opened as staff open it."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'desk.db'}")
        upgrade_to_head(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        texts = [_digit_heavy(i) for i in range(50)]
        started = time.perf_counter()
        with session_scope(factory) as s:
            add_staff(s, *AUTH)
            esc = create_escalation(s, channel="whatsapp", user_id="6281298765432", reason="emergency", details={})
            for i in range(LINES):
                transcripts.record_message(
                    s, channel="whatsapp", user_id="6281298765432", direction="in", text=texts[i % 50]
                )
        print(f"store 2,000 lines of 4,000 chars (masked copy made once)  {time.perf_counter() - started:.1f} s")
        app = create_app(Settings(), factory=factory, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        with TestClient(app, follow_redirects=False) as client:
            page = client.get("/helpdesk/")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/helpdesk/login", data={"username": AUTH[0], "password": AUTH[1], "csrf": csrf})
            page_times = _times(lambda: client.get(f"/helpdesk/escalations/{esc}"), 5)
            api_times = _times(lambda: client.get(f"/api/escalations/{esc}", auth=AUTH), 5)
        print(f"open the conversation page (2,000 lines) {describe_ms(page_times)}")
        print(f"GET /api/escalations/{{id}} (2,000 lines) {describe_ms(api_times)}")
        engine.dispose()


def main() -> None:
    """Print the timings."""
    json_precheck()
    masking()
    long_conversation()


if __name__ == "__main__":
    main()
