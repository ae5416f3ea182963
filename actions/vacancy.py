"""Vacancy search: the form that collects job and place, the search, paging and refining."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    INTERRUPTIONS, answers_politely, latest_entity, latest_intent, latest_text, negated_at, send_answer,
)
from actions.deps import get_session_factory
from knowledge.messages import load_messages
from knowledge.places import place_label
from knowledge.regions import get_gazetteer
from knowledge.text import fold
from knowledge.training_answer import related_training_line, training_button
from knowledge.training_search import TrainingQuery, search_trainings
from knowledge.vacancy_answer import VacancyAnswer, message, none_found_answer, results_answer
from knowledge.vacancy_search import VacancyQuery, count_elsewhere_in_province, search_vacancies
from knowledge.vocab import education_label, education_level, find_country, normalize_country, occupation_tags, occupations

ANYWHERE = "*"
_ANYWHERE_WORDS = {"di mana saja", "dimana saja", "mana saja", "mana aja", "dimana aja", "di mana aja", "bebas",
                   "semua", "semuanya", "seluruh indonesia", "se indonesia", "indonesia", "dimana mana", "di mana mana",
                   "terserah", "mana mana", "mn aja", "dmn aja", "bebas dimana aja", "di mana pun", "dimanapun"}
_ANY_JOB_WORDS = {"apa saja", "apa aja", "semua", "bebas", "apapun", "apa pun", "terserah", "semua pekerjaan"}
# Words around a job in free text ("cari loker las dong") that are not the job.
_JOB_FILLER = {"cari", "carikan", "mencari", "nyari", "loker", "lowongan", "kerja", "kerjaan", "pekerjaan", "info", "ada",
               "gak", "gk", "ga", "nggak", "min", "kak", "dong", "ya", "yang", "sebagai", "jadi", "mau", "pengen", "ingin",
               "saya", "sy", "aku", "di", "ke", "buat", "untuk", "bagian", "posisi", "lulusan"}


@dataclass(frozen=True)
class SearchRequest:
    """What to search for, from the latest message first and the remembered slots second."""

    job: str
    location: str
    education: str
    country: str | None


def _mentioned_place(tracker: Tracker) -> str | None:
    entity = latest_entity(tracker, "location")
    if entity:
        return entity
    text = latest_text(tracker)
    if fold(text) in _ANYWHERE_WORDS:
        return ANYWHERE
    found = get_gazetteer().find_in_text(text) if text and not text.startswith("/") else []
    if len(found) > 1:  # a correction ("eh bukan batam, maksudnya bintan"): the place not taken back
        kept = [m for m in found if not negated_at(text, m.start)]
        return (kept or found)[0].text
    return found[0].text if found else None


def _mentioned_country(tracker: Tracker) -> str | None:
    entity = latest_entity(tracker, "country")
    if entity:
        return normalize_country(entity) or entity
    text = latest_text(tracker)
    return find_country(text) if text and not text.startswith("/") else None


def _mentioned_education(tracker: Tracker) -> str | None:
    entity = latest_entity(tracker, "education")
    if entity:
        return entity
    text = latest_text(tracker)
    return text if text and "lulus" in fold(text) and education_level(text) is not None else None


def current_request(tracker: Tracker) -> SearchRequest:
    """Merge the latest message into the remembered search: a place named now means a domestic search."""
    country = _mentioned_country(tracker)
    place = _mentioned_place(tracker)
    if country is None and place is None:
        country = tracker.get_slot("country")
    return SearchRequest(
        job=tracker.get_slot("job") or "",
        location=place or tracker.get_slot("location") or "",
        education=_mentioned_education(tracker) or tracker.get_slot("education") or "",
        country=country,
    )


def job_from_text(text: str) -> str | None:
    """The job in a free-text answer ("loker las dong" -> "las"); '*' for 'apa saja'."""
    folded = fold(text)
    if folded in _ANY_JOB_WORDS:
        return ANYWHERE
    words = [w for w in folded.split() if w not in _JOB_FILLER]
    return " ".join(words) or None


class ValidateVacancySearchForm(FormValidationAction):
    """Collects `job` and `location` (not needed for an overseas search, which names a country)."""

    def name(self) -> str:
        """Action name."""
        return "validate_vacancy_search_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        """No questions for an overseas search; otherwise job then place (always for a bare new search)."""
        return [] if current_request(tracker).country and not self._bare_new_search(tracker) else domain_slots

    @staticmethod
    def _bare_new_search(tracker: Tracker) -> bool:
        """'cari loker' with no job and no place: a new search that asks again instead of repeating the last.

        A message that names one of them (typed, or a button such as '/search_vacancy{"location":...}') keeps
        the other from the last search: that is how refining and the links between answers work.
        """
        if tracker.get_slot("requested_slot") is not None:
            return False
        if latest_intent(tracker) not in ("search_vacancy", "search_training"):
            return False
        text = latest_text(tracker)
        typed = "" if text.startswith("/") else text
        return not (latest_entity(tracker, "job") or (typed and occupation_tags(typed)) or _mentioned_place(tracker)
                    or _mentioned_country(tracker))

    async def extract_job(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """The job entity, occupation words in the message, or the whole answer to 'Pekerjaan apa?'."""
        if self._bare_new_search(tracker):
            return {"job": None}
        if latest_intent(tracker) in INTERRUPTIONS:
            return {}  # "PT X di batam resmi gak?" mid-form is not an answer to the form
        entity = latest_entity(tracker, "job")
        if entity:
            return {"job": entity}
        text = latest_text(tracker)
        if not text or text.startswith("/"):
            return {}
        if tracker.get_slot("requested_slot") == "job" and latest_intent(tracker) not in INTERRUPTIONS:
            return {"job": job_from_text(text)}
        if occupation_tags(text):
            return {"job": job_from_text(text)}
        return {}

    async def extract_location(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        """A place named in the message; when we asked for it, the whole answer."""
        if latest_intent(tracker) in INTERRUPTIONS:
            return {}
        place = _mentioned_place(tracker)
        if place:
            return {"location": place}
        text = latest_text(tracker)
        if (tracker.get_slot("requested_slot") == "location" and text and not text.startswith("/")
                and latest_intent(tracker) not in INTERRUPTIONS):
            return {"location": text}
        if self._bare_new_search(tracker):
            return {"location": None}
        return {}

    def validate_job(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> dict[str, Any]:
        """A job needs at least one word."""
        value = str(slot_value or "").strip()
        return {"job": value[:100] if value and (value == ANYWHERE or fold(value)) else None}

    def validate_location(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> dict[str, Any]:
        """'*' (anywhere) or a place the gazetteer knows; otherwise say so and ask again."""
        value = str(slot_value or "").strip()
        if value == ANYWHERE or fold(value) in _ANYWHERE_WORDS:
            return {"location": ANYWHERE}
        gaz = get_gazetteer()
        if gaz.resolve(value) or gaz.find_in_text(value):
            return {"location": value[:100]}
        dispatcher.utter_message(text=message("unknown_place", place=value[:60]))
        return {"location": None}


def regions_of(location: str) -> tuple[str, ...] | None:
    """Region codes of a place; () for anywhere; None when the place is unknown."""
    if not location or location == ANYWHERE:
        return ()
    gaz = get_gazetteer()
    match = gaz.resolve(location)
    if match is None:
        found = gaz.find_in_text(location)
        match = found[0] if found else None
    return tuple(r.code for r in match.regions) if match else None


def search_labels(request: SearchRequest, regions: tuple[str, ...], kind: str = "vacancy") -> tuple[str, str]:
    """(job or field label, place label) for answer headers."""
    copy = load_messages(kind)
    any_job = copy["any_job"] if kind == "vacancy" else copy["any_field"]
    job = request.job if request.job and request.job != ANYWHERE else any_job
    tags = occupation_tags(job)
    if len(tags) == 1:
        job = occupations()[next(iter(tags))].label.lower()
    if not regions:
        return job, copy["anywhere"]
    gaz = get_gazetteer()
    names = [gaz.get(code).name for code in regions]
    return job, " / ".join(names[:3])


def run_search(dispatcher: CollectingDispatcher, request: SearchRequest, page: int) -> list[EventType]:
    """Search, answer, and remember the search (slots) for paging and refining."""
    remember = [SlotSet("job", request.job or None), SlotSet("location", request.location or None),
                SlotSet("education", request.education or None), SlotSet("country", request.country),
                SlotSet("vacancy_page", float(page)), SlotSet("last_search", "vacancy")]
    regions = regions_of(request.location) if not request.country else ()
    if regions is None:
        dispatcher.utter_message(text=message("unknown_place", place=request.location[:60]))
        return remember
    level = education_level(request.education) if request.education else None
    query = VacancyQuery(job="" if request.job == ANYWHERE else request.job, regions=regions,
                         education_level=level, country=request.country)
    job_label, place = search_labels(request, regions)
    with get_session_factory()() as session:
        results = search_vacancies(session, query, page=page)
        if results.hits:
            answer = results_answer(results, job_label=job_label, place_label=place,
                                    education_label=education_label(level))
        elif page > 0:
            dispatcher.utter_message(text=message("no_more"))
            return remember
        else:
            province, count = count_elsewhere_in_province(session, query)
            answer = none_found_answer(results, job_label=job_label, place_label=place,
                                       education_label=education_label(level),
                                       province_name=place_label(None, province) if province else "",
                                       province_count=count)
            answer = _with_related_training(session, answer, request, regions, job_label)
    send_answer(dispatcher, answer)
    return remember


def _with_related_training(session, answer: VacancyAnswer, request: SearchRequest, regions: tuple[str, ...],
                           job_label: str) -> VacancyAnswer:
    """Nothing to apply for: point to open trainings in the same field (same province, else anywhere)."""
    if not request.job or request.job == ANYWHERE or request.country:
        return answer
    gaz = get_gazetteer()
    provinces = sorted({gaz.get(code).province_code for code in regions})
    for scope in ([tuple(provinces)] if provinces else []) + [()]:
        found = search_trainings(session, TrainingQuery(field=request.job, regions=scope), page_size=1)
        if found.total:
            where = gaz.get(scope[0]).name if len(scope) == 1 else ""
            text = f"{answer.text}\n\n{related_training_line(found.total, job_label, where)}"
            return VacancyAnswer(text=text, buttons=(*answer.buttons, training_button(request.job)))
    return answer


class ActionSearchVacancies(Action):
    """Runs a search from the form's slots and the latest message (also for 'yang di bekasi aja')."""

    def name(self) -> str:
        """Action name."""
        return "action_search_vacancies"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """First page of results."""
        request = current_request(tracker)
        if not request.job and not request.country:
            dispatcher.utter_message(text=message("no_search"))
            return []
        return run_search(dispatcher, request, page=0)
