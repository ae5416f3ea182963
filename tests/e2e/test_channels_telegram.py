"""End-to-end: Telegram through the real stack (Rasa, action server, gateway) against the fake Bot API,
configured only with TELEGRAM_TOKEN / TELEGRAM_WEBHOOK_SECRET / TELEGRAM_API_URL."""

from __future__ import annotations

import itertools
import os
import signal
import time

import psutil
import pytest

from tests.e2e.conftest import TELEGRAM_SECRET
from tests.support.fake_telegram import callback_update, sticker_update, text_update

pytestmark = pytest.mark.e2e

_update_ids = itertools.count(int(time.time()) % 100_000 * 1000)


@pytest.fixture(autouse=True)
def healthy_api(telegram_api):
    """Each test starts with a working Bot API."""
    telegram_api.heal()
    yield
    telegram_api.heal()


@pytest.fixture
def send(stack):
    """send(update) -> HTTP status of POST /telegram/webhook with the right secret."""
    running, client = stack

    def _send(update: dict, secret: str | None = TELEGRAM_SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return client.post(f"{running.base_url}/telegram/webhook", json=update, headers=headers, timeout=30).status_code

    return _send


def text(chat: int, words: str) -> dict:
    return text_update(next(_update_ids), chat, words)


def texts(calls) -> list[str]:
    return [c.params["text"] for c in calls]


def test_a_bad_secret_is_refused_and_a_good_one_gets_the_greeting_with_its_menu(send, telegram_api):
    assert send(text(910001, "/start"), secret="salah") == 403
    assert send(text(910001, "/start"), secret=None) == 403
    assert send(text(910001, "/start")) == 200
    [greeting] = telegram_api.wait_sent(910001, 1)
    assert "TanyaKerja" in greeting.params["text"]
    buttons = [row[0]["callback_data"] for row in greeting.params["reply_markup"]["inline_keyboard"]]
    assert "/check_agency" in buttons


def test_one_update_delivered_twice_gets_one_answer(send, telegram_api):
    update = text(910002, "cek PT Uji Bara Kencana Mulia")
    assert send(update) == 200
    assert send(update) == 200
    [answer] = telegram_api.wait_sent(910002, 1)
    assert "DIBEKUKAN" in answer.params["text"].upper()
    assert send(text(910002, "makasih")) == 200
    telegram_api.wait_sent(910002, 2)
    assert len(telegram_api.sent(910002)) == 2


def test_a_button_press_is_acknowledged_and_continues_the_conversation(send, telegram_api):
    send(text(910003, "/start"))
    [greeting] = telegram_api.wait_sent(910003, 1)
    [check] = [
        row[0]
        for row in greeting.params["reply_markup"]["inline_keyboard"]
        if row[0]["callback_data"] == "/check_agency"
    ]
    update = callback_update(next(_update_ids), 910003, check["callback_data"])
    assert send(update) == 200
    [_, question] = telegram_api.wait_sent(910003, 2)
    acks = [c for c in telegram_api.calls if c.method == "answerCallbackQuery"]
    assert update["callback_query"]["id"] in [c.params["callback_query_id"] for c in acks]
    assert "PT" in question.params["text"]  # the agency check asks for the company's name
    send(text(910003, "PT Uji Andalan Samudra Nusantara"))
    [*_, verdict] = telegram_api.wait_sent(910003, 3)
    assert "AKTIF" in verdict.params["text"].upper()


def test_a_long_reply_is_split_into_several_messages_in_order(long_vacancies, send, telegram_api):
    send(text(910004, "loker las di dumai"))
    telegram_api.wait_for(lambda _: "".join(texts(telegram_api.sent(910004))).count("Karya Panjang") >= 5, timeout=60)
    parts = texts(telegram_api.sent(910004))
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert parts[0].startswith("Lowongan")  # the header first, then the vacancies in order
    whole = "\n\n".join(parts)
    assert whole.count("Karya Panjang") == 5 and whole.index("1. Welder") < whole.index("5. Welder")


def test_non_text_messages_get_a_polite_reply(send, telegram_api):
    send(sticker_update(next(_update_ids), 910005))
    [reply] = telegram_api.wait_sent(910005, 1)
    assert "hanya bisa membaca pesan teks" in reply.params["text"]


def test_an_outage_during_a_conversation_delivers_everything_after_recovery_in_order(send, telegram_api):
    telegram_api.fail("500", match=lambda method, p: method == "sendMessage")
    for words in ("halo", "cek PT Uji Bara Kencana Mulia", "cek PT Uji Cipta Lintas Benua"):
        send(text(910006, words))
    telegram_api.wait_for(lambda calls: sum(c.status == 500 for c in calls) >= 2, timeout=60)
    telegram_api.stop()  # then the API is unreachable altogether
    time.sleep(2)
    telegram_api.heal()
    telegram_api.start()
    parts = texts(telegram_api.wait_sent(910006, 3, timeout=120))
    assert "TanyaKerja" in parts[0] or "Halo" in parts[0]
    assert "DIBEKUKAN" in parts[1].upper() and "DICABUT" in parts[2].upper()


def test_a_gateway_restart_with_unsent_messages_loses_nothing(stack, send, telegram_api):
    running, client = stack
    telegram_api.fail("500", match=lambda method, p: method == "sendMessage")
    send(text(910007, "cek PT Uji Bara Kencana Mulia"))
    telegram_api.wait_for(
        lambda calls: any(c.status == 500 and str(c.params.get("chat_id")) == "910007" for c in calls)
    )
    gateways = [p for p in psutil.Process(running.proc.pid).children() if "bot.asgi" in " ".join(p.cmdline())]
    assert len(gateways) == 1
    os.killpg(gateways[0].pid, signal.SIGKILL)
    gateways[0].wait(timeout=10)
    telegram_api.heal()
    [answer] = telegram_api.wait_sent(910007, 1, timeout=150)  # the restarted gateway sends it
    assert "DIBEKUKAN" in answer.params["text"].upper()
    assert "gateway exited" in running.output_path.read_text()
    deadline = time.monotonic() + 60
    while client.get(f"{running.base_url}/healthz").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(1)
