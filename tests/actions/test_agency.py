"""Agency actions with trackers built in code and a fresh SQLite registry per test."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import sessionmaker

from actions.agency import ActionAgencySuggestionReply, ActionCheckAgency, ActionCheckAgencyNow, ValidateAgencyCheckForm
from actions.base import set_session_factory
from knowledge.db import make_engine
from tests.factories import ent, located, run_action, tracker, write  # noqa: F401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PT Uji Andalan Samudra Nusantara", "AKTIF"),
        ("pt. uji bara kencana mulia", "DIBEKUKAN"),
        ("SIP3MI-2023-0412", "DICABUT"),
        ("PT Uji Delta Prima Sejati", "KEDALUWARSA"),  # aktif in the file, but valid_until has passed
    ],
)
async def test_check_agency_verdicts(actions_db, query, expected):
    ran = await run_action(ActionCheckAgency(), tracker(intent="check_agency", slots={"agency_query": query}))
    messages, events = ran.messages, ran.events
    assert expected in messages[0]["text"]
    assert SlotSet("agency_query", None) in events
    assert SlotSet("agency_suggestion", None) in events


async def test_not_found_gives_official_channels(actions_db):
    ran = await run_action(
        ActionCheckAgency(), tracker(intent="check_agency", slots={"agency_query": "PT Zebra Antah Berantah"})
    )
    messages, _ = ran.messages, ran.events
    text = messages[0]["text"]
    assert "tidak ada di salinan registri" in text
    assert "SISKOP2MI" in text
    assert messages[0]["buttons"]


async def test_suggestion_then_yes_and_no(actions_db):
    ran = await run_action(ActionCheckAgency(), tracker(intent="check_agency", slots={"agency_query": "uji andalan"}))
    messages, events = ran.messages, ran.events
    text = messages[0]["text"]
    assert "Maksud Anda PT Uji Andalan Samudra Nusantara" in text
    assert "AKTIF" not in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    assert SlotSet("agency_suggestion", "KEP.771/PPTKIS/III/2020") in events
    slots = {"agency_suggestion": "KEP.771/PPTKIS/III/2020", "agency_suggestion_query": "uji andalan"}
    ran = await run_action(ActionAgencySuggestionReply(), tracker(intent="affirm", slots=slots))
    yes, yes_events = ran.messages, ran.events
    assert "AKTIF" in yes[0]["text"]
    assert SlotSet("agency_suggestion", None) in yes_events
    ran = await run_action(ActionAgencySuggestionReply(), tracker(intent="deny", slots=slots))
    no, _ = ran.messages, ran.events
    assert "uji andalan" in no[0]["text"]
    assert "AKTIF" not in no[0]["text"]
    assert "BUKAN perusahaan itu" in no[0]["text"]  # the look-alike warning
    assert "tidak ada di salinan registri" in no[0]["text"]


async def test_entity_pieces_are_joined_into_the_name():
    text = "pt uji lintas benua sejahtera resmi ga ya kak"
    entities = [
        {"entity": "agency", "value": "uji", "start": 3, "end": 6},
        {"entity": "agency", "value": "benua sejahtera", "start": 14, "end": 29},
    ]
    out = await ValidateAgencyCheckForm().extract_agency_query(
        CollectingDispatcher(), tracker(intent="check_agency", text=text, entities=entities), {}
    )
    assert out == {"agency_query": "pt uji lintas benua sejahtera"}


async def test_unexpected_failure_is_answered_politely_and_clears_the_slot(actions_db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("knowledge.registry.service.lookup_agency", broken)
    ran = await run_action(ActionCheckAgency(), tracker(intent="check_agency", slots={"agency_query": "PT Apa"}))
    messages, events = ran.messages, ran.events
    assert [m.get("response") for m in messages] == ["utter_service_trouble"]
    assert SlotSet("agency_query", None) in events


@pytest.mark.parametrize(
    ("text", "entities", "slots", "expected"),
    [
        (
            "cek dong uji bara kencana",
            [{"entity": "agency", "value": "uji bara kencana", "start": 9, "end": 25}],
            {},
            "uji bara kencana",
        ),
        ("cek PT Uji Bara dr situ katanya resmi gmn", [{"entity": "agency", "value": "situ"}], {}, "pt uji bara"),
        ("bukan PT Uji Bara, yang PT Uji Andalan", [], {}, "pt uji andalan"),
        (
            "izin",
            [{"entity": "license_number", "value": "B.302/KA/V/2022"}, {"entity": "agency", "value": "Bara"}],
            {},
            "B.302/KA/V/2022",
        ),
        ("PT Uji Bara Kencana Mulia", [], {"requested_slot": "agency_query"}, "PT Uji Bara Kencana Mulia"),
        ("/check_agency", [], {}, None),
        ("cek pt resmi gak", [], {}, None),
    ],
)
async def test_form_extracts_the_name(text, entities, slots, expected):
    form = ValidateAgencyCheckForm()
    out = await form.extract_agency_query(
        CollectingDispatcher(), tracker(intent="check_agency", text=text, entities=entities, slots=slots), {}
    )
    assert out.get("agency_query") == expected


async def test_database_down_answers_politely(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}")
    (tmp_path / "no" / "such" / "dir").rmdir()  # make_engine created it; remove so connecting fails
    set_session_factory(sessionmaker(bind=broken))
    try:
        ran = await run_action(
            ActionCheckAgency(), tracker(intent="check_agency", slots={"agency_query": "PT Apa Saja"})
        )
        messages, _ = ran.messages, ran.events
    finally:
        set_session_factory(None)
        broken.dispose()
    assert [m.get("response") for m in messages] == ["utter_service_trouble"]


async def test_a_licence_entity_without_digits_is_not_a_licence():
    text = "cek PT. UJI BARA KENCANA MULIA dong"
    entities = [
        {"entity": "agency", "value": "UJI BARA", "start": 8, "end": 16},
        {"entity": "license_number", "value": "MULIA", "start": 25, "end": 30},
    ]
    out = await ValidateAgencyCheckForm().extract_agency_query(
        CollectingDispatcher(), tracker(intent="check_agency", text=text, entities=entities), {}
    )
    assert out == {"agency_query": "pt uji bara kencana mulia"}


async def test_agency_question_inside_another_form_gets_the_verdict(actions_db):
    trk = tracker(
        intent="check_agency",
        text="eh PT Uji Bara Kencana Mulia itu resmi gak?",
        entities=[{"entity": "agency", "value": "PT Uji Bara Kencana Mulia", "start": 3, "end": 28}],
    )
    ran = await run_action(ActionCheckAgencyNow(), trk)
    messages, events = ran.messages, ran.events
    assert "dibekukan" in messages[0]["text"].lower()
    assert events == []  # the other form keeps its slots and resumes
    assert not messages[0].get("buttons")


async def test_close_name_inside_another_form_is_named_but_not_judged(actions_db):
    trk = tracker(
        intent="check_agency",
        text="pt uji bara kencono mulyo resmi?",
        entities=[{"entity": "agency", "value": "pt uji bara kencono mulyo", "start": 0, "end": 25}],
    )
    ran = await run_action(ActionCheckAgencyNow(), trk)
    messages, events = ran.messages, ran.events
    text = messages[0]["text"]
    assert "tidak persis ada di registri" in text and "PT Uji Bara Kencana Mulia (dibekukan)" in text
    assert not messages[0].get("buttons") and events == []


async def test_agency_question_without_a_name_inside_another_form_says_how_to_ask(actions_db):
    ran = await run_action(ActionCheckAgencyNow(), tracker("pt nya resmi gk ya", intent="check_agency"))
    messages, events = ran.messages, ran.events
    assert "tulis nama PT" in messages[0]["text"] and events == []
