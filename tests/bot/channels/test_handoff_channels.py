"""Staff take over Telegram and WhatsApp conversations: the user's messages reach the staff member (one
notice), staff replies go out through the outbox like any answer, and the release is announced."""

from __future__ import annotations

import base64

from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from tests.bot.channels.conftest import SECRET
from tests.support.fake_telegram import text_update
from tests.support.fake_whatsapp import message, signed, text_of, webhook

ANI = {
    "Authorization": "Basic " + base64.b64encode(b"ani:kata-sandi-ani-1").decode(),
    "Content-Type": "application/json",
}
TELEGRAM = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def _setup(db, channel: str, user: str) -> int:
    with session_scope(db) as s:
        add_staff(s, "ani", "kata-sandi-ani-1")
        return create_escalation(s, channel=channel, user_id=user, reason="fraud_report", details={})


def test_a_telegram_user_talks_to_a_petugas(gateway, telegram_api, rasa, db):
    esc = _setup(db, "telegram", "42")
    assert gateway.post(f"/api/escalations/{esc}/claim", headers=ANI).status_code == 200
    gateway.post("/telegram/webhook", json=text_update(1, 42, "halo, ada orang?"), headers=TELEGRAM)
    [notice] = telegram_api.wait_sent(42, 1)
    assert "petugas" in notice.params["text"]
    gateway.post("/telegram/webhook", json=text_update(2, 42, "saya tunggu"), headers=TELEGRAM)
    assert (
        gateway.post(f"/api/escalations/{esc}/reply", json={"text": "Halo, saya Ani."}, headers=ANI).status_code == 200
    )
    sent = telegram_api.wait_sent(42, 2)
    assert sent[1].params["text"] == "Halo, saya Ani."
    assert rasa.received == []  # nothing went to the bot
    gateway.post(f"/api/escalations/{esc}/release", headers=ANI)
    assert "kembali dilayani" in telegram_api.wait_sent(42, 3)[2].params["text"]
    gateway.post("/telegram/webhook", json=text_update(3, 42, "cek pt uji"), headers=TELEGRAM)
    assert telegram_api.wait_sent(42, 4)[3].params["text"] == "echo: cek pt uji"
    assert rasa.texts() == ["/restart", "cek pt uji"]
    assert len(telegram_api.sent(42)) == 4  # the second paused message got no answer


def test_a_staff_reply_reaches_a_whatsapp_user(gateway, whatsapp_api, db):
    esc = _setup(db, "whatsapp", "6281234567890")
    raw, headers = signed(webhook([message("6281234567890", text="tolong saya ditipu")]))
    gateway.post("/whatsapp/webhook", content=raw, headers=headers)
    whatsapp_api.wait_sent("6281234567890", 1)  # the bot's answer (before the claim)
    r = gateway.post(f"/api/escalations/{esc}/reply", json={"text": "Kami bantu, ceritakan kronologinya."}, headers=ANI)
    assert r.json()["assigned_to"] == "ani"  # replying claimed it
    sent = whatsapp_api.wait_sent("6281234567890", 2)
    assert text_of(sent[1]) == "Kami bantu, ceritakan kronologinya."
