"""The report actions (emergency, fraud report, petugas, cancel) with trackers built in code."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from actions.base import set_session_factory
from actions.reports import (
    ActionCancel,
    ActionFraudConfirm,
    ActionFraudResetField,
    ActionReportEmergency,
    ActionRequestHuman,
    ActionSubmitFraudReport,
    ValidateFraudReportForm,
)
from knowledge.db import make_engine
from knowledge.escalations.store import list_escalations
from knowledge.models import Escalation
from tests.factories import run_action, tracker

SENDER = "telegram:777"


async def test_emergency_gives_the_hotline_first_and_escalates(wired):
    ran = await run_action(
        ActionReportEmergency(),
        tracker("paspor saya ditahan majikan di malaysia", intent="report_emergency", sender=SENDER),
    )
    text, _, _ = ran.text, ran.messages, ran.events
    assert text.index("0800-1000") < text.index("MENDESAK")
    assert "KBRI/KJRI" in text
    with wired() as s:
        [esc] = list_escalations(s)
    assert (esc.reason, esc.priority, esc.channel, esc.user_id) == ("emergency", "urgent", "telegram", "777")


@pytest.mark.parametrize(
    ("story", "wanted", "unwanted"),
    [
        # held in a shelter in Indonesia, money demanded to go home: the police and "do not pay alone"
        (
            "anak sy udh 6 bulan di penampungan PT di daerah cibitung, gk boleh pulang, hp disita. kl mau pulang "
            "disuruh bayar ganti rugi 12 juta",
            ["110", "jangan membayar sendiri"],
            ["peduliwni.kemlu.go.id. Siapkan"],
        ),
        # held abroad: the embassy, not the Indonesian police
        ("suami sy dikurung agen di rumahnya di johor, malaysia, hp diambil", [], ["110"]),
        # a worker the family cannot reach: the missing-person path
        (
            "adik sy kerja di taiwan lewat PT, udh 4 bulan gak ada kabar, nomornya gk aktif",
            ["peduliwni.kemlu.go.id. Siapkan", "kapan terakhir ada kabar"],
            ["110"],
        ),
    ],
)
async def test_an_emergency_story_gets_the_facts_of_its_situation_after_the_hotline(wired, story, wanted, unwanted):
    """Issue 22, class 4: contacts first, then the police for someone held in Indonesia, no ransom paid alone,
    the missing-person path; never assume the writer is abroad."""
    ran = await run_action(ActionReportEmergency(), tracker(story, intent="report_emergency", sender=SENDER))
    text = ran.text
    assert text.index("0800-1000") < min((text.index(w) for w in wanted), default=len(text))
    assert all(w in text for w in wanted), text
    assert not any(u in text for u in unwanted), text


async def test_emergency_with_the_database_down_still_gives_the_hotline(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'gone' / 'x.db'}")
    (tmp_path / "gone").rmdir()
    set_session_factory(sessionmaker(bind=broken))
    try:
        ran = await run_action(ActionReportEmergency(), tracker("tolong adik saya disiksa", intent="report_emergency"))
        text, _, _ = ran.text, ran.messages, ran.events
    finally:
        set_session_factory(None)
        broken.dispose()
    assert "0800-1000" in text and "BELUM tersimpan" in text and "MENDESAK" not in text


async def test_request_human_is_honest_about_waiting(wired):
    ran = await run_action(ActionRequestHuman(), tracker("mau bicara dengan petugas", intent="request_human"))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "belum tentu langsung" in text
    with wired() as s:
        assert list_escalations(s)[0].reason == "request_human"


async def test_fraud_report_collect_change_confirm_store(wired):
    form = ValidateFraudReportForm()
    first = tracker(
        "saya sudah bayar 10 juta ke PT Abal Abal tapi gak berangkat",
        intent="report_fraud",
        entities=[{"entity": "agency", "value": "PT Abal Abal", "start": 28, "end": 40}],
    )
    assert await form.extract_fraud_amount(CollectingDispatcher(), first, {}) == {"fraud_amount": "10 juta"}
    assert await form.extract_fraud_who(CollectingDispatcher(), first, {}) == {"fraud_who": "PT Abal Abal"}
    asked = tracker("di cirebon", slots={"requested_slot": "fraud_where"})
    assert await form.extract_fraud_where(CollectingDispatcher(), asked, {}) == {"fraud_where": "di cirebon"}
    cancel = tracker("batal", intent="cancel", slots={"requested_slot": "fraud_where"})
    assert await form.extract_fraud_where(CollectingDispatcher(), cancel, {}) == {}  # an interruption, not an answer
    assert form.validate_fraud_when("gak tau", CollectingDispatcher(), asked, {}) == {"fraud_when": "tidak diketahui"}

    slots = {"fraud_who": "PT Abal Abal", "fraud_amount": "10 juta", "fraud_where": "Cirebon", "fraud_when": "Mei"}
    ran = await run_action(ActionFraudConfirm(), tracker(slots=slots))
    text, messages, events = ran.text, ran.messages, ran.events
    assert "PT Abal Abal" in text and "10 juta" in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny", "/cancel"]
    assert SlotSet("fraud_pending", True) in events
    # The user changes their mind about the amount.
    ran = await run_action(
        ActionFraudResetField(),
        tracker('/inform{"fraud_field":"fraud_amount"}', entities=[{"entity": "fraud_field", "value": "fraud_amount"}]),
    )
    _, _, events = ran.text, ran.messages, ran.events
    assert events == [SlotSet("fraud_amount", None), SlotSet("fraud_pending", None)]
    slots["fraud_amount"] = "12 juta"
    ran = await run_action(ActionSubmitFraudReport(), tracker("ya", intent="affirm", slots=slots))
    text, _, events = ran.text, ran.messages, ran.events
    assert "sudah kami simpan" in text and "lapor.go.id" in text
    assert SlotSet("fraud_who", None) in events
    with wired() as s:
        esc = s.scalar(select(Escalation))
    assert (esc.reason, esc.priority, esc.details["fraud_amount"]) == ("fraud_report", "high", "12 juta")


async def test_cancel_stores_nothing(wired):
    ran = await run_action(ActionCancel(), tracker("batal", intent="cancel", slots={"fraud_who": "x"}))
    text, _, events = ran.text, ran.messages, ran.events
    assert "Tidak ada yang disimpan" in text
    assert SlotSet("fraud_who", None) in events
    with wired() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 0


async def test_a_complaint_about_an_office_goes_to_a_petugas_with_the_complaint_channels(wired):
    """Issue 22, class 5: escalated, and the official complaint channels, instead of "kurang paham"."""
    from actions.reports import ActionRequestHuman

    story = "sudah lapor ke BP3MI sejak maret tidak ada respon sama sekali soal kasus anak sy"
    ran = await run_action(ActionRequestHuman(), tracker(story, intent="request_human", sender=SENDER))
    assert "lapor.go.id" in ran.text and "0800-1000" in ran.text
    with wired() as s:
        [esc] = list_escalations(s)
    assert esc.reason == "request_human" and esc.priority != "urgent"
