"""Agency check: the form that collects a name or licence number, and the registry answer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import DATA_ERRORS, latest_entity, latest_intent, latest_text, send_service_trouble
from actions.deps import get_session_factory
from knowledge.agencies import get_agency_by_license, lookup_agency, registry_info
from knowledge.agency_answer import AgencyAnswer, compose_agency_answer, suggestion_rejected_answer, verdict_text
from knowledge.text import extract_agency_query, normalize_name

_CLEAR_SUGGESTION = [SlotSet("agency_suggestion", None), SlotSet("agency_suggestion_query", None)]


def _send(dispatcher: CollectingDispatcher, answer: AgencyAnswer) -> None:
    buttons = [{"title": title, "payload": payload} for title, payload in answer.buttons]
    dispatcher.utter_message(text=answer.text, buttons=buttons)


class ValidateAgencyCheckForm(FormValidationAction):
    """Fills `agency_query` from entities, the triggering message, or the answer to our question."""

    def name(self) -> str:
        """Action name."""
        return "validate_agency_check_form"

    async def extract_agency_query(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Licence number entity first, then agency entity, then the free text."""
        value = latest_entity(tracker, "license_number") or latest_entity(tracker, "agency")
        if value:
            return {"agency_query": value}
        text = latest_text(tracker)
        if not text or text.startswith("/"):
            return {}
        if tracker.get_slot("requested_slot") == "agency_query":
            # The user is answering "Nama PT-nya apa?": the whole message is the name.
            return {"agency_query": extract_agency_query(text) or text}
        if latest_intent(tracker) in ("check_agency", "inform"):
            candidate = extract_agency_query(text)
            return {"agency_query": candidate} if candidate else {}
        return {}

    def validate_agency_query(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Reject values with nothing left after normalisation (the form asks again)."""
        value = str(slot_value or "").strip()
        if not normalize_name(value) and not any(ch.isdigit() for ch in value):
            return {"agency_query": None}
        return {"agency_query": value[:200]}


class ActionCheckAgency(Action):
    """Looks the collected name/licence up in the registry and answers with the verdict."""

    def name(self) -> str:
        """Action name."""
        return "action_check_agency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer, then clear the form slot; remember a suggestion until Ya/Bukan."""
        query = (tracker.get_slot("agency_query") or "").strip()
        events: list[EventType] = [SlotSet("agency_query", None)]
        try:
            with get_session_factory()() as session:
                lookup = lookup_agency(session, query)
        except DATA_ERRORS as exc:
            return send_service_trouble(dispatcher, tracker, exc) + events + _CLEAR_SUGGESTION
        answer = compose_agency_answer(lookup)
        _send(dispatcher, answer)
        if answer.suggestion_license:
            return events + [
                SlotSet("agency_suggestion", answer.suggestion_license),
                SlotSet("agency_suggestion_query", query),
            ]
        return events + _CLEAR_SUGGESTION


class ActionAgencySuggestionReply(Action):
    """Handles Ya/Bukan after "Maksud Anda PT ...?": the verdict, or the not-found guidance."""

    def name(self) -> str:
        """Action name."""
        return "action_agency_suggestion_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer for the suggested company on affirm, for the original text on deny."""
        license_number = tracker.get_slot("agency_suggestion")
        query = tracker.get_slot("agency_suggestion_query") or ""
        try:
            with get_session_factory()() as session:
                registry = registry_info(session)
                agency = get_agency_by_license(session, license_number) if license_number else None
        except DATA_ERRORS as exc:
            return send_service_trouble(dispatcher, tracker, exc) + _CLEAR_SUGGESTION
        if latest_intent(tracker) == "affirm" and agency is not None:
            dispatcher.utter_message(text=verdict_text(agency, registry))
        else:
            _send(dispatcher, suggestion_rejected_answer(query, registry))
        return list(_CLEAR_SUGGESTION)
