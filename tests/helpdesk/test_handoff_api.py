"""The help-desk JSON API's actions: claim, reply, release, close for every kind of caller and input;
never a 5xx; two staff members claiming at once through HTTP."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.settings import Settings
from knowledge.staff import audit, throttle
from tests.support.fake_rasa import FakeRasa

SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")


def basic(user: str, password: str) -> dict:
    """A staff API client's headers: HTTP Basic, and JSON bodies (state-changing requests must declare them)."""
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}", "Content-Type": "application/json"}


ANI, BUDI, BOSS = basic("ani", "sandi-ani-12345"), basic("budi", "sandi-budi-12345"), basic("boss", "sandi-boss-12345")
ACTIONS = [
    ("post", "claim", None),
    ("post", "reply", {"text": "halo"}),
    ("post", "release", None),
    ("post", "close", {"outcome": "resolved"}),
]


@pytest.fixture
def api(db, tmp_path):
    with session_scope(db) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        add_staff(s, "budi", "sandi-budi-12345")
        add_staff(s, "boss", "sandi-boss-12345", admin=True)
    app = create_app(SETTINGS, factory=db, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path / "spool")
    with TestClient(app) as client:
        yield client


@pytest.fixture
def esc(db) -> int:
    with session_scope(db) as s:
        return create_escalation(s, channel="web", user_id="u1", reason="fraud_report", details={"fraud_who": "PT X"})


def call(client: TestClient, verb: str, path: str, body: object = None, headers: dict | None = None) -> httpx.Response:
    if verb == "get":
        return client.get(path, headers=headers)
    return client.post(path, json={} if body is None else body, headers=headers)


@pytest.mark.parametrize(("verb", "action", "body"), [("get", "", None), *ACTIONS])
def test_every_endpoint_wants_a_staff_member(api, esc, verb, action, body):
    path = f"/api/escalations/{esc}" + (f"/{action}" if action else "")
    for headers in (
        None,
        basic("ani", "salah-sekali"),
        basic("nobody", "sandi-ani-12345"),
        {"Authorization": "Basic !!!"},
        {"Authorization": "Bearer x"},
    ):
        r = call(api, verb, path, body, headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.json()["error"] == "unauthorized" and r.headers["www-authenticate"].startswith("Basic")
    assert call(api, "get", "/api/escalations", headers=None).status_code == 401
    # anonymous gets 401 before any validation: nothing about ids or bodies leaks
    assert call(api, verb, "/api/escalations/abc" + (f"/{action}" if action else ""), "x").status_code == 401


def test_the_whole_handoff(api, esc, db):
    r = api.post(f"/api/escalations/{esc}/claim", headers=ANI)
    assert r.status_code == 200 and (r.json()["status"], r.json()["assigned_to"]) == ("assigned", "ani")
    assert set(r.json()) >= {"id", "user_id", "channel", "reason", "priority", "status", "assigned_to", "created_at"}
    assert api.post(f"/api/escalations/{esc}/claim", headers=ANI).status_code == 200  # again: still hers
    for verb, action, body in ACTIONS:
        r = call(api, verb, f"/api/escalations/{esc}/{action}", body, BUDI)
        assert r.status_code == 409 and r.json()["error"] == "held_by_other" and "ani" in r.json()["message"]
    assert api.post(f"/api/escalations/{esc}/reply", json={"text": "Halo dari Ani"}, headers=ANI).status_code == 200
    detail = api.get(f"/api/escalations/{esc}", headers=ANI).json()
    assert detail["transcript"][-1] | {"created_at": None} == {
        "direction": "out",
        "sender": "staff",
        "text": "Halo dari Ani",
        "buttons": [],
        "status": "ok",
        "created_at": None,
    }
    assert api.post(f"/api/escalations/{esc}/release", headers=ANI).json()["status"] == "open"
    assert api.post(f"/api/escalations/{esc}/release", headers=BUDI).status_code == 200  # nobody holds it: no-op
    r = api.post(f"/api/escalations/{esc}/reply", json={"text": "Budi di sini"}, headers=BUDI)
    assert r.json()["assigned_to"] == "budi"  # a reply claims an unclaimed escalation
    r = api.post(
        f"/api/escalations/{esc}/close", json={"outcome": "referred_police", "note": "lapor Polres"}, headers=BUDI
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert api.get("/api/escalations?status=resolved", headers=ANI).json()[0]["id"] == esc
    detail = api.get(f"/api/escalations/{esc}", headers=ANI).json()
    assert (detail["outcome"], detail["outcome_note"]) == ("referred_police", "lapor Polres")
    for verb, action, body in ACTIONS[:2] + ACTIONS[3:]:
        assert call(api, verb, f"/api/escalations/{esc}/{action}", body, ANI).json()["error"] == "closed"
    with db() as s:
        log = [(e.staff, e.action) for e in reversed(audit.entries(s, escalation_id=esc))]
    assert log == [
        ("ani", "claim"),
        ("ani", "reply"),
        ("ani", "view"),
        ("ani", "release"),
        ("budi", "claim"),
        ("budi", "reply"),
        ("budi", "close"),
        ("ani", "view"),
    ]


def test_an_admin_may_take_over(api, esc):
    api.post(f"/api/escalations/{esc}/claim", headers=ANI)
    assert api.post(f"/api/escalations/{esc}/release", headers=BOSS).json()["status"] == "open"
    api.post(f"/api/escalations/{esc}/claim", headers=ANI)
    assert api.post(f"/api/escalations/{esc}/close", json={"outcome": "spam"}, headers=BOSS).status_code == 200


ENDPOINTS = [("get", "", None), *ACTIONS]


def test_a_malformed_id_is_422(api):
    for raw in ["abc", "1.5", "-1", "1e3", "%20", "١٢", "0x10", "9" * 50, "1%00"]:
        for verb, action, body in ENDPOINTS:
            r = call(api, verb, f"/api/escalations/{raw}" + (f"/{action}" if action else ""), body, ANI)
            assert r.status_code == 422 and r.json()["error"] == "invalid_id", (raw, action, r.text)


def test_an_unknown_id_is_404_however_large(api):
    for number in [0, 999, 2**63 - 1, 2**63, 2**64, 10**30]:
        for verb, action, body in ENDPOINTS:
            r = call(api, verb, f"/api/escalations/{number}" + (f"/{action}" if action else ""), body, ANI)
            assert r.status_code == 404 and r.json()["error"] == "not_found", (number, action, r.text)


BAD_REPLIES = [
    b"not json",
    b"[1, 2]",
    b'"text"',
    b"[" * 15_000 + b"]" * 15_000,
    b'{"text": ""}',
    b'{"text": "   "}',
    b'{"text": 5}',
    b'{"text": null}',
    b"{}",
    json.dumps({"text": "x" * 4001}).encode(),
    b'{"text": "\\u0000"}',
    b"\xff\xfe",
]


@pytest.mark.parametrize("body", BAD_REPLIES, ids=range(len(BAD_REPLIES)))
def test_a_malformed_reply_is_422_and_changes_nothing(api, esc, body):
    r = api.post(f"/api/escalations/{esc}/reply", content=body, headers={**ANI, "content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert api.get(f"/api/escalations/{esc}", headers=ANI).json()["status"] == "open"


BAD_CLOSES = [
    b"{}",
    b'{"outcome": "bagus"}',
    b'{"outcome": 3}',
    b'{"outcome": "resolved", "note": 5}',
    json.dumps({"outcome": "resolved", "note": "x" * 2001}).encode(),
    b"[]",
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
]


@pytest.mark.parametrize("body", BAD_CLOSES, ids=range(len(BAD_CLOSES)))
def test_a_malformed_close_is_422(api, esc, body):
    r = api.post(f"/api/escalations/{esc}/close", content=body, headers={**ANI, "content-type": "application/json"})
    assert r.status_code == 422, r.text


def test_a_huge_body_is_413(api, esc):
    for body in (json.dumps({"text": "x" * 40_000}).encode(), b"{" * 50_000 + b"}" * 50_000):
        assert api.post(f"/api/escalations/{esc}/reply", content=body, headers=ANI).status_code == 413


def _claim_together(api, esc: int) -> dict[str, int]:
    """ani and budi claim the same escalation at the same moment; their status codes."""
    barrier = threading.Barrier(2)
    codes: dict[str, int] = {}

    def claim(name: str, headers: dict) -> None:
        barrier.wait()
        codes[name] = api.post(f"/api/escalations/{esc}/claim", headers=headers).status_code

    threads = [threading.Thread(target=claim, args=(n, h)) for n, h in (("ani", ANI), ("budi", BUDI))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return codes


def test_two_staff_claiming_at_once_over_http(api, db):
    for round_ in range(8):
        with session_scope(db) as s:
            esc = create_escalation(s, channel="web", user_id=f"race{round_}", reason="emergency", details={})
        codes = _claim_together(api, esc)
        assert sorted(codes.values()) == [200, 409], codes
        winner = next(n for n, c in codes.items() if c == 200)
        assert api.get(f"/api/escalations/{esc}", headers=ANI).json()["assigned_to"] == winner


def test_wrong_passwords_lock_the_account_and_the_admin_sees_it(api, esc, db):
    for _ in range(5):
        assert api.get("/api/escalations", headers=basic("ani", "tebakan-salah")).status_code == 401
    r = api.get("/api/escalations", headers=ANI)  # the right password, right after: refused too
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts" and int(r.headers["retry-after"]) > 0
    assert api.post(f"/api/escalations/{esc}/claim", headers=ANI).status_code == 429
    assert api.get("/api/escalations", headers=BUDI).status_code == 200  # another account is not locked
    with db() as s:
        [locked] = audit.entries(s, action="login_locked")
    assert locked.staff == "ani" and locked.detail["key"] == "pair:ani|testclient"


@pytest.mark.pg
def test_two_staff_claiming_at_once_over_http_on_postgres(pg_database, tmp_path):
    from sqlalchemy.orm import sessionmaker

    from knowledge.db import make_engine
    from knowledge.migrations import upgrade_to_head

    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        add_staff(s, "budi", "sandi-budi-12345")
    app = create_app(SETTINGS, factory=factory, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path)
    try:
        with TestClient(app) as client:
            for round_ in range(8):
                with session_scope(factory) as s:
                    esc = create_escalation(s, channel="web", user_id=f"pg{round_}", reason="emergency", details={})
                assert sorted(_claim_together(client, esc).values()) == [200, 409]
    finally:
        engine.dispose()


def test_thirty_wrong_passwords_lock_out_the_right_one_until_the_lock_ends(api, monkeypatch):
    codes = [api.get("/api/escalations", headers=basic("ani", f"tebakan-{n}")).status_code for n in range(30)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    r = api.get("/api/escalations", headers=ANI)  # the right password is refused while locked
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 31
    later = throttle.utcnow() + timedelta(seconds=int(r.headers["retry-after"]) + 1)
    monkeypatch.setattr(throttle, "utcnow", lambda: later)
    assert api.get("/api/escalations", headers=ANI).status_code == 200
