"""Staff accounts and the staff-only escalation API."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.asgi import create_app
from helpdesk.accounts import StaffError, add_staff, check_staff
from knowledge import transcripts
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.settings import Settings


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
    app = create_app(
        Settings(),
        factory=db,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
        spool_dir=tmp_path,
    )
    with TestClient(app) as client:
        assert client.get("/api/escalations").status_code == 401
        assert client.get("/api/escalations", headers=_basic("petugas", "salah")).status_code == 401
        assert client.get(f"/api/escalations/{esc}", headers=_basic("x", "y")).status_code == 401
        r = client.get("/api/escalations?status=open", headers=_basic("petugas", "kata-sandi-panjang"))
        assert r.status_code == 200
        assert r.json() == [
            {
                "id": esc,
                "user_id": "u9",
                "channel": "web",
                "reason": "emergency",
                "priority": "urgent",
                "status": "open",
                "assigned_to": None,
                "created_at": r.json()[0]["created_at"],
            }
        ]
        assert (
            client.get("/api/escalations?status=resolved", headers=_basic("petugas", "kata-sandi-panjang")).json() == []
        )
        assert (
            client.get("/api/escalations?status=bogus", headers=_basic("petugas", "kata-sandi-panjang")).status_code
            == 422
        )
        detail = client.get(f"/api/escalations/{esc}", headers=_basic("petugas", "kata-sandi-panjang")).json()
        assert detail["details"] == {"message": "tolong"}
        assert [t["text"] for t in detail["transcript"]] == ["tolong paspor ditahan"]
        assert client.get("/api/escalations/999", headers=_basic("petugas", "kata-sandi-panjang")).status_code == 404
