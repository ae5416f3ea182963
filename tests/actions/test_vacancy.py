"""Vacancy actions with trackers built in code, on the fictional demo data in a fresh database."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import turn_of
from actions.paging import ActionShowMore
from actions.vacancy import ActionSearchVacancies, ValidateVacancySearchForm
from knowledge.requests import current_request
from tests.factories import ent, run_action, tracker


async def test_search_from_slots(demo_db):
    ran = await run_action(
        ActionSearchVacancies(),
        tracker(
            "loker las di btm",
            slots={"job": "las", "location": "btm"},
            entities=[ent("job", "las"), ent("location", "btm")],
        ),
    )
    text, events = ran.text, ran.events
    assert "Welder (Juru Las) FCAW" in text and "Kota Batam" in text
    assert "demo-karirhub, demo-bursakerja-kepri" in text  # one vacancy, both sources
    assert "DATA CONTOH FIKTIF" in text
    assert SlotSet("vacancy_page", 0.0) in events


async def test_refine_place_and_education_keeps_the_job(demo_db):
    slots = {"job": "operator produksi", "location": "jawa barat"}
    ran = await run_action(ActionSearchVacancies(), tracker("semua jawa barat", intent="search_vacancy", slots=slots))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "Otomotif Cikarang" in text and "Plastik Karawang" in text
    ran = await run_action(
        ActionSearchVacancies(),
        tracker("yang di karawang aja", intent="inform", entities=[ent("location", "karawang")], slots=slots),
    )
    text, _, events = ran.text, ran.messages, ran.events
    assert "Plastik Karawang" in text and "Otomotif Cikarang" not in text
    assert SlotSet("location", "karawang") in events and SlotSet("job", "operator produksi") in events
    ran = await run_action(ActionSearchVacancies(), tracker("yang lulusan SMA", intent="inform", slots=slots))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "untuk lulusan SMA/SMK" in text and "Otomotif Cikarang" in text
    ran = await run_action(ActionSearchVacancies(), tracker("yang lulusan SMP", intent="inform", slots=slots))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "Belum ada lowongan" in text and "untuk lulusan SMP" in text


async def test_a_place_named_now_ends_an_overseas_search(demo_db):
    slots = {"job": "operator", "country": "Taiwan"}
    request = current_request(turn_of(tracker("kalau di batam?", intent="inform", slots=slots)))
    assert (request.country, request.location) == (None, "batam")
    ran = await run_action(
        ActionSearchVacancies(),
        tracker("lowongan resmi ke taiwan", intent="search_vacancy", entities=[ent("country", "taiwan")]),
    )
    text, _, _ = ran.text, ran.messages, ran.events
    assert "Lowongan resmi ke Taiwan" in text
    assert "DIBEKUKAN" in text  # the hidden order and why


async def test_paging(demo_db):
    slots = {"job": "apa saja", "location": "*", "vacancy_page": 0.0}
    ran = await run_action(
        ActionSearchVacancies(), tracker("loker apa saja", intent="search_vacancy", slots={"job": "*", "location": "*"})
    )
    messages = ran.messages
    assert messages[0]["buttons"] == [{"title": "Lihat lagi", "payload": "/show_more"}]
    ran = await run_action(ActionShowMore(), tracker("lihat lagi", intent="show_more", slots={**slots, "job": "*"}))
    second, _, events = ran.text, ran.messages, ran.events
    assert "6. " in second and "1. " not in second
    assert SlotSet("vacancy_page", 1.0) in events


async def test_nothing_found_offers_the_province(demo_db):
    ran = await run_action(
        ActionSearchVacancies(),
        tracker("loker operator produksi di bogor", slots={"job": "operator produksi", "location": "kabupaten bogor"}),
    )
    text, messages, _ = ran.text, ran.messages, ran.events
    assert "Belum ada lowongan" in text and "Di Jawa Barat ada" in text
    assert messages[0]["buttons"][0]["payload"] == '/search_vacancy{"location":"Jawa Barat"}'


async def test_no_search_yet(demo_db):
    ran = await run_action(ActionShowMore(), tracker("lihat lagi", intent="show_more"))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "Belum ada pencarian" in text


async def test_form_asks_nothing_for_an_overseas_search():
    form = ValidateVacancySearchForm()
    trk = tracker("lowongan ke hongkong", entities=[ent("country", "hongkong")])
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), trk, {}) == []
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), tracker("loker"), {}) == [
        "job",
        "location",
    ]


async def test_form_reads_answers_and_rejects_unknown_places():
    form = ValidateVacancySearchForm()
    asked = {"requested_slot": "location"}
    assert await form.extract_location(
        CollectingDispatcher(), tracker("di mana saja", intent="inform", slots=asked), {}
    ) == {"location": "*"}
    assert await form.extract_location(CollectingDispatcher(), tracker("btm", intent="inform", slots=asked), {}) == {
        "location": "btm"
    }
    dispatcher = CollectingDispatcher()
    assert form.validate_location("kampung antah berantah", dispatcher, tracker(), {}) == {"location": None}
    assert "belum kenal tempat" in dispatcher.messages[0]["text"]
    assert await form.extract_job(
        CollectingDispatcher(), tracker("jadi satpam", intent="inform", slots={"requested_slot": "job"}), {}
    ) == {"job": "satpam"}


LAST_SEARCH = {"job": "las", "location": "batam", "requested_slot": None}


@pytest.mark.parametrize("text", ["cari loker", "/search_vacancy"])
async def test_a_bare_new_search_asks_again_instead_of_repeating_the_last(text):
    form = ValidateVacancySearchForm()
    trk = tracker(text, intent="search_vacancy", slots=dict(LAST_SEARCH, country="Taiwan"))
    assert await form.extract_job(CollectingDispatcher(), trk, {}) == {"job": None}
    assert await form.extract_location(CollectingDispatcher(), trk, {}) == {"location": None}
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), trk, {}) == ["job", "location"]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("loker di karawang", [{"entity": "location", "value": "karawang", "start": 9}]),
        ('/search_vacancy{"location":"Jawa Barat"}', [{"entity": "location", "value": "Jawa Barat"}]),
        ("cari kerja operator produksi", []),
    ],
)
async def test_a_search_naming_the_job_or_the_place_keeps_the_other(text, entities):
    form = ValidateVacancySearchForm()
    trk = tracker(text, intent="search_vacancy", entities=entities, slots=LAST_SEARCH)
    job = await form.extract_job(CollectingDispatcher(), trk, {})
    location = await form.extract_location(CollectingDispatcher(), trk, {})
    assert job.get("job", "kept") is not None and location.get("location", "kept") is not None


async def test_a_search_with_nothing_to_search_that_a_fact_answers_gets_the_fact(demo_db):
    form = ValidateVacancySearchForm()
    question = tracker("perjanjian kerja wajib memuat apa saja", intent="search_vacancy")
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), question, {}) == []
    ran = await run_action(ActionSearchVacancies(), question)
    assert ran.text.startswith("• ") and "Welder" not in ran.text
    # a search that names a job is a search
    search = tracker("loker las di btm", intent="search_vacancy", entities=[ent("job", "las"), ent("location", "btm")])
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), search, {}) == ["job", "location"]
