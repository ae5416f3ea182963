"""Escalations from a flooding web-chat address are stored but queued last; staff mark spam (API and
dashboard), after which the same user or address is queued last too. The addresses reach the gateway
through X-Forwarded-For and uvicorn's proxy-headers middleware, as behind the deployment's proxy."""

from __future__ import annotations

import base64
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.asgi import create_app
from knowledge.escalations.service import report_emergency
from knowledge.escalations.store import store_escalation
from knowledge.models import Escalation
from knowledge.staff import audit
from knowledge.turns import Turn
from tests.helpdesk.conftest import PASSWORDS, SETTINGS, csrf_of, login
from tests.support.fake_rasa import FakeRasa

NAT, HOME = "203.0.113.7", "198.51.100.9"
ANI = {"Authorization": "Basic " + base64.b64encode(f"ani:{PASSWORDS['ani']}".encode()).decode()}
JSON = {**ANI, "Content-Type": "application/json"}


@pytest.fixture
def gateway(staffed_db, tmp_path):
    app = create_app(
        replace(SETTINGS, rate_limit_per_minute=1000),
        factory=staffed_db,
        transport=httpx.MockTransport(FakeRasa()),
        spool_dir=tmp_path / "spool",
    )
    with TestClient(ProxyHeadersMiddleware(app, trusted_hosts="*"), follow_redirects=False) as client:
        yield client


def say(client: TestClient, user_id: str, address: str) -> None:
    """A web-chat message: the gateway records which address first used the id."""
    r = client.post("/api/chat", json={"user_id": user_id, "text": "halo"}, headers={"X-Forwarded-For": address})
    assert r.status_code == 200


def emergency(db, user_id: str) -> tuple[int, str]:
    """What the action server does for 'tolong saya disekap': store the escalation, answer with the contacts."""
    with db() as s:
        outcome = report_emergency(s, Turn(text="tolong saya disekap majikan", sender=f"web:{user_id}"))
        [answer] = outcome.answers
        esc_id = s.scalar(select(func.max(Escalation.id)).where(Escalation.user_id == user_id))
    return esc_id, answer.text


def queue_ids(client: TestClient) -> list[int]:
    return [e["id"] for e in client.get("/api/escalations?status=open", headers=ANI).json()]


def test_escalations_beyond_the_address_budget_are_stored_lowered_and_queued_after_real_ones(gateway, staffed_db):
    for i in range(12):
        say(gateway, f"nat-{i}", NAT)
    say(gateway, "home", HOME)
    filed = [emergency(staffed_db, f"nat-{i}") for i in range(12)]  # the budget is 10 an hour per address
    with staffed_db() as s:
        human = store_escalation(s, channel="web", user_id="home", reason="request_human", details={})
        telegram = store_escalation(s, channel="telegram", user_id="42", reason="fraud_report", details={})
    # every one is stored and every user got the emergency contacts, lowered or not
    assert all(esc_id is not None and "0800-1000" in text and f"nomor {esc_id}" in text for esc_id, text in filed)
    ids = [esc_id for esc_id, _ in filed]
    assert queue_ids(gateway) == [*ids[:10], telegram, human, *ids[10:]]  # after every normal one
    detail = gateway.get(f"/api/escalations/{ids[11]}", headers=ANI).json()
    assert (detail["priority"], detail["lowered"], detail["spam"]) == ("urgent", "flood", False)
    assert gateway.get(f"/api/escalations/{ids[0]}", headers=ANI).json()["lowered"] is None


def test_marking_spam_through_the_api_lowers_the_same_user_and_address(gateway, staffed_db):
    for user, address in [("spammer", NAT), ("neighbour", NAT), ("home", HOME)]:
        say(gateway, user, address)
    first, _ = emergency(staffed_db, "spammer")
    r = gateway.post(f"/api/escalations/{first}/spam", headers=JSON, content=b"{}")
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    detail = gateway.get(f"/api/escalations/{first}", headers=ANI).json()
    assert (detail["spam"], detail["outcome"]) == (True, "spam")
    assert gateway.post(f"/api/escalations/{first}/spam", headers=JSON, content=b"{}").status_code == 200  # no-op
    again, text = emergency(staffed_db, "spammer")
    neighbour, _ = emergency(staffed_db, "neighbour")
    elsewhere, _ = emergency(staffed_db, "home")
    assert "0800-1000" in text  # still the contacts: a real emergency must not be lost
    assert queue_ids(gateway) == [elsewhere, again, neighbour]
    assert gateway.get(f"/api/escalations/{again}", headers=ANI).json()["lowered"] == "spam_source"
    # taking the mark back: later ones are not lowered for it any more
    r = gateway.post(f"/api/escalations/{first}/spam", headers=JSON, content=b'{"spam": false}')
    assert r.status_code == 200
    with staffed_db() as s:
        later = store_escalation(s, channel="web", user_id="spammer", reason="fraud_report", details={})
        actions = [e.action for e in audit.entries(s, escalation_id=first)]
    assert gateway.get(f"/api/escalations/{later}", headers=ANI).json()["lowered"] is None
    assert actions.count("spam") == 1 and actions.count("unspam") == 1
    bad = gateway.post(f"/api/escalations/{first}/spam", headers=JSON, content=b'{"spam": "ya"}')
    assert (bad.status_code, bad.json()["error"]) == (422, "invalid_spam")
    assert gateway.post("/api/escalations/99999/spam", headers=JSON, content=b"{}").status_code == 404
    anonymous = {"Content-Type": "application/json"}
    assert gateway.post(f"/api/escalations/{first}/spam", headers=anonymous, content=b"{}").status_code == 401
    # the rule of every state-changing staff request: JSON only, never from another site's page
    plain = {**ANI, "Content-Type": "text/plain"}
    assert gateway.post(f"/api/escalations/{later}/spam", headers=plain, content=b"{}").status_code == 415
    foreign = {**JSON, "Origin": "https://evil.example"}
    assert gateway.post(f"/api/escalations/{later}/spam", headers=foreign, content=b"{}").status_code == 403
    with staffed_db() as s:
        assert s.get(Escalation, later).spam is False


def test_marking_spam_through_the_dashboard(gateway, staffed_db):
    say(gateway, "spammer", NAT)
    say(gateway, "other", NAT)
    esc_id, _ = emergency(staffed_db, "spammer")
    assert login(gateway, "budi").status_code == 303
    url = f"/helpdesk/escalations/{esc_id}"
    page = gateway.get(url).text
    assert 'id="spam"' in page
    assert gateway.post(f"{url}/spam", data={"csrf": "tebakan"}).status_code == 403  # CSRF as for every form
    r = gateway.post(f"{url}/spam", data={"csrf": csrf_of(page)})
    assert r.status_code == 303 and r.headers["location"] == f"{url}?ok=spammed"
    page = gateway.get(r.headers["location"]).text
    assert 'id="spam-flag"' in page and 'id="unspam"' in page and "Spam / bukan laporan" in page
    with staffed_db() as s:
        esc = s.get(Escalation, esc_id)
        assert (esc.spam, esc.status, esc.outcome, esc.closed_by) == (True, "resolved", "spam", "budi")
        assert [e.action for e in audit.entries(s, escalation_id=esc_id, action="spam")] == ["spam"]
    later, _ = emergency(staffed_db, "other")  # same address
    later_page = gateway.get(f"/helpdesk/escalations/{later}").text
    assert 'id="lowered-flag"' in later_page and "pernah ditandai spam" in later_page
    assert "prioritas diturunkan" in gateway.get("/helpdesk/").text
    r = gateway.post(f"{url}/unspam", data={"csrf": csrf_of(page)})
    assert r.headers["location"] == f"{url}?ok=unspammed"
    with staffed_db() as s:
        assert s.get(Escalation, esc_id).spam is False
