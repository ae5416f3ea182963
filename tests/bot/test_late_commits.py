"""A transcript line that PostgreSQL commits after a newer one was already polled still reaches the web chat
and the staff page, exactly once (knowledge/cursors.py). Before, `id > cursor` skipped it for good."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge import transcripts
from knowledge.db import make_engine, session_scope
from knowledge.escalations.store import create_escalation
from knowledge.migrations import upgrade_to_head
from tests.helpdesk.conftest import PASSWORDS, SETTINGS, login
from tests.support.fake_rasa import FakeRasa

pytestmark = pytest.mark.pg


@pytest.fixture
def pg(pg_database) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def client(pg, tmp_path) -> Iterator[TestClient]:
    app = create_app(SETTINGS, factory=pg, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def staff_line(session: Session, user: str, text: str) -> int:
    line = transcripts.record_message(session, channel="web", user_id=user, direction="out", text=text, sender="staff")
    assert line is not None
    return line


def late_and_early(pg: sessionmaker[Session], user: str, poll) -> list[str]:
    """T1 writes a line and stays open; T2 writes a newer one and commits; a poll; T1 commits; two polls.
    Returns the texts in the order the polls handed them out."""
    got: list[str] = []
    with pg() as t1:
        with t1.begin():
            late = staff_line(t1, user, "yang terlambat")
            with session_scope(pg) as t2:
                early = staff_line(t2, user, "yang duluan")
            assert late < early  # ids are taken at insert, not at commit
            got += poll()
        got += poll()  # T1 has committed now
    got += poll()
    return got


def test_the_web_chat_gets_a_staff_reply_that_committed_late_once(client, pg):
    cursor = client.get("/api/chat/updates", params={"user_id": "late-web"}).json()["cursor"]

    def poll() -> list[str]:
        nonlocal cursor
        data = client.get("/api/chat/updates", params={"user_id": "late-web", "after": cursor}).json()
        cursor = data["cursor"]
        return [m["text"] for m in data["messages"]]

    assert late_and_early(pg, "late-web", poll) == ["yang duluan", "yang terlambat"]


def test_the_staff_page_gets_a_line_that_committed_late_once(client, pg):
    with session_scope(pg) as s:
        add_staff(s, "ani", PASSWORDS["ani"])
        esc = create_escalation(s, channel="web", user_id="late-desk", reason="emergency", details={})
    assert login(client, "ani").status_code == 303
    url = f"/helpdesk/escalations/{esc}"
    found = re.search(r'data-cursor="([\d.]+)"', client.get(url).text)
    assert found
    cursor = found.group(1)

    def poll() -> list[str]:
        nonlocal cursor
        data = client.get(f"{url}/lines", params={"after": cursor}).json()
        cursor = data["cursor"]
        return re.findall(r"yang \w+", data["html"])

    assert late_and_early(pg, "late-desk", poll) == ["yang duluan", "yang terlambat"]


def test_the_queue_s_version_changes_when_a_late_line_commits(pg, monkeypatch):
    """The queue page asks for a new rendering only when its version changes; a line committed late (below
    the newest id) must change it too, or the queue would show it only a minute later."""
    from datetime import UTC, datetime

    from knowledge.escalations import queue

    monkeypatch.setattr(queue, "utcnow", lambda: datetime(2026, 12, 7, 10, 0, tzinfo=UTC))  # the same minute
    with pg() as t1:
        with t1.begin():
            staff_line(t1, "late-queue", "yang terlambat")
            with session_scope(pg) as t2:
                staff_line(t2, "late-queue", "yang duluan")
            with pg() as reader:
                before = queue.fingerprint(reader)
    with pg() as reader:
        assert queue.fingerprint(reader) != before
