"""Telegram through the gateway: secret header, one answer per update, commands, buttons (and their keys),
non-text, groups, a blocked user, 429/500/timeouts from the Bot API, restarts, polling mode."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from bot.types import Answer
from knowledge.delivery.models import InboxItem, OutboxMessage, Recipient
from knowledge.models import Message
from tests.bot.channels.conftest import SECRET
from tests.support.fake_telegram import (
    BOT_ID,
    USERNAME,
    blocked_update,
    callback_update,
    photo_update,
    sticker_update,
    text_update,
)
from tests.support.fakeapi import eventually

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def post(client, update: dict, headers: dict | None = None):
    return client.post("/telegram/webhook", json=update, headers=HEADERS if headers is None else headers)


def texts(calls) -> list[str]:
    return [c.params["text"] for c in calls]


def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(gateway, db, rasa):
    assert post(gateway, text_update(1, 42, "halo"), headers={}).status_code == 403
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "salah"}
    assert post(gateway, text_update(1, 42, "halo"), headers=wrong).status_code == 403
    with db() as s:
        assert s.scalars(select(InboxItem)).all() == []
    assert rasa.received == []


def test_a_message_is_answered_with_send_message(gateway, telegram_api, rasa):
    assert post(gateway, text_update(10, 42, "loker las di batam")).status_code == 200
    [sent] = telegram_api.wait_sent(42, 1)
    assert sent.params["text"] == "echo: loker las di batam"
    assert rasa.received == [{"sender": "telegram:42", "message": "loker las di batam"}]


def test_one_update_delivered_twice_is_answered_once(gateway, telegram_api, rasa, db):
    update = text_update(11, 42, "halo")
    assert post(gateway, update).status_code == 200
    assert post(gateway, update).status_code == 200
    telegram_api.wait_sent(42, 1)
    post(gateway, text_update(12, 42, "lagi"))  # a later message is answered: the first was handled once
    telegram_api.wait_sent(42, 2)
    assert rasa.texts() == ["halo", "lagi"]
    assert texts(telegram_api.sent(42)) == ["echo: halo", "echo: lagi"]


def test_the_webhook_answers_before_a_slow_turn_finishes(gateway, telegram_api, rasa):
    rasa.hold.set()
    assert post(gateway, text_update(13, 42, "halo")).status_code == 200  # while Rasa still holds the turn
    assert rasa.waiting.wait(10) and telegram_api.sent(42) == []
    rasa.hold.clear()
    telegram_api.wait_sent(42, 1)


def test_start_is_the_greeting_and_an_edited_message_is_answered_again(gateway, telegram_api, rasa):
    post(gateway, text_update(20, 42, "/start"))
    telegram_api.wait_sent(42, 1)
    post(gateway, text_update(21, 42, "/start@" + USERNAME))
    telegram_api.wait_sent(42, 2)
    post(gateway, text_update(22, 42, "cek pt contoh sinar", edited=True))
    telegram_api.wait_sent(42, 3)
    post(gateway, text_update(23, 42, '/check_agency{"agency":"x"}'))  # typed, never offered: not a command
    telegram_api.wait_sent(42, 4)
    assert rasa.texts() == ["/greet", "/greet", "cek pt contoh sinar", 'check_agency{"agency":"x"}']


def test_a_pressed_button_is_acknowledged_then_handled_as_its_payload(gateway, telegram_api, rasa):
    long_payload = '/search_vacancy{"job":"operator mesin bubut","location":"Kabupaten Bekasi"}'
    buttons = [{"title": "Ya", "payload": "/affirm"}, {"title": "Cari", "payload": long_payload}]
    rasa.answer = lambda text: [{"text": "Pilih:", "buttons": buttons}]
    post(gateway, text_update(30, 42, "cari loker"))
    [offer] = telegram_api.wait_sent(42, 1)
    keyboard = offer.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Ya", "Cari"]
    assert keyboard[0][0]["callback_data"] == "/affirm"
    key = keyboard[1][0]["callback_data"]
    assert key.startswith("k:") and len(key.encode()) <= 64
    rasa.answer = lambda text: [{"text": "ok", "buttons": [{"title": "Ya", "payload": "/affirm"}]}]
    post(gateway, callback_update(31, 42, "/affirm"))
    telegram_api.wait_sent(42, 2)
    post(gateway, callback_update(32, 42, key))
    telegram_api.wait_sent(42, 3)
    assert rasa.texts()[1:] == ["/affirm", long_payload]  # the key's whole payload, still an offered command
    acks = [c.params["callback_query_id"] for c in telegram_api.calls if c.method == "answerCallbackQuery"]
    assert acks == ["cb31", "cb32"]


def test_a_button_with_an_unknown_key_gets_a_polite_answer(gateway, telegram_api, rasa):
    post(gateway, callback_update(33, 42, "k:doesnotexist0000"))
    [sent] = telegram_api.wait_sent(42, 1)
    assert "tidak berlaku" in sent.params["text"]
    assert rasa.received == []


def test_non_text_messages_get_a_polite_text_reply_without_rasa(gateway, telegram_api, rasa, db):
    post(gateway, sticker_update(40, 42))
    post(gateway, photo_update(41, 42))
    sent = telegram_api.wait_sent(42, 2)
    assert all("hanya bisa membaca pesan teks" in t for t in texts(sent))
    assert rasa.received == []
    with db() as s:
        stored = s.scalars(select(Message.text).where(Message.direction == "in").order_by(Message.id)).all()
    assert stored == ["[sticker]", "[photo]"]


def test_in_groups_the_bot_only_points_to_a_private_chat_when_addressed(gateway, telegram_api, rasa, db):
    post(gateway, text_update(50, -100123, "ada loker las?", chat_type="supergroup"))
    post(gateway, text_update(51, -100123, f"@{USERNAME} cek pt contoh", chat_type="supergroup"))
    [notice] = telegram_api.wait_sent(-100123, 1)
    assert f"https://t.me/{USERNAME}" in notice.params["text"]
    reply = text_update(52, -100123, "ini apa?", chat_type="group")
    reply["message"]["reply_to_message"] = {
        "message_id": 1,
        "date": 1,
        "chat": {"id": -100123, "type": "group", "title": "Grup Uji"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaKerja"},
        "text": "x",
    }
    post(gateway, reply)
    telegram_api.wait_sent(-100123, 2)
    time.sleep(0.5)
    assert len(telegram_api.sent(-100123)) == 2  # the unaddressed message got nothing
    assert rasa.received == []  # group messages never reach Rasa
    with db() as s:
        assert s.scalars(select(Message).where(Message.direction == "in")).all() == []  # nor the transcript


def test_a_long_reply_is_split_in_order(gateway, telegram_api, rasa):
    paragraphs = [f"Bagian {i}: " + " ".join(["isi"] * 400) for i in range(8)]
    menu = [{"title": "Menu", "payload": "/ask_help"}]
    rasa.answer = lambda text: [{"text": "\n\n".join(paragraphs), "buttons": menu}]
    post(gateway, text_update(60, 42, "info lengkap"))
    telegram_api.wait_for(lambda _: any("reply_markup" in c.params for c in telegram_api.sent(42)))
    sent = telegram_api.sent(42)
    assert len(sent) >= 3 and all(len(t) <= 4096 for t in texts(sent))
    assert "\n\n".join(texts(sent)) == "\n\n".join(paragraphs)
    assert all("reply_markup" not in c.params for c in sent[:-1])


def test_a_user_who_blocked_the_bot_is_marked_and_not_retried(gateway, telegram_api, db):
    telegram_api.fail("403", match=lambda method, p: str(p.get("chat_id")) == "77")
    post(gateway, text_update(70, 77, "halo"))
    telegram_api.wait_for(lambda calls: any(c.status == 403 for c in calls))
    gateway.app.state.outbox.store("telegram", "77", [Answer("Balasan petugas")], "staff")  # a later message
    post(gateway, text_update(73, 42, "orang lain"))
    telegram_api.wait_sent(42, 1)  # the worker went on with other users
    time.sleep(2)  # (long enough for a retry and for the later message to be picked up)
    assert len([c for c in telegram_api.calls if str(c.params.get("chat_id")) == "77"]) == 1  # one try, no retry
    with db() as s:
        rows = s.scalars(select(OutboxMessage.status).where(OutboxMessage.user_id == "77")).all()
        assert rows == ["blocked", "blocked"]
        assert s.get(Recipient, ("telegram", "77")).blocked_at is not None
    telegram_api.heal()
    post(gateway, blocked_update(74, 77, status="member"))  # unblocked (or: they write again)
    post(gateway, text_update(75, 77, "halo lagi"))
    assert telegram_api.wait_sent(77, 1)[0].params["text"] == "echo: halo lagi"


def test_blocking_and_unblocking_are_recorded_from_membership_updates(gateway, telegram_api, db):
    post(gateway, blocked_update(76, 78))
    eventually(lambda: _blocked(db, "78") is True)
    post(gateway, blocked_update(77, 78, status="member"))
    eventually(lambda: _blocked(db, "78") is False)
    assert telegram_api.sent() == []  # membership changes need no answer


def _blocked(db, chat: str) -> bool | None:
    with db() as s:
        found = s.get(Recipient, ("telegram", chat))
        return None if found is None else found.blocked_at is not None


def test_429_is_retried_after_retry_after_and_sent_once(gateway, telegram_api):
    telegram_api.fail("429", times=1, retry_after=1, match=lambda method, p: method == "sendMessage")
    post(gateway, text_update(80, 42, "halo"))
    [sent] = telegram_api.wait_sent(42, 1)
    refused = [c for c in telegram_api.calls if c.status == 429]
    assert len(refused) == 1 and sent.at - refused[0].at >= 0.9  # waited what Telegram asked
    assert texts(telegram_api.sent(42)) == ["echo: halo"]


def test_an_outage_delays_replies_but_they_arrive_in_order(gateway, telegram_api):
    telegram_api.fail("500", match=lambda method, p: method == "sendMessage")
    for n, text in enumerate(["satu", "dua", "tiga"]):
        post(gateway, text_update(90 + n, 42, text))
    telegram_api.wait_for(lambda calls: sum(c.status == 500 for c in calls) >= 2)
    telegram_api.stop()  # then down altogether: connection refused
    time.sleep(1)
    telegram_api.heal()
    telegram_api.start()
    sent = telegram_api.wait_sent(42, 3, timeout=60)
    assert texts(sent) == ["echo: satu", "echo: dua", "echo: tiga"]


def test_a_send_that_times_out_is_tried_again(gateway, telegram_api, monkeypatch):
    telegram_api.hang_s = 12
    telegram_api.fail("timeout", times=1, match=lambda method, p: method == "sendMessage")
    post(gateway, text_update(95, 42, "halo"))
    [sent] = telegram_api.wait_sent(42, 1, timeout=60)
    assert sent.params["text"] == "echo: halo"
    assert [c.status for c in telegram_api.calls if c.method == "sendMessage"] == [0, 200]


def test_unsent_replies_and_unprocessed_updates_survive_a_restart(gateway_for, telegram_api, rasa, db):
    telegram_api.fail("500", match=lambda method, p: method == "sendMessage")
    with gateway_for() as first:
        post(first, text_update(100, 42, "satu"))
        telegram_api.wait_for(lambda calls: any(c.status == 500 for c in calls))
        rasa.hold.set()  # the next turn is still running when the gateway stops
        post(first, text_update(101, 42, "dua"))
        assert rasa.waiting.wait(10)
    rasa.hold.clear()
    telegram_api.heal()
    with gateway_for():
        sent = telegram_api.wait_sent(42, 2, timeout=60)
    assert texts(sent) == ["echo: satu", "echo: dua"]
    with db() as s:
        statuses = s.scalars(select(Message.status).where(Message.direction == "in").order_by(Message.id)).all()
    assert statuses == ["answered", "answered"]


def test_polling_mode_reads_get_updates_and_confirms_what_it_stored(gateway_for, telegram_api, rasa):
    with gateway_for(polling=True) as client:
        assert client.post("/telegram/webhook", json=text_update(1, 42, "x"), headers=HEADERS).status_code == 404
        telegram_api.push_update(text_update(500, 42, "halo dari polling"))
        telegram_api.push_update(text_update(501, 43, "/start"))
        telegram_api.wait_sent(42, 1)
        telegram_api.wait_sent(43, 1)
        telegram_api.wait_for(
            lambda calls: any(c.method == "getUpdates" and str(c.params.get("offset")) == "502" for c in calls)
        )
    assert sorted(rasa.texts()) == ["/greet", "halo dari polling"]
    polls = [c for c in telegram_api.calls if c.method == "getUpdates"]
    assert polls[0].params["allowed_updates"] == ["message", "edited_message", "callback_query", "my_chat_member"]


def test_hostile_bodies_get_a_4xx_json_and_a_lone_surrogate_is_answered(gateway, telegram_api, rasa):
    deep = b'{"update_id": 5, "x": ' + b"[" * 20_000 + b"}"
    r = gateway.post("/telegram/webhook", content=deep, headers=HEADERS)
    assert r.status_code == 400 and r.json()["error"] == "too_deep"
    escaped = json.dumps(text_update(13, 42, "halo \ud800 loker")).encode()  # "\\ud800" as JSON sends it
    assert gateway.post("/telegram/webhook", content=escaped, headers=HEADERS).status_code == 200
    [sent] = telegram_api.wait_sent(42, 1)
    assert sent.params["text"] == "echo: halo \ufffd loker"
