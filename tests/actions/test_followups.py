"""Follow-ups (issue 11): after an emergency, a list, an offer check or a fraud summary, a message refers to it."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from sqlalchemy import func, select

from actions.followups import ActionListFollowup, ActionOfferFollowup
from actions.guidance import ActionOverseasRequirements, ActionPlacementCost
from actions.paging import ActionShowMore
from actions.reports import (
    ActionEmergencyFollowup,
    ActionFraudCorrection,
    ActionReportEmergency,
    ActionRequestHuman,
    ActionTicketStatus,
    ValidateFraudReportForm,
)
from knowledge.models import Escalation, EscalationStatus
from tests.factories import located, run_action, tracker

USER = "web:u-emergency"


def _tickets(db) -> list[Escalation]:
    with db() as s:
        return list(s.scalars(select(Escalation)))


async def test_after_an_emergency_every_message_is_added_to_the_same_report(wired):
    first = await run_action(
        ActionReportEmergency(), tracker("tolong saya dikurung majikan", intent="report_emergency", sender=USER)
    )
    assert first.slot("emergency_open") is True and "0800-1000" in first.text
    place = "sy di johor bahru"
    ran = await run_action(
        ActionEmergencyFollowup(),
        tracker(
            place,
            intent="inform",
            sender=USER,
            entities=[located(place, "location", "johor bahru")],
            slots={"emergency_open": True},
        ),
    )
    [esc] = _tickets(wired)
    assert f"nomor {esc.id}" in ran.text and "johor bahru" in ran.text
    assert "Pekerjaan apa" not in ran.text and len(ran.text) < 300  # brief, not the whole emergency block again
    cry = await run_action(
        ActionEmergencyFollowup(), tracker("😭😭", intent="nlu_fallback", sender=USER, slots={"emergency_open": True})
    )
    assert "0800-1000" in cry.text and "tidak sendirian" in cry.text
    status = await run_action(
        ActionEmergencyFollowup(), tracker("kapan petugasnya balas?", sender=USER, intent="ask_ticket_status")
    )
    assert f"nomor {esc.id}" in status.text and "menunggu petugas" in status.text
    [esc] = _tickets(wired)
    assert [u["text"] for u in esc.details["updates"]] == [place, "😭😭", "kapan petugasnya balas?"]


async def test_when_staff_closed_the_emergency_the_mode_ends(wired):
    await run_action(ActionReportEmergency(), tracker("paspor saya ditahan", intent="report_emergency", sender=USER))
    with wired() as s, s.begin():
        s.scalar(select(Escalation)).status = EscalationStatus.RESOLVED.value
    ran = await run_action(ActionEmergencyFollowup(), tracker("halo", intent="greet", sender=USER))
    assert "sudah ditutup" in ran.text and ran.slot("emergency_open") is None


async def test_asking_for_a_person_with_an_open_report_gives_its_state_not_a_second_ticket(wired):
    await run_action(ActionReportEmergency(), tracker("saya dipukul majikan", intent="report_emergency", sender=USER))
    ran = await run_action(
        ActionRequestHuman(), tracker("mau bicara sama petugas", intent="request_human", sender=USER)
    )
    assert "darurat nomor" in ran.text
    with wired() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 1


async def test_status_without_any_report(wired):
    ran = await run_action(ActionTicketStatus(), tracker("laporan saya gimana", intent="ask_ticket_status"))
    assert "belum punya laporan" in ran.text and ran.buttons[0]["payload"] == "/request_human"


async def test_fear_is_answered_and_not_stored_as_the_perpetrator(wired):
    form = ValidateFraudReportForm()
    trk = tracker("saya takut kalau lapor nanti dicari", intent="report_fraud", slots={"requested_slot": "fraud_who"})
    ran = await run_action(form, trk)
    assert "Rasa takut itu wajar" in ran.text
    assert not any(e.get("name") == "fraud_who" and e.get("value") for e in ran.events)
    # an explicit empty value: without one, Rasa rejects the form and the message falls back to "kurang paham"
    assert {"event": "slot", "name": "fraud_who", "value": None} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in ran.events
    ]


async def test_the_perpetrator_is_kept_in_the_users_words():
    from knowledge.escalations.service import extract_fraud_slot
    from knowledge.turns import Entity, Turn

    text = "saya ditipu pak Budi dari PT Contoh Abal Abal, sudah bayar dua puluh juta"
    span = "PT Contoh Abal Abal"
    turn = Turn(
        text=text,
        intent="report_fraud",
        entities=(Entity("agency", span, text.index(span), text.index(span) + len(span)),),
    )
    assert extract_fraud_slot(turn, "fraud_who") == {"fraud_who": "pak Budi dari PT Contoh Abal Abal"}
    assert extract_fraud_slot(turn, "fraud_amount") == {"fraud_amount": "dua puluh juta"}


async def test_a_correction_in_words_changes_the_field_and_shows_the_summary_again(wired):
    slots = {
        "fraud_who": "pak Budi",
        "fraud_amount": "5 juta",
        "fraud_where": "Cirebon",
        "fraud_when": "Mei",
        "fraud_pending": True,
    }
    ran = await run_action(
        ActionFraudCorrection(),
        tracker("pelakunya salah, harusnya bu Ani dari PT Contoh", intent="inform", slots=slots),
    )
    assert ran.slot("fraud_who") == "bu Ani dari PT Contoh" and "bu Ani dari PT Contoh" in ran.text
    assert [b["payload"] for b in ran.buttons] == ["/affirm", "/deny", "/cancel"]
    change = await run_action(ActionFraudCorrection(), tracker("ubah", intent="inform", slots=slots))
    assert "Bagian mana" in change.text and len(change.buttons) == 4
    named = await run_action(
        ActionFraudCorrection(),
        tracker("pelakunya harusnya bu Ani dari PT Contoh", intent="check_agency", slots=slots),
    )
    assert named.slot("fraud_who") == "bu Ani dari PT Contoh"
    check = await run_action(
        ActionFraudCorrection(), tracker("cek PT Contoh Lain dulu", intent="check_agency", slots=slots)
    )
    assert {"event": "followup", "name": "agency_check_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in check.events
    ]


async def test_push_back_after_an_offer_check_gets_the_rule(wired):
    ran = await run_action(
        ActionOfferFollowup(),
        tracker(
            "tapi bu Ani orangnya baik kok, sudah banyak yang berangkat", intent="deny", slots={"context": "offer"}
        ),
    )
    assert "Perseorangan" in ran.text and "tidak menemukan tanda bahaya" not in ran.text
    assert SlotSet("context", "offer") in ran.events


async def test_a_stated_age_is_checked_against_the_rules_first(wired):
    korea = await run_action(
        ActionOverseasRequirements(),
        tracker(
            "saya umur 41 mau kerja ke korea lewat eps bisa?",
            intent="ask_overseas_requirements",
            entities=[{"entity": "country", "value": "korea"}],
        ),
    )
    assert korea.text.startswith("❗ Umur 41 tahun di luar batas usia program EPS") and "18–39" in korea.text
    young = await run_action(
        ActionOverseasRequirements(), tracker("anak saya 17 tahun mau jadi tkw", intent="ask_overseas_requirements")
    )
    assert young.text.startswith("❗ Umur 17 tahun belum bisa") and "18 tahun" in young.text


async def test_ship_crew_without_the_kind_of_ship_is_asked_first(wired):
    ran = await run_action(ActionPlacementCost(), tracker("abk", slots={"cost_job": "abk"}))
    assert "kapal ikan" in ran.text.lower() and len(ran.buttons) == 2
    fishing = await run_action(ActionPlacementCost(), tracker("x", slots={"cost_job": "awak kapal perikanan"}))
    assert "BEBAS BIAYA" in fishing.text
    cruise = await run_action(ActionPlacementCost(), tracker("x", slots={"cost_job": "awak kapal pesiar"}))
    assert "tidak termasuk" in cruise.text


async def test_questions_about_a_list_are_answered_from_the_list(demo_db):
    slots = {
        "job": "las",
        "location": "batam",
        "last_search": "vacancy",
        "vacancy_page": 0.0,
        "context": "vacancy_list",
    }
    salary = await run_action(
        ActionListFollowup(), tracker("gajinya berapa? ada mess?", intent="ask_placement_cost", slots=slots)
    )
    assert salary.text.startswith("Gaji yang tercatat") and "Welder" in salary.text and "Rp" in salary.text
    switch = await run_action(ActionListFollowup(), tracker("bukan loker, pelatihannya", intent="deny", slots=slots))
    assert "Pelatihan" in switch.text and switch.slot("last_search") == "training"
    training = {**slots, "last_search": "training", "context": "training_list"}
    register = await run_action(
        ActionListFollowup(), tracker("daftarnya gimana", intent="ask_overseas_requirements", slots=training)
    )
    assert register.text.startswith("Cara daftar") and "contoh.invalid" in register.text
    assert "paspor" not in register.text.lower()
    other = await run_action(
        ActionListFollowup(),
        tracker("biaya ke taiwan brp", intent="ask_placement_cost", slots={**slots, "context": "vacancy_list"}),
    )
    assert other.events[-1] == {"event": "followup", "timestamp": None, "name": "placement_cost_form"}


async def test_show_more_only_right_after_a_list(demo_db):
    story = await run_action(
        ActionShowMore(),
        tracker(
            "trs dia minta uang lagi buat visa", intent="show_more", slots={"job": "las", "last_search": "vacancy"}
        ),
    )
    # the fallback runs in the same turn (a FollowupAction to a non-form action would loop in Rasa)
    assert not any(e["event"] == "followup" for e in story.events)
    assert "kurang" in story.text and "Lowongan" not in story.text


async def test_a_hand_over_to_a_response_utters_it_in_the_same_turn(demo_db):
    ran = await run_action(
        ActionListFollowup(),
        tracker("bisa bantu apa aja", intent="ask_help", slots={"job": "las", "context": "vacancy_list"}),
    )
    assert [m.get("response") for m in ran.messages] == ["utter_help"]
    assert SlotSet("context", None) in ran.events and not any(e["event"] == "followup" for e in ran.events)
