"""End-to-end: WhatsApp through the real stack against the fake Graph API, configured only with the
WHATSAPP_* variables: verification, signatures, one answer per message id, buttons and lists, non-text,
delivery receipts, the 24-hour window, an outage."""

from __future__ import annotations

import base64
import itertools
import time

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from tests.e2e.conftest import STAFF
from tests.support.fake_whatsapp import VERIFY_TOKEN, message, signed, status, text_of, webhook

pytestmark = pytest.mark.e2e

_users = itertools.count(6281200000000 + int(time.time()) % 100_000 * 10)


@pytest.fixture(autouse=True)
def healthy_api(whatsapp_api):
    """Each test starts with a working Graph API."""
    whatsapp_api.heal()
    yield
    whatsapp_api.heal()


@pytest.fixture
def user() -> str:
    """A WhatsApp number of its own for each test."""
    return str(next(_users))


@pytest.fixture
def post(stack):
    """post(body, secret=...) -> HTTP status of a signed POST /whatsapp/webhook."""
    running, client = stack

    def _post(body: dict, **kw) -> int:
        raw, headers = signed(body, **kw)
        return client.post(f"{running.base_url}/whatsapp/webhook", content=raw, headers=headers, timeout=30).status_code

    return _post


def test_the_verification_handshake(stack):
    running, client = stack
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "8842"}
    ok = client.get(f"{running.base_url}/whatsapp/webhook", params=params)
    assert (ok.status_code, ok.text) == (200, "8842")
    wrong = client.get(f"{running.base_url}/whatsapp/webhook", params={**params, "hub.verify_token": "salah"})
    assert wrong.status_code == 403


def test_a_bad_signature_is_refused_and_a_good_one_gets_the_greeting_as_a_list(post, whatsapp_api, user):
    body = webhook([message(user, text="halo")])
    assert post(body, secret="bukan-rahasia") == 403
    assert post(body) == 200
    [greeting] = whatsapp_api.wait_sent(user, 1)
    interactive = greeting.params["interactive"]
    # four options (with the emergency one): more than WhatsApp's three reply buttons, so a list
    assert interactive["type"] == "list" and "TanyaKerja" in interactive["body"]["text"]
    rows = interactive["action"]["sections"][0]["rows"]
    assert "/check_agency" in [r["id"] for r in rows] and all(len(r["title"]) <= 24 for r in rows)


def test_one_message_id_delivered_twice_gets_one_answer(post, whatsapp_api, user):
    body = webhook([message(user, text="cek PT Uji Bara Kencana Mulia")])
    assert post(body) == 200 and post(body) == 200
    [answer] = whatsapp_api.wait_sent(user, 1)
    assert "DIBEKUKAN" in text_of(answer).upper()
    post(webhook([message(user, text="makasih")]))
    whatsapp_api.wait_sent(user, 2)
    assert len(whatsapp_api.sent(user)) == 2


def test_a_button_press_and_the_help_menu_as_a_list(post, whatsapp_api, user):
    post(webhook([message(user, text="halo")]))
    whatsapp_api.wait_sent(user, 1)
    post(webhook([message(user, "interactive", id="/ask_help", title="Menu bantuan")]))
    [_, menu] = whatsapp_api.wait_sent(user, 2)
    assert menu.params["interactive"]["type"] == "list"  # seven options: a list
    rows = menu.params["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 7 and all(len(r["title"]) <= 24 for r in rows)
    check = next(r for r in rows if r["id"] == "/check_agency")
    post(webhook([message(user, "interactive", id=check["id"], title=check["title"], list=True)]))
    [*_, question] = whatsapp_api.wait_sent(user, 3)
    assert "PT" in text_of(question)


def test_a_long_reply_is_split(long_vacancies, post, whatsapp_api, user):
    post(webhook([message(user, text="loker las di dumai")]))
    whatsapp_api.wait_for(
        lambda _: "".join(map(text_of, whatsapp_api.sent(user))).count("Karya Panjang") >= 5, timeout=60
    )
    parts = [text_of(c) for c in whatsapp_api.sent(user)]
    assert len(parts) >= 2
    assert all(len(p) <= 4096 for p in parts) and parts[0].startswith("Lowongan")
    assert "\n\n".join(parts).count("Karya Panjang") == 5


def test_non_text_gets_a_polite_reply(post, whatsapp_api, user):
    post(webhook([message(user, "image")]))
    [reply] = whatsapp_api.wait_sent(user, 1)
    assert "hanya bisa membaca pesan teks" in text_of(reply)


def test_delivery_receipts_are_recorded(post, whatsapp_api, user, stack):
    post(webhook([message(user, text="halo")]))
    [sent] = whatsapp_api.wait_sent(user, 1)
    wamid = whatsapp_api.message_id_of(sent)
    for state in ("sent", "delivered", "read"):
        assert post(webhook(statuses=[status(wamid, state, user)])) == 200
    engine = create_engine(stack[0].database_url)
    deadline = time.monotonic() + 20
    while True:
        with engine.connect() as conn:
            found = conn.execute(sql("SELECT delivery FROM outbox WHERE external_id = :w"), {"w": wamid}).scalar()
        if found == "read" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    engine.dispose()
    assert found == "read"


def test_a_reply_outside_the_24_hour_window_is_kept_for_staff(post, whatsapp_api, user, stack):
    running, client = stack
    post(webhook([message(user, text="halo", at=int(time.time()) - 26 * 3600)]))  # reached us a day late
    auth = {"Authorization": "Basic " + base64.b64encode(f"{STAFF[0]}:{STAFF[1]}".encode()).decode()}
    deadline = time.monotonic() + 60
    while True:
        lines = client.get(f"{running.base_url}/api/outbox/undelivered", headers=auth).json()
        mine = [line for line in lines if line["user_id"] == "•••" + user[-4:]]  # a phone number: masked
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert mine and mine[0]["reason"] == "window" and "TanyaKerja" in mine[0]["text"]
    assert whatsapp_api.sent(user) == []


def test_an_outage_delivers_everything_after_recovery_in_order(post, whatsapp_api, user):
    whatsapp_api.fail("500")
    for words in ("cek PT Uji Bara Kencana Mulia", "cek PT Uji Cipta Lintas Benua"):
        post(webhook([message(user, text=words)]))
    whatsapp_api.wait_for(lambda calls: sum(c.status == 500 for c in calls) >= 2, timeout=60)
    whatsapp_api.heal()
    parts = [text_of(c) for c in whatsapp_api.wait_sent(user, 2, timeout=120)]
    assert "DIBEKUKAN" in parts[0].upper() and "DICABUT" in parts[1].upper()
