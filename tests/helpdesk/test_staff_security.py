"""Staff authentication against attackers: pages of other sites acting through the JSON API with a browser's
remembered credentials, parallel password guesses, lockouts caused from elsewhere, the admins' unlock, and
log lines forged through a username."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import Counter

import bcrypt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import add_staff
from helpdesk.auth import STATE_CHANGING, Throttled, attempt_login
from knowledge.db import make_engine, session_scope
from knowledge.escalations.store import create_escalation
from knowledge.migrations import upgrade_to_head
from knowledge.models import Escalation, Message
from knowledge.staff import audit, throttle
from tests.helpdesk.conftest import PASSWORDS, csrf_of

JSON = {"Content-Type": "application/json"}


def basic(user: str, password: str | None = None) -> dict[str, str]:
    credentials = base64.b64encode(f"{user}:{password or PASSWORDS[user]}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


ANI = basic("ani")


@pytest.fixture
def esc(staffed_db) -> int:
    with session_scope(staffed_db) as s:
        return create_escalation(s, channel="web", user_id="u1", reason="fraud_report", details={})


def untouched(factory: sessionmaker[Session], esc_id: int) -> bool:
    """Nothing a staff action does happened: still open and nobody's, no staff line, no claim or reply logged."""
    with factory() as s:
        row = s.get(Escalation, esc_id)
        staff_lines = s.scalars(select(Message.id).where(Message.sender == "staff")).all()
        logged = [e.action for e in audit.entries(s, escalation_id=esc_id)]
    assert row is not None
    return (row.status, row.assigned_to, row.spam, staff_lines, logged) == ("open", None, False, [], [])


# --- cross-site requests (CONTRACTS.md: JSON only, no foreign Origin) ---------------------------------------

FORGED = {
    "text/plain": ({"content-type": "text/plain"}, b'{"text": "x", "outcome": "spam"}'),
    "form": ({"content-type": "application/x-www-form-urlencoded"}, b"text=x&outcome=spam"),
    "multipart": ({"content-type": "multipart/form-data; boundary=b"}, b"--b\r\n\r\nx\r\n--b--\r\n"),
    "json-like type": ({"content-type": "text/json"}, b'{"text": "x"}'),
    "no type with a body": ({}, b'{"text": "x", "outcome": "spam"}'),
    "no type, no body": ({}, b""),
}


@pytest.mark.parametrize("kind", FORGED)
def test_a_state_change_must_be_declared_json(browser_for, staffed_db, esc, kind):
    client = browser_for()
    headers, body = FORGED[kind]
    for action in ("claim", "reply", "release", "close", "spam"):
        r = client.post(f"/api/escalations/{esc}/{action}", content=body, headers={**ANI, **headers})
        assert r.status_code == 415 and r.json()["error"] == "unsupported_media_type", (action, r.text)
    assert untouched(staffed_db, esc)


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://testserver.evil.example",
        "http://evil.example:80",
        "http://testserver:8080",
        "https://testserver",  # this gateway answers plain HTTP here: another scheme is another site
        "null",  # a sandboxed frame, a data: page
        "http://user@testserver",
    ],
)
def test_a_page_of_another_site_cannot_act(browser_for, staffed_db, esc, origin):
    client = browser_for()
    for action, body in (("claim", {}), ("reply", {"text": "x"}), ("close", {"outcome": "spam"})):
        r = client.post(f"/api/escalations/{esc}/{action}", json=body, headers={**ANI, "Origin": origin})
        assert r.status_code == 403 and r.json()["error"] == "cross_origin", (origin, r.text)
    assert untouched(staffed_db, esc)


@pytest.mark.parametrize(
    ("origin", "extra"),
    [
        (None, {}),  # curl, scripts
        ("http://testserver", {}),
        ("HTTP://TestServer:80", {}),
        ("https://testserver", {"X-Forwarded-Proto": "https"}),  # behind the TLS proxy of docs/deploy.md
    ],
)
def test_the_gateway_own_pages_and_scripts_may_act(browser_for, esc, origin, extra):
    client = browser_for()
    headers = {**ANI, **extra, **({"Origin": origin} if origin else {})}
    r = client.post(f"/api/escalations/{esc}/claim", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    r = client.post(f"/api/escalations/{esc}/reply", content=b'{"text": "Halo"}', headers={**headers, **JSON})
    assert r.status_code == 200
    typed = {**headers, "Content-Type": "application/json; charset=utf-8"}
    assert client.post(f"/api/escalations/{esc}/release", headers=typed).json()["status"] == "open"


def test_behind_https_a_plain_http_origin_is_another_site(browser_for, staffed_db, esc):
    headers = {**ANI, **JSON, "X-Forwarded-Proto": "https", "Origin": "http://testserver"}
    assert browser_for().post(f"/api/escalations/{esc}/claim", headers=headers).status_code == 403
    assert untouched(staffed_db, esc)


def test_a_forged_request_is_refused_before_its_password_is_checked(browser_for, staffed_db, esc):
    client = browser_for()
    for n in range(10):  # a page elsewhere cannot lock a staff member out either
        r = client.post(f"/api/escalations/{esc}/claim", content=b"x", headers={**basic("ani", f"salah-{n}")})
        assert r.status_code == 415
    with staffed_db() as s:
        assert throttle.troubled(s) == []
    assert client.get("/api/escalations", headers=ANI).status_code == 200


def test_every_state_changing_staff_route_is_guarded(browser_for):
    client = browser_for()
    paths = client.get("/openapi.json").json()["paths"]
    routes = [
        (method.upper(), path.replace("{escalation_id}", "1"))
        for path, operations in paths.items()
        if path.startswith("/api/") and not path.startswith("/api/chat")  # the web chat is the users', not staff's
        for method in operations
        if method.upper() in STATE_CHANGING
    ]
    assert len(routes) >= 5, routes
    form = {**ANI, "content-type": "application/x-www-form-urlencoded"}
    for method, path in routes:
        assert client.request(method, path, content=b"a=b", headers=form).status_code == 415, (method, path)
        r = client.request(method, path, json={}, headers={**ANI, "Origin": "https://evil.example"})
        assert r.status_code == 403, (method, path)


# --- parallel guesses: counted before bcrypt runs ------------------------------------------------------------


def _guess_in_parallel(factory: sessionmaker[Session], monkeypatch, n: int = 80) -> tuple[int, Counter]:
    """n wrong passwords for ani at the same moment, each thread with its own session; (bcrypt checks, outcomes)."""
    real, lock, checks = bcrypt.checkpw, threading.Lock(), []

    def counted(password: bytes, hashed: bytes) -> bool:
        with lock:
            checks.append(1)
        time.sleep(0.05)  # bcrypt's real cost (~0.2 s at 12 rounds, 4 in tests) is what leaves the window open
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counted)
    barrier, outcomes = threading.Barrier(n), Counter()

    def guess(i: int) -> None:
        barrier.wait()
        try:
            outcome = "wrong" if attempt_login(factory, "ani", f"tebakan-{i}", "198.51.100.7") is None else "in"
        except Throttled:
            outcome = "throttled"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    monkeypatch.setattr(bcrypt, "checkpw", real)
    return len(checks), outcomes


def _assert_five_checks_at_most(factory: sessionmaker[Session], monkeypatch) -> None:
    checks, outcomes = _guess_in_parallel(factory, monkeypatch)
    assert checks <= throttle.DEFAULT.pair_free, (checks, outcomes)
    assert outcomes == Counter(wrong=checks, throttled=80 - checks)
    with factory() as s:
        [locked] = audit.entries(s, action="login_locked")
        assert locked.detail["key"] == "pair:ani|198.51.100.7"
        assert throttle.locked_for(s, throttle.keys("ani", "198.51.100.7")) > 0
    assert attempt_login(factory, "ani", PASSWORDS["ani"], "192.0.2.1") is not None  # ani elsewhere: not locked


def test_eighty_parallel_guesses_get_five_password_checks_on_sqlite(staffed_db, monkeypatch):
    _assert_five_checks_at_most(staffed_db, monkeypatch)


@pytest.mark.pg
def test_eighty_parallel_guesses_get_five_password_checks_on_postgres(pg_database, monkeypatch):
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        add_staff(s, "ani", PASSWORDS["ani"])
    try:
        _assert_five_checks_at_most(factory, monkeypatch)
    finally:
        engine.dispose()


def test_a_right_password_takes_its_count_back(staffed_db):
    for n in range(4):
        assert attempt_login(staffed_db, "ani", f"salah-{n}", "10.0.0.1") is None
    assert attempt_login(staffed_db, "ani", PASSWORDS["ani"], "10.0.0.1") is not None
    with staffed_db() as s:  # the pair is forgiven; the address keeps its 4 wrong ones, not the right one
        assert [(r.key, r.failures) for r in throttle.troubled(s)] == [("address:10.0.0.1", 4)]
    for n in range(4):  # four more wrong ones: still no lock (the count started again)
        assert attempt_login(staffed_db, "ani", f"lagi-{n}", "10.0.0.1") is None


# --- lockouts from elsewhere, and the admins' unlock ---------------------------------------------------------


def test_guesses_from_elsewhere_do_not_lock_the_staff_member_out(browser_for, staffed_db):
    attacker = TestClient(browser_for().app, client=("203.0.113.9", 4444))
    codes = [attacker.get("/api/escalations", headers=basic("ani", f"tebakan-{n}")).status_code for n in range(30)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    assert attacker.get("/api/escalations", headers=ANI).status_code == 429  # that pair is locked
    assert browser_for().get("/api/escalations", headers=ANI).status_code == 200  # ani at her own address
    with staffed_db() as s:
        assert audit.entries(s, action="login_locked")[0].detail["key"] == "pair:ani|203.0.113.9"


def test_an_admin_unlocks_from_the_security_panel(browser_for, logged_in, staffed_db):
    attacker = TestClient(browser_for().app, client=("203.0.113.9", 4444))
    for n in range(6):
        attacker.get("/api/escalations", headers=basic("ani", f"tebakan-{n}"))
    key = "pair:ani|203.0.113.9"
    ani = logged_in("ani")
    r = ani.post("/helpdesk/audit/unlock", data={"csrf": csrf_of(ani.get("/helpdesk/").text), "key": key})
    assert r.status_code == 403  # not an admin
    boss = logged_in("boss")
    panel = boss.get("/helpdesk/audit")
    assert key in panel.text and 'action="/helpdesk/audit/unlock"' in panel.text
    assert boss.post("/helpdesk/audit/unlock", data={"csrf": "tebakan", "key": key}).status_code == 403
    with staffed_db() as s:
        assert throttle.locked_for(s, [key]) > 0
    r = boss.post("/helpdesk/audit/unlock", data={"csrf": csrf_of(panel.text), "key": key})
    assert r.status_code == 303 and r.headers["location"] == "/helpdesk/audit"
    with staffed_db() as s:
        assert throttle.locked_for(s, [key]) == 0
        [entry] = audit.entries(s, action="staff_unlock")
    assert (entry.staff, entry.detail) == ("boss", {"key": key})
    assert attacker.get("/api/escalations", headers=ANI).status_code == 200


# --- log lines ------------------------------------------------------------------------------------------------


def test_a_username_cannot_forge_log_lines(browser_for, staffed_db, caplog):
    client = browser_for()
    name = "ani\nERROR forged line\r\x1b[31m" + "x" * 200
    with caplog.at_level(logging.WARNING, logger="helpdesk.auth"):
        for n in range(5):
            assert client.get("/api/escalations", headers=basic(name, f"tebakan-{n}")).status_code == 401
    [record] = [r for r in caplog.records if r.name == "helpdesk.auth"]
    line = record.getMessage()
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "pair:ani\\nerror forged line\\r\\x1b[31mxxx" in line and "x" * 140 not in line
    assert "\n" not in caplog.handler.format(record)  # one line, as written to the log
    with staffed_db() as s:
        [locked] = audit.entries(s, action="login_locked")
    assert locked.staff.startswith("ani\\nERROR forged line\\r") and len(locked.staff) <= 80
