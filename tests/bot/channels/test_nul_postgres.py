"""Telegram and WhatsApp on PostgreSQL with a NUL where a stranger controls the text (issue 21, High 2): a
name, a message, a button's data, a receipt's id. Each is stored without the NUL and answered; nothing
fails again and again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine
from knowledge.delivery.models import InboxItem
from knowledge.migrations import upgrade_to_head
from knowledge.models import Message
from tests.bot.channels.conftest import SECRET
from tests.support.fake_telegram import callback_update, text_update
from tests.support.fake_whatsapp import message, signed, status, text_of, webhook

pytestmark = pytest.mark.pg

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
USER = "6281234567890"


@pytest.fixture
def db(pg_database) -> Iterator[sessionmaker[Session]]:
    """The channel fixtures (gateway, gateway_for) on PostgreSQL instead of SQLite."""
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def inbound(db) -> list[str]:
    with db() as s:
        return list(s.scalars(select(Message.text).where(Message.direction == "in").order_by(Message.id)))


def test_telegram_a_nul_in_a_name_a_text_and_a_buttons_data(gateway, telegram_api, db):
    update = text_update(20, 42, "halo\x00 loker")
    update["message"]["from"]["first_name"] = "Uji\x00"
    assert gateway.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
    assert telegram_api.wait_sent(42, 1)[0].params["text"] == "echo: halo loker"
    forged = callback_update(21, 42, "k:\x00AAAAAAAAAAAAAAA")  # a short key looked up in the database
    assert gateway.post("/telegram/webhook", json=forged, headers=HEADERS).status_code == 200
    assert "tombol" in telegram_api.wait_sent(42, 2)[1].params["text"].lower()  # "this button expired"
    assert gateway.post("/telegram/webhook", json=text_update(22, 42, "lagi"), headers=HEADERS).status_code == 200
    assert telegram_api.wait_sent(42, 3)[2].params["text"] == "echo: lagi"
    assert inbound(db) == ["halo loker", "lagi"]
    with db() as s:
        stored = s.scalars(select(InboxItem).order_by(InboxItem.id)).first()
    assert stored is not None and stored.payload["message"]["from"]["first_name"] == "Uji"


def test_whatsapp_a_nul_in_a_profile_name_a_text_and_a_receipt(gateway, whatsapp_api, db):
    body = webhook([message(USER, text="halo\x00 loker")])
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "Uji\x00"
    raw, headers = signed(body)
    assert gateway.post("/whatsapp/webhook", content=raw, headers=headers).status_code == 200
    assert text_of(whatsapp_api.wait_sent(USER, 1)[0]) == "echo: halo loker"
    raw, headers = signed(webhook(statuses=[status("wamid.\x00X", "failed", USER, error_code=131000)]))
    assert gateway.post("/whatsapp/webhook", content=raw, headers=headers).status_code == 200  # was 503
    raw, headers = signed(webhook([message(USER, text="lagi")]))
    assert gateway.post("/whatsapp/webhook", content=raw, headers=headers).status_code == 200
    assert text_of(whatsapp_api.wait_sent(USER, 2)[1]) == "echo: lagi"
    assert inbound(db) == ["halo loker", "lagi"]
