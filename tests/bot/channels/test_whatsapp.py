"""WhatsApp through the gateway: verification, signatures, one answer per message id, buttons/lists/numbered
options, non-text, delivery receipts, the 24-hour window shown to staff, retries after 429 and 500."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from sqlalchemy import select

from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.delivery.models import InboxItem, OutboxMessage
from tests.support.fake_whatsapp import APP_SECRET, VERIFY_TOKEN, message, signed, status, text_of, webhook
from tests.support.fakeapi import eventually

USER = "6281234567890"


def post(client, body: dict, secret: str = APP_SECRET):
    raw, headers = signed(body, secret)
    return client.post("/whatsapp/webhook", content=raw, headers=headers)


def say(client, text: str, user: str = USER, **kw):
    return post(client, webhook([message(user, text=text, **kw)]))


def test_the_verification_handshake(gateway):
    ok = gateway.get(
        "/whatsapp/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.text == "1158201444" and ok.headers["content-type"].startswith("text/plain")
    wrong = gateway.get(
        "/whatsapp/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403
    bad_mode = gateway.get(
        "/whatsapp/webhook", params={"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
    )
    assert bad_mode.status_code == 403


def test_a_bad_or_missing_signature_is_refused_before_parsing(gateway, db, rasa):
    body = webhook([message(USER, text="halo")])
    assert post(gateway, body, secret="bukan-rahasia").status_code == 403
    raw, _ = signed(body)
    assert gateway.post("/whatsapp/webhook", content=raw).status_code == 403
    assert (
        gateway.post(
            "/whatsapp/webhook", content=b"{not json", headers={"X-Hub-Signature-256": "sha256=00"}
        ).status_code
        == 403
    )
    with db() as s:
        assert s.scalars(select(InboxItem)).all() == []
    assert rasa.received == []


def test_a_message_is_answered_through_the_graph_api(gateway, whatsapp_api, rasa):
    assert say(gateway, "loker las di batam").status_code == 200
    [sent] = whatsapp_api.wait_sent(USER, 1)
    assert sent.headers["Authorization"].startswith("Bearer ")
    assert sent.params["messaging_product"] == "whatsapp" and text_of(sent) == "echo: loker las di batam"
    assert rasa.received == [{"sender": f"whatsapp:{USER}", "message": "loker las di batam"}]


def test_one_message_id_delivered_twice_is_answered_once(gateway, whatsapp_api, rasa):
    body = webhook([message(USER, text="halo", msg_id="wamid.SAME1")])
    assert post(gateway, body).status_code == 200
    assert post(gateway, body).status_code == 200
    whatsapp_api.wait_sent(USER, 1)
    say(gateway, "lagi")
    whatsapp_api.wait_sent(USER, 2)
    assert rasa.texts() == ["halo", "lagi"]


def test_messages_for_another_number_are_ignored(gateway, whatsapp_api, rasa, db):
    body = webhook([message(USER, text="halo")])
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert post(gateway, body).status_code == 200
    with db() as s:
        assert s.scalars(select(InboxItem)).all() == []


def _offer(rasa, n: int) -> list[dict]:
    buttons = [{"title": f"Pilihan nomor {i}", "payload": f'/inform{{"n":"{i}"}}'} for i in range(1, n + 1)]
    rasa.answer = lambda text: [{"text": "Pilih:", "buttons": buttons}]
    return buttons


def test_three_buttons_are_reply_buttons_and_a_press_comes_back_as_its_payload(gateway, whatsapp_api, rasa):
    buttons = _offer(rasa, 3)
    say(gateway, "menu")
    [offer] = whatsapp_api.wait_sent(USER, 1)
    interactive = offer.params["interactive"]
    assert interactive["type"] == "button" and len(interactive["action"]["buttons"]) == 3
    rasa.answer = lambda text: [{"text": "ok"}]
    post(gateway, webhook([message(USER, "interactive", id=buttons[1]["payload"], title="Pilihan nomor 2")]))
    whatsapp_api.wait_sent(USER, 2)
    assert rasa.texts()[-1] == buttons[1]["payload"]


def test_a_list_of_eight_and_a_list_reply(gateway, whatsapp_api, rasa):
    buttons = _offer(rasa, 8)
    say(gateway, "menu")
    [offer] = whatsapp_api.wait_sent(USER, 1)
    assert offer.params["interactive"]["type"] == "list"
    rows = offer.params["interactive"]["action"]["sections"][0]["rows"]
    post(gateway, webhook([message(USER, "interactive", id=rows[7]["id"], list=True)]))
    whatsapp_api.wait_sent(USER, 2)
    assert rasa.texts()[-1] == buttons[7]["payload"]


def test_twelve_options_are_numbered_text_and_a_number_picks_one(gateway, whatsapp_api, rasa):
    buttons = _offer(rasa, 12)
    say(gateway, "menu")
    [offer] = whatsapp_api.wait_sent(USER, 1)
    assert offer.params["type"] == "text" and "12. Pilihan nomor 12" in text_of(offer)
    say(gateway, "12")
    whatsapp_api.wait_sent(USER, 2)
    assert rasa.texts()[-1] == buttons[11]["payload"]


def test_non_text_gets_a_polite_reply_and_reactions_nothing(gateway, whatsapp_api, rasa):
    post(gateway, webhook([message(USER, "image"), message(USER, "sticker"), message(USER, "location")]))
    sent = whatsapp_api.wait_sent(USER, 3)
    assert all("hanya bisa membaca pesan teks" in text_of(c) for c in sent)
    post(gateway, webhook([message(USER, "reaction")]))
    say(gateway, "halo")
    whatsapp_api.wait_sent(USER, 4)
    time.sleep(0.5)
    assert len(whatsapp_api.sent(USER)) == 4 and rasa.texts() == ["halo"]


def test_long_replies_are_split(gateway, whatsapp_api, rasa):
    rasa.answer = lambda text: [{"text": "\n\n".join(f"Bagian {i}: " + " ".join(["isi"] * 400) for i in range(6))}]
    say(gateway, "info")
    sent = whatsapp_api.wait_sent(USER, 3)
    assert all(len(text_of(c)) <= 4096 for c in sent) and text_of(sent[0]).startswith("Bagian 0")


def test_delivery_receipts_are_recorded_against_our_messages(gateway, whatsapp_api, db):
    say(gateway, "halo")
    [sent] = whatsapp_api.wait_sent(USER, 1)
    wamid = whatsapp_api.message_id_of(sent)
    for state in ("sent", "delivered", "read"):
        assert post(gateway, webhook(statuses=[status(wamid, state, USER)])).status_code == 200
    with db() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.external_id == wamid)).one()
        assert (row.status, row.delivery) == ("sent", "read")


def _staff_headers(db) -> dict:
    with session_scope(db) as s:
        add_staff(s, "petugas-uji", "kata-sandi-uji-123")
    return {"Authorization": "Basic " + base64.b64encode(b"petugas-uji:kata-sandi-uji-123").decode()}


def test_outside_the_24_hour_window_nothing_is_sent_and_staff_see_why(gateway, whatsapp_api, rasa, db):
    day_old = int(time.time()) - 25 * 3600
    post(gateway, webhook([message(USER, text="halo kemarin", at=day_old)]))  # delivered to us a day late
    say(gateway, "halo", user="6289999")  # another user, inside the window
    whatsapp_api.wait_sent("6289999", 1)
    headers = _staff_headers(db)
    assert gateway.get("/api/outbox/undelivered").status_code == 401
    # the two users' turns run concurrently, so wait for the late one instead of assuming an order
    for _ in range(100):
        lines = gateway.get("/api/outbox/undelivered", headers=headers).json()
        if lines:
            break
        time.sleep(0.05)
    assert sorted(rasa.texts()) == ["halo", "halo kemarin"]  # the old message is still answered by the bot...
    [line] = lines
    # the user id is a phone number: masked for staff, as on the dashboard
    assert (line["user_id"], line["reason"], line["text"]) == ("•••" + USER[-4:], "window", "echo: halo kemarin")
    assert whatsapp_api.sent(USER) == []  # ...but the reply is kept for staff, not sent


def test_a_window_refusal_from_the_api_and_a_failed_receipt_reach_staff(gateway, whatsapp_api, db):
    whatsapp_api.fail("window", times=1)
    say(gateway, "halo")
    whatsapp_api.wait_for(lambda calls: any(c.status == 400 for c in calls))
    say(gateway, "lagi")
    [sent] = whatsapp_api.wait_sent(USER, 1)
    post(gateway, webhook(statuses=[status(whatsapp_api.message_id_of(sent), "failed", USER, error_code=131026)]))
    headers = _staff_headers(db)
    for _ in range(50):
        lines = gateway.get("/api/outbox/undelivered", headers=headers).json()
        if len(lines) == 2:
            break
        time.sleep(0.1)
    assert sorted(line["reason"] for line in lines) == ["undeliverable", "window"]


def test_429_and_500_are_retried_and_replies_stay_in_order(gateway, whatsapp_api):
    whatsapp_api.fail("429", times=1)
    whatsapp_api.fail("500", times=2)
    for text in ("satu", "dua", "tiga"):
        say(gateway, text)
    sent = whatsapp_api.wait_sent(USER, 3, timeout=60)
    assert [text_of(c) for c in sent] == ["echo: satu", "echo: dua", "echo: tiga"]
    assert sorted(c.status for c in whatsapp_api.calls if c.status != 200) == [429, 500, 500]


def test_a_receipt_that_beats_our_own_record_of_the_send_is_kept_until_it_matches(gateway, whatsapp_api, db):
    first_id = "wamid.UJI000001"  # the id the fake will give our first message
    assert post(gateway, webhook(statuses=[status(first_id, "delivered", USER)])).status_code == 200
    say(gateway, "halo")
    whatsapp_api.wait_sent(USER, 1)

    def delivered() -> bool:
        with db() as s:
            return s.scalars(select(OutboxMessage.delivery).where(OutboxMessage.external_id == first_id)).first() == (
                "delivered"
            )

    eventually(delivered, timeout=20)


def test_hostile_bodies_get_a_4xx_json_and_a_lone_surrogate_is_answered(gateway, whatsapp_api, rasa):
    deep = b'{"entry": ' + b"[" * 20_000 + b"}"
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), deep, hashlib.sha256).hexdigest()
    r = gateway.post("/whatsapp/webhook", content=deep, headers={"X-Hub-Signature-256": signature})
    assert r.status_code == 400 and r.json()["error"] == "too_deep"
    assert say(gateway, "halo \udfff loker").status_code == 200
    eventually(lambda: rasa.texts() == ["halo \ufffd loker"])
