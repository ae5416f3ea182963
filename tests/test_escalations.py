"""Escalations: the store, the report actions that create them, staff accounts and the staff-only API."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from actions.deps import set_session_factory
from actions.reports import (
    ActionCancel, ActionFraudConfirm, ActionFraudResetField, ActionReportEmergency, ActionRequestHuman,
    ActionSubmitFraudReport, ValidateFraudReportForm,
)
from bot.asgi import create_app
from knowledge import transcripts
from knowledge.db import make_engine, session_scope
from knowledge.escalations import create_escalation, list_escalations, split_sender
from knowledge.models import Escalation
from knowledge.settings import Settings
from knowledge.staff import StaffError, add_staff, check_staff


@pytest.fixture
def wired(db):
    set_session_factory(db)
    yield db
    set_session_factory(None)


def tracker(text="", *, intent="inform", slots=None, entities=None, sender="telegram:777"):
    return Tracker(sender, dict(slots or {}), {"text": text, "intent": {"name": intent}, "entities": entities or []},
                   [], False, None, {}, "action_listen")


async def run(action, trk):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), dispatcher.messages, events


def test_split_sender():
    assert split_sender("telegram:123") == ("telegram", "123")
    assert split_sender("web:u:1") == ("web", "u:1")
    assert split_sender("plain") == ("web", "plain")


def test_queue_order_and_no_duplicates(db):
    with session_scope(db) as s:
        a = create_escalation(s, channel="web", user_id="a", reason="request_human")
        b = create_escalation(s, channel="web", user_id="b", reason="emergency", details={"x": 1})
        c = create_escalation(s, channel="web", user_id="c", reason="fraud_report")
        again = create_escalation(s, channel="web", user_id="b", reason="emergency", details={"y": 2})
    assert again == b
    with db() as s:
        queue = list_escalations(s, status="open")
        assert [e.id for e in queue] == [b, c, a]
        assert [e.priority for e in queue] == ["urgent", "high", "normal"]
        assert s.get(Escalation, b).details == {"x": 1, "y": 2}
    with pytest.raises(ValueError):
        with session_scope(db) as s:
            create_escalation(s, channel="web", user_id="a", reason="whatever")


async def test_emergency_gives_the_hotline_first_and_escalates(wired):
    text, _, _ = await run(ActionReportEmergency(), tracker("paspor saya ditahan majikan di malaysia",
                                                             intent="report_emergency"))
    assert text.index("0800-1000") < text.index("MENDESAK")
    assert "KBRI/KJRI" in text
    with wired() as s:
        [esc] = list_escalations(s)
    assert (esc.reason, esc.priority, esc.channel, esc.user_id) == ("emergency", "urgent", "telegram", "777")


async def test_emergency_with_the_database_down_still_gives_the_hotline(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'gone' / 'x.db'}")
    (tmp_path / "gone").rmdir()
    set_session_factory(sessionmaker(bind=broken))
    try:
        text, _, _ = await run(ActionReportEmergency(), tracker("tolong adik saya disiksa", intent="report_emergency"))
    finally:
        set_session_factory(None)
        broken.dispose()
    assert "0800-1000" in text and "BELUM tersimpan" in text and "MENDESAK" not in text


async def test_request_human_is_honest_about_waiting(wired):
    text, _, _ = await run(ActionRequestHuman(), tracker("mau bicara dengan petugas", intent="request_human"))
    assert "belum tentu langsung" in text
    with wired() as s:
        assert list_escalations(s)[0].reason == "request_human"


async def test_fraud_report_collect_change_confirm_store(wired):
    form = ValidateFraudReportForm()
    first = tracker("saya sudah bayar 10 juta ke PT Abal Abal tapi gak berangkat", intent="report_fraud",
                    entities=[{"entity": "agency", "value": "PT Abal Abal", "start": 28, "end": 40}])
    assert await form.extract_fraud_amount(CollectingDispatcher(), first, {}) == {"fraud_amount": "10 juta"}
    assert await form.extract_fraud_who(CollectingDispatcher(), first, {}) == {"fraud_who": "PT Abal Abal"}
    asked = tracker("di cirebon", slots={"requested_slot": "fraud_where"})
    assert await form.extract_fraud_where(CollectingDispatcher(), asked, {}) == {"fraud_where": "di cirebon"}
    cancel = tracker("batal", intent="cancel", slots={"requested_slot": "fraud_where"})
    assert await form.extract_fraud_where(CollectingDispatcher(), cancel, {}) == {}  # an interruption, not an answer
    assert form.validate_fraud_when("gak tau", CollectingDispatcher(), asked, {}) == {"fraud_when": "tidak diketahui"}

    slots = {"fraud_who": "PT Abal Abal", "fraud_amount": "10 juta", "fraud_where": "Cirebon", "fraud_when": "Mei"}
    text, messages, events = await run(ActionFraudConfirm(), tracker(slots=slots))
    assert "PT Abal Abal" in text and "10 juta" in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny", "/cancel"]
    assert SlotSet("fraud_pending", True) in events
    # The user changes their mind about the amount.
    _, _, events = await run(ActionFraudResetField(), tracker(
        '/inform{"fraud_field":"fraud_amount"}', entities=[{"entity": "fraud_field", "value": "fraud_amount"}]))
    assert events == [SlotSet("fraud_amount", None), SlotSet("fraud_pending", None)]
    slots["fraud_amount"] = "12 juta"
    text, _, events = await run(ActionSubmitFraudReport(), tracker("ya", intent="affirm", slots=slots))
    assert "sudah kami simpan" in text and "lapor.go.id" in text
    assert SlotSet("fraud_who", None) in events
    with wired() as s:
        esc = s.scalar(select(Escalation))
    assert (esc.reason, esc.priority, esc.details["fraud_amount"]) == ("fraud_report", "high", "12 juta")


async def test_cancel_stores_nothing(wired):
    text, _, events = await run(ActionCancel(), tracker("batal", intent="cancel", slots={"fraud_who": "x"}))
    assert "Tidak ada yang disimpan" in text
    assert SlotSet("fraud_who", None) in events
    with wired() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 0


def test_staff_accounts(db):
    with session_scope(db) as s:
        add_staff(s, "Petugas1", "kata-sandi-panjang")
    with pytest.raises(StaffError):
        with session_scope(db) as s:
            add_staff(s, "petugas1", "kata-sandi-lain-lagi")
    with pytest.raises(StaffError):
        with session_scope(db) as s:
            add_staff(s, "petugas2", "pendek")
    with db() as s:
        assert check_staff(s, "petugas1", "kata-sandi-panjang") == "petugas1"
        assert check_staff(s, "PETUGAS1", "kata-sandi-panjang") == "petugas1"
        assert check_staff(s, "petugas1", "salah") is None
        assert check_staff(s, "orang-lain", "kata-sandi-panjang") is None


def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_escalation_api_requires_staff(db, tmp_path):
    with session_scope(db) as s:
        add_staff(s, "petugas", "kata-sandi-panjang")
        esc = create_escalation(s, channel="web", user_id="u9", reason="emergency", details={"message": "tolong"})
        transcripts.record_message(s, channel="web", user_id="u9", direction="in", text="tolong paspor ditahan")
    app = create_app(Settings(), factory=db, transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                     spool_dir=tmp_path)
    with TestClient(app) as client:
        assert client.get("/api/escalations").status_code == 401
        assert client.get("/api/escalations", headers=_basic("petugas", "salah")).status_code == 401
        assert client.get(f"/api/escalations/{esc}", headers=_basic("x", "y")).status_code == 401
        r = client.get("/api/escalations?status=open", headers=_basic("petugas", "kata-sandi-panjang"))
        assert r.status_code == 200
        assert r.json() == [{"id": esc, "user_id": "u9", "channel": "web", "reason": "emergency",
                             "priority": "urgent", "status": "open", "created_at": r.json()[0]["created_at"]}]
        assert client.get("/api/escalations?status=resolved", headers=_basic("petugas", "kata-sandi-panjang")).json() == []
        assert client.get("/api/escalations?status=bogus", headers=_basic("petugas", "kata-sandi-panjang")).status_code == 422
        detail = client.get(f"/api/escalations/{esc}", headers=_basic("petugas", "kata-sandi-panjang")).json()
        assert detail["details"] == {"message": "tolong"}
        assert [t["text"] for t in detail["transcript"]] == ["tolong paspor ditahan"]
        assert client.get("/api/escalations/999", headers=_basic("petugas", "kata-sandi-panjang")).status_code == 404


def test_staff_add_command(tmp_path):
    exe = str(Path(sys.executable).parent / "tanyakerja")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": str(Path(sys.executable).parent)}
    ok = subprocess.run([exe, "staff", "add", "Budi", "--password-stdin"], input="sandi-rahasia-budi\n",
                        capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "budi" in ok.stdout
    dup = subprocess.run([exe, "staff", "add", "budi", "--password-stdin"], input="sandi-rahasia-lain\n",
                         capture_output=True, text=True, env=env)
    assert dup.returncode == 1 and "already exists" in dup.stderr
    short = subprocess.run([exe, "staff", "add", "ani", "--password-stdin"], input="123\n", capture_output=True,
                           text=True, env=env)
    assert short.returncode == 1 and "at least" in short.stderr
