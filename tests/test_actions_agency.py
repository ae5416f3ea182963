"""Agency actions with trackers built in code and a fresh SQLite registry per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import sessionmaker

from actions.agency import ActionAgencySuggestionReply, ActionCheckAgency, ActionCheckAgencyNow, ValidateAgencyCheckForm
from actions.deps import set_session_factory
from knowledge.db import init_db, make_engine, session_scope
from knowledge.import_agencies import import_agencies

REGISTRY = """name,license_number,status,valid_until,province,city,address,phone,countries
PT Uji Andalan Samudra Nusantara,KEP.771/PPTKIS/III/2020,aktif,2030-12-31,Jawa Timur,Malang,,,Taiwan;Hong Kong
PT Uji Bara Kencana Mulia,B.302/KA/V/2022,dibekukan,2030-06-30,Jawa Barat,Cirebon,,,Malaysia
PT Uji Cipta Lintas Benua,SIP3MI-2023-0412,dicabut,,Nusa Tenggara Barat,Mataram,,,Arab Saudi
PT Uji Delta Prima Sejati,KEP.55/PPTKIS/I/2019,aktif,2024-01-31,Jawa Tengah,Semarang,,,Singapura
"""


@pytest.fixture
def registry(tmp_path: Path):
    """A registry in a fresh SQLite file, wired into the actions' session factory."""
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    init_db(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    csv_path = tmp_path / "agencies.csv"
    csv_path.write_text(REGISTRY, encoding="utf-8")
    with session_scope(factory) as session:
        import_agencies(session, csv_path, as_of=None)
    set_session_factory(factory)
    yield factory
    set_session_factory(None)
    engine.dispose()


def tracker(*, text: str = "", intent: str = "check_agency", entities: list[dict] | None = None,
            slots: dict | None = None) -> Tracker:
    """A tracker whose latest message is `text`."""
    return Tracker(
        sender_id="test-user", slots=dict(slots or {}),
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


async def run_action(action, trk: Tracker) -> tuple[list[dict], list]:
    """Run an action the way the action server does; returns (messages, events)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PT Uji Andalan Samudra Nusantara", "AKTIF"),
        ("pt. uji bara kencana mulia", "DIBEKUKAN"),
        ("SIP3MI-2023-0412", "DICABUT"),
        ("PT Uji Delta Prima Sejati", "KEDALUWARSA"),  # aktif in the file, but valid_until has passed
    ],
)
async def test_check_agency_verdicts(registry, query, expected):
    messages, events = await run_action(ActionCheckAgency(), tracker(slots={"agency_query": query}))
    assert expected in messages[0]["text"]
    assert SlotSet("agency_query", None) in events
    assert SlotSet("agency_suggestion", None) in events


async def test_not_found_gives_official_channels(registry):
    messages, _ = await run_action(ActionCheckAgency(), tracker(slots={"agency_query": "PT Zebra Antah Berantah"}))
    text = messages[0]["text"]
    assert "tidak ada di salinan registri" in text
    assert "SISKOP2MI" in text
    assert messages[0]["buttons"]


async def test_suggestion_then_yes_and_no(registry):
    messages, events = await run_action(ActionCheckAgency(), tracker(slots={"agency_query": "uji andalan"}))
    text = messages[0]["text"]
    assert "Maksud Anda PT Uji Andalan Samudra Nusantara" in text
    assert "AKTIF" not in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    assert SlotSet("agency_suggestion", "KEP.771/PPTKIS/III/2020") in events
    slots = {"agency_suggestion": "KEP.771/PPTKIS/III/2020", "agency_suggestion_query": "uji andalan"}
    yes, yes_events = await run_action(ActionAgencySuggestionReply(), tracker(intent="affirm", slots=slots))
    assert "AKTIF" in yes[0]["text"]
    assert SlotSet("agency_suggestion", None) in yes_events
    no, _ = await run_action(ActionAgencySuggestionReply(), tracker(intent="deny", slots=slots))
    assert "uji andalan" in no[0]["text"]
    assert "AKTIF" not in no[0]["text"]
    assert "BUKAN perusahaan itu" in no[0]["text"]  # the look-alike warning
    assert "tidak ada di salinan registri" in no[0]["text"]


async def test_entity_pieces_are_joined_into_the_name():
    text = "pt uji lintas benua sejahtera resmi ga ya kak"
    entities = [{"entity": "agency", "value": "uji", "start": 3, "end": 6},
                {"entity": "agency", "value": "benua sejahtera", "start": 14, "end": 29}]
    out = await ValidateAgencyCheckForm().extract_agency_query(
        CollectingDispatcher(), tracker(text=text, entities=entities), {})
    assert out == {"agency_query": "pt uji lintas benua sejahtera"}


async def test_unexpected_failure_is_answered_politely_and_clears_the_slot(registry, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr("actions.agency.lookup_agency", broken)
    messages, events = await run_action(ActionCheckAgency(), tracker(slots={"agency_query": "PT Apa"}))
    assert [m.get("response") for m in messages] == ["utter_service_trouble"]
    assert SlotSet("agency_query", None) in events


@pytest.mark.parametrize(
    ("text", "entities", "slots", "expected"),
    [
        ("cek pt x", [{"entity": "agency", "value": "PT Uji Bara"}], {}, "PT Uji Bara"),
        ("izin", [{"entity": "license_number", "value": "B.302/KA/V/2022"},
                  {"entity": "agency", "value": "Bara"}], {}, "B.302/KA/V/2022"),
        ("PT Uji Bara Kencana Mulia", [], {"requested_slot": "agency_query"}, "PT Uji Bara Kencana Mulia"),
        ("/check_agency", [], {}, None),
        ("cek pt resmi gak", [], {}, None),
    ],
)
async def test_form_extracts_the_name(text, entities, slots, expected):
    form = ValidateAgencyCheckForm()
    out = await form.extract_agency_query(CollectingDispatcher(), tracker(text=text, entities=entities, slots=slots), {})
    assert out.get("agency_query") == expected


async def test_database_down_answers_politely(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}")
    (tmp_path / "no" / "such" / "dir").rmdir()  # make_engine created it; remove so connecting fails
    set_session_factory(sessionmaker(bind=broken))
    try:
        messages, _ = await run_action(ActionCheckAgency(), tracker(slots={"agency_query": "PT Apa Saja"}))
    finally:
        set_session_factory(None)
        broken.dispose()
    assert [m.get("response") for m in messages] == ["utter_service_trouble"]


async def test_a_licence_entity_without_digits_is_not_a_licence():
    text = "cek PT. UJI BARA KENCANA MULIA dong"
    entities = [{"entity": "agency", "value": "UJI BARA", "start": 8, "end": 16},
                {"entity": "license_number", "value": "MULIA", "start": 25, "end": 30}]
    out = await ValidateAgencyCheckForm().extract_agency_query(
        CollectingDispatcher(), tracker(text=text, entities=entities), {})
    assert out == {"agency_query": "pt uji bara kencana mulia"}


async def test_agency_question_inside_another_form_gets_the_verdict(registry):
    trk = tracker(text="eh PT Uji Bara Kencana Mulia itu resmi gak?",
                  entities=[{"entity": "agency", "value": "PT Uji Bara Kencana Mulia", "start": 3, "end": 28}])
    messages, events = await run_action(ActionCheckAgencyNow(), trk)
    assert "dibekukan" in messages[0]["text"].lower()
    assert events == []  # the other form keeps its slots and resumes
    assert not messages[0].get("buttons")


async def test_close_name_inside_another_form_is_named_but_not_judged(registry):
    trk = tracker(text="pt uji bara kencono mulyo resmi?",
                  entities=[{"entity": "agency", "value": "pt uji bara kencono mulyo", "start": 0, "end": 25}])
    messages, events = await run_action(ActionCheckAgencyNow(), trk)
    text = messages[0]["text"]
    assert "tidak persis ada di registri" in text and "PT Uji Bara Kencana Mulia (dibekukan)" in text
    assert not messages[0].get("buttons") and events == []


async def test_agency_question_without_a_name_inside_another_form_says_how_to_ask(registry):
    messages, events = await run_action(ActionCheckAgencyNow(), tracker(text="pt nya resmi gk ya"))
    assert "tulis nama PT" in messages[0]["text"] and events == []
