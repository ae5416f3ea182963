"""Vacancy search: the form that collects job and place, and the search."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, TanyaKerjaFormValidation, turn_of
from knowledge import requests
from knowledge.answers import copy_text
from knowledge.guidance import service as guidance
from knowledge.trainings.service import related_trainings
from knowledge.turns import Outcome, Turn
from knowledge.vacancies import service


class ValidateVacancySearchForm(TanyaKerjaFormValidation):
    """Collects `job` and `location` (not needed for an overseas search, which names a country)."""

    unknown_place_copy = "vacancy"

    def name(self) -> str:
        """Action name."""
        return "validate_vacancy_search_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """No questions for an overseas search or a question one of our facts answers; otherwise job then place
        (always for a bare new search)."""
        turn = turn_of(tracker)
        overseas = requests.current_request(turn).country and not requests.bare_new_search(turn)
        return [] if overseas or guidance.fact_question(turn) else domain_slots

    async def extract_job(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The job entity, occupation words in the message, or the whole answer to 'Pekerjaan apa?'."""
        return requests.extract_job(turn_of(tracker))

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A place named in the message; when we asked for it, the whole answer."""
        return requests.extract_location(turn_of(tracker))

    def validate_job(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A job needs at least one word."""
        return requests.validate_job(slot_value)

    def validate_location(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """'*' (anywhere) or a place the gazetteer knows; otherwise say so and ask again."""
        slots, unknown = requests.validate_location(slot_value)
        if unknown is not None:
            dispatcher.utter_message(text=copy_text(self.unknown_place_copy, "unknown_place", place=unknown))
        return slots


class ActionSearchVacancies(TanyaKerjaAction):
    """Runs a search from the form's slots and the latest message (also for 'yang di bekasi aja')."""

    def name(self) -> str:
        """Action name."""
        return "action_search_vacancies"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """First page of results (nothing found: related trainings); a question one of our facts answers that
        names nothing to search for ("lowongan resmi itu dicari di mana?") gets the fact."""
        answered = guidance.fact_answer(turn) if turn.intent == "search_vacancy" else None
        return answered or service.answer_vacancy_search(session, turn, related=related_trainings)
