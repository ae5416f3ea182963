"""The fraud report can be sent at any question ("laporin aja"); after it is sent, what follows is added to
it or answered (issue 11)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.reports import (
    ActionFraudConfirm,
    ActionFraudCorrection,
    ActionFraudStart,
    ActionReportFollowup,
    ValidateFraudReportForm,
)
from knowledge.escalations.fraud import asks_where_to_report, extract_fraud_slot, is_send_now
from knowledge.models import Escalation
from knowledge.turns import Entity, Turn
from tests.factories import run_action, tracker

USER = "web:u-fraud"
FULL = {
    "fraud_who": "pak Gino",
    "fraud_amount": "6 juta",
    "fraud_where": "Indramayu",
    "fraud_when": "Mei",
    "fraud_pending": True,
}


@pytest.mark.parametrize(
    "text",
    [
        "iya laporin aja",
        "sudah, itu aja",
        "udah bener semua",
        "Benar, data tersebut sudah lengkap.",
        "ok kirim",
        "nggih, sampun niku mawon",
        "ya udah laporin aja kak",
    ],
)
def test_send_now_phrases(text):
    assert is_send_now(text)


@pytest.mark.parametrize("text", ["di cirebon", "belum ada", "bulan lalu", "ya di cirebon", "tidak tahu", ""])
def test_answers_are_not_send_now(text):
    assert not is_send_now(text)


def test_when_and_where_are_taken_from_the_first_message():
    text = "sy ditipu pak Budi di Cirebon bulan agustus kemarin, transfer 5 juta"
    span = "Cirebon"
    turn = Turn(text=text, intent="report_fraud")
    assert extract_fraud_slot(turn, "fraud_when") == {"fraud_when": "bulan agustus kemarin"}
    located = Turn(
        text=text,
        intent="report_fraud",
        entities=(Entity("location", span, text.index(span), text.index(span) + len(span)),),
    )
    assert extract_fraud_slot(located, "fraud_where") == {"fraud_where": "Cirebon"}
    online = Turn(text="ditipu lewat fb, 3 jt", intent="report_fraud")
    assert extract_fraud_slot(online, "fraud_where") == {"fraud_where": "lewat fb"}


async def test_laporin_aja_at_a_question_fills_the_rest_and_sends(wired):
    slots = {"fraud_who": "mas Anto", "fraud_amount": "5jt", "requested_slot": "fraud_where"}
    ran = await run_action(ValidateFraudReportForm(), tracker("iya laporin aja", intent="affirm", slots=slots))
    assert ran.slot("fraud_where") == "tidak disebutkan" and ran.slot("fraud_when") == "tidak disebutkan"
    filled = {**slots, "fraud_where": "tidak disebutkan", "fraud_when": "tidak disebutkan"}
    sent = await run_action(
        ActionFraudConfirm(), tracker("iya laporin aja", intent="affirm", slots=filled, sender=USER)
    )
    assert "nomor laporan" in sent.text and sent.slot("context") == "report_sent"
    with wired() as s:
        [ticket] = s.scalars(select(Escalation)).all()
        assert ticket.reason == "fraud_report" and "mas Anto" in str(ticket.details)


async def test_that_is_all_at_the_summary_sends_it(wired):
    ran = await run_action(
        ActionFraudCorrection(), tracker("sudah itu saja", intent="goodbye", slots=FULL, sender=USER)
    )
    assert "nomor laporan" in ran.text and ran.slot("fraud_pending") is None


async def test_after_sending_details_are_added_and_money_back_is_answered_honestly(wired):
    await run_action(ActionFraudCorrection(), tracker("iya kirim", intent="affirm", slots=FULL, sender=USER))
    sent = {"context": "report_sent"}
    more = await run_action(
        ActionReportFollowup(),
        tracker("oh iya lupa, dia jg minta ijazah asli sy", intent="report_fraud", slots=sent, sender=USER),
    )
    assert "tambahkan ke laporan nomor" in more.text
    money = await run_action(
        ActionReportFollowup(), tracker("kalo duitnya bisa balik gk?", intent="out_of_scope", slots=sent, sender=USER)
    )
    assert "belum tentu bisa kembali" in money.text and "0800-1000" in money.text
    with wired() as s:
        [ticket] = s.scalars(select(Escalation)).all()
        assert "ijazah asli" in str(ticket.details)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("kalo mau lapor ke mana ya", True),
        ("ngadu kemana kalau ketemu lowongan palsu", True),
        ("dimana bisa melapor penipuan tki", True),
        ("mau lapor, sy ditipu pak Budi 5 juta", False),
        ("saya mau lapor penipuan", False),
    ],
)
def test_where_to_report_is_a_question_not_a_report(text, asks):
    assert asks_where_to_report(Turn(text=text, intent="report_fraud")) is asks


async def test_where_to_report_gets_the_official_places_and_no_form(wired):
    ran = await run_action(ActionFraudStart(), tracker("kalo mau lapor kemana ya", intent="report_fraud"))
    assert "lapor.go.id" in ran.text and ran.slot("context") == "report_info"
    assert ran.buttons[0]["payload"] == "/report_fraud"
    start = await run_action(ActionFraudStart(), tracker("sy ditipu calo 3 juta", intent="report_fraud"))
    # what to do now and the hotline first (issue 22: the advice must not wait for the end of the form)
    assert "jangan bayar lagi" in start.text.lower() and "0800-1000" in start.text
    assert {"event": "followup", "name": "fraud_report_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in start.events
    ]


async def test_a_fraud_story_naming_a_company_gets_the_registry_word_on_it_first(demo_db):
    """Issue 22: what to do now, the hotline and what the registry says of the company named, then the form."""
    from tests.factories import ent

    story = "PT Contoh Bintang Timor Sejahtera udh narik uang 15jt dr kami, skrg kantornya tutup"
    name = "PT Contoh Bintang Timor Sejahtera"
    ran = await run_action(
        ActionFraudStart(), tracker(story, intent="report_fraud", entities=[ent("agency", name, story.index(name))])
    )
    assert "0800-1000" in ran.text and "DICABUT" in ran.text


async def test_a_fraud_story_names_the_red_flags_it_holds(wired):
    """What gave the scam away is said first, so the person knows it next time (issue 22)."""
    story = "sy udh transfer 4jt ke rekening pribadi calo, dijanjiin berangkat pake visa turis, skrg diblokir"
    ran = await run_action(ActionFraudStart(), tracker(story, intent="report_fraud"))
    assert "Tanda bahaya yang ada di cerita Anda" in ran.text and "visa turis" in ran.text
