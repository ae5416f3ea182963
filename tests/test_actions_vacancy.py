"""Vacancy actions with trackers built in code, on the fictional demo data in a fresh database."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.paging import ActionShowMore
from actions.vacancy import ActionSearchVacancies, ValidateVacancySearchForm, current_request, job_from_text



def tracker(text: str = "", *, intent: str = "search_vacancy", entities: list[dict] | None = None,
            slots: dict | None = None) -> Tracker:
    return Tracker(sender_id="u", slots=dict(slots or {}), latest_message={
        "text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")


def ent(name: str, value: str) -> dict:
    return {"entity": name, "value": value}


async def run(action, trk: Tracker) -> tuple[str, list, list]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), dispatcher.messages, events


async def test_search_from_slots(demo_db):
    text, messages, events = await run(ActionSearchVacancies(), tracker(
        "loker las di btm", slots={"job": "las", "location": "btm"}, entities=[ent("job", "las"), ent("location", "btm")]))
    assert "Welder (Juru Las) FCAW" in text and "Kota Batam" in text
    assert "demo-karirhub, demo-bursakerja-kepri" in text  # one vacancy, both sources
    assert "DATA CONTOH FIKTIF" in text
    assert SlotSet("vacancy_page", 0.0) in events


async def test_refine_place_and_education_keeps_the_job(demo_db):
    slots = {"job": "operator produksi", "location": "jawa barat"}
    text, _, _ = await run(ActionSearchVacancies(), tracker("semua jawa barat", slots=slots))
    assert "Otomotif Cikarang" in text and "Plastik Karawang" in text
    text, _, events = await run(ActionSearchVacancies(), tracker(
        "yang di karawang aja", intent="inform", entities=[ent("location", "karawang")], slots=slots))
    assert "Plastik Karawang" in text and "Otomotif Cikarang" not in text
    assert SlotSet("location", "karawang") in events and SlotSet("job", "operator produksi") in events
    text, _, _ = await run(ActionSearchVacancies(), tracker("yang lulusan SMA", intent="inform", slots=slots))
    assert "untuk lulusan SMA/SMK" in text and "Otomotif Cikarang" in text
    text, _, _ = await run(ActionSearchVacancies(), tracker("yang lulusan SMP", intent="inform", slots=slots))
    assert "Belum ada lowongan" in text and "untuk lulusan SMP" in text


async def test_a_place_named_now_ends_an_overseas_search(demo_db):
    slots = {"job": "operator", "country": "Taiwan"}
    request = current_request(tracker("kalau di batam?", intent="inform", slots=slots))
    assert (request.country, request.location) == (None, "batam")
    text, _, _ = await run(ActionSearchVacancies(), tracker("lowongan resmi ke taiwan", entities=[ent("country", "taiwan")]))
    assert "Lowongan resmi ke Taiwan" in text
    assert "DIBEKUKAN" in text  # the hidden order and why


async def test_paging(demo_db):
    slots = {"job": "apa saja", "location": "*", "vacancy_page": 0.0}
    first, messages, _ = await run(ActionSearchVacancies(), tracker("loker apa saja", slots={"job": "*", "location": "*"}))
    assert messages[0]["buttons"] == [{"title": "Lihat lagi", "payload": "/show_more"}]
    second, _, events = await run(ActionShowMore(), tracker("lihat lagi", intent="show_more",
                                                                     slots={**slots, "job": "*"}))
    assert "6. " in second and "1. " not in second
    assert SlotSet("vacancy_page", 1.0) in events


async def test_nothing_found_offers_the_province(demo_db):
    text, messages, _ = await run(ActionSearchVacancies(), tracker(
        "loker operator produksi di bogor", slots={"job": "operator produksi", "location": "kabupaten bogor"}))
    assert "Belum ada lowongan" in text and "Di Jawa Barat ada" in text
    assert messages[0]["buttons"][0]["payload"] == '/search_vacancy{"location":"Jawa Barat"}'


async def test_no_search_yet(demo_db):
    text, _, _ = await run(ActionShowMore(), tracker("lihat lagi", intent="show_more"))
    assert "Belum ada pencarian" in text


@pytest.mark.parametrize(("text", "job"), [("loker las dong", "las"), ("cari kerja jadi sopir", "sopir"),
                                           ("apa saja", "*"), ("loker", None)])
def test_job_from_text(text, job):
    assert job_from_text(text) == job


async def test_form_asks_nothing_for_an_overseas_search():
    form = ValidateVacancySearchForm()
    trk = tracker("lowongan ke hongkong", entities=[ent("country", "hongkong")])
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), trk, {}) == []
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), tracker("loker"), {}) == ["job", "location"]


async def test_form_reads_answers_and_rejects_unknown_places():
    form = ValidateVacancySearchForm()
    asked = {"requested_slot": "location"}
    assert await form.extract_location(CollectingDispatcher(), tracker("di mana saja", intent="inform", slots=asked), {}) == {"location": "*"}
    assert await form.extract_location(CollectingDispatcher(), tracker("btm", intent="inform", slots=asked), {}) == {"location": "btm"}
    dispatcher = CollectingDispatcher()
    assert form.validate_location("kampung antah berantah", dispatcher, tracker(), {}) == {"location": None}
    assert "belum kenal tempat" in dispatcher.messages[0]["text"]
    assert await form.extract_job(CollectingDispatcher(), tracker("jadi satpam", intent="inform",
                                                                  slots={"requested_slot": "job"}), {}) == {"job": "satpam"}


@pytest.mark.parametrize("text", ["eh bukan batam, maksudnya bintan", "bintan, bukan batam"])
def test_a_corrected_place_without_entities_reads_the_place_not_taken_back(text):
    request = current_request(tracker(text, intent="inform", slots={"job": "las", "location": "batam"}))
    assert request.location == "bintan"


LAST_SEARCH = {"job": "las", "location": "batam", "requested_slot": None}


@pytest.mark.parametrize("text", ["cari loker", "/search_vacancy"])
async def test_a_bare_new_search_asks_again_instead_of_repeating_the_last(text):
    form = ValidateVacancySearchForm()
    trk = tracker(text, intent="search_vacancy", slots=dict(LAST_SEARCH, country="Taiwan"))
    assert await form.extract_job(CollectingDispatcher(), trk, {}) == {"job": None}
    assert await form.extract_location(CollectingDispatcher(), trk, {}) == {"location": None}
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), trk, {}) == ["job", "location"]


@pytest.mark.parametrize(("text", "entities"), [
    ("loker di karawang", [{"entity": "location", "value": "karawang", "start": 9}]),
    ('/search_vacancy{"location":"Jawa Barat"}', [{"entity": "location", "value": "Jawa Barat"}]),
    ("cari kerja operator produksi", []),
])
async def test_a_search_naming_the_job_or_the_place_keeps_the_other(text, entities):
    form = ValidateVacancySearchForm()
    trk = tracker(text, intent="search_vacancy", entities=entities, slots=LAST_SEARCH)
    job = await form.extract_job(CollectingDispatcher(), trk, {})
    location = await form.extract_location(CollectingDispatcher(), trk, {})
    assert job.get("job", "kept") is not None and location.get("location", "kept") is not None
