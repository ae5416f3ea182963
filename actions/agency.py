"""Agency check: the form that collects a name or licence number, and the registry answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    INTERRUPTIONS, answers_politely, entity_span, latest_entity, latest_intent, latest_text, send_answer,
)
from actions.deps import get_session_factory
from knowledge.agencies import find_lookalikes, get_agency_by_license, lookup_agency, registry_info
from knowledge.agency_answer import compose_agency_answer, suggestion_rejected_answer, verdict_text
from knowledge.messages import load_messages
from knowledge.text import extract_agency_query, fold, normalize_name

# While we wait for a name, "check_agency" is the expected intent, so it does not interrupt.
_INTERRUPTIONS = INTERRUPTIONS - {"check_agency"}
_CLEAR_SUGGESTION = [SlotSet("agency_suggestion", None), SlotSet("agency_suggestion_query", None)]


def _name_from_text(text: str) -> str | None:
    """The company name in a free-text message, in the user's own spelling when the message is just the name."""
    candidate = extract_agency_query(text)
    return text.strip() if candidate and candidate == fold(text) else candidate


def agency_query_in_message(tracker: Tracker, *, answering: bool) -> str | None:
    """The licence number or company name in the latest message, or None.

    `answering` is true when the bot has just asked "Nama PT-nya apa?": then the whole message is the name.
    """
    licence = latest_entity(tracker, "license_number")
    if licence and any(ch.isdigit() for ch in licence):  # every licence number has digits
        return licence
    text = latest_text(tracker)
    entity = entity_span(tracker, "agency")
    if entity:
        # Free-text extraction often keeps words the entity model cut off ("PT", a middle word).
        from_text = _name_from_text(text) or ""
        wider = normalize_name(entity) and normalize_name(entity) in normalize_name(from_text)
        return from_text if wider else entity
    if not text or text.startswith("/"):
        return None
    if answering and latest_intent(tracker) not in _INTERRUPTIONS:
        return _name_from_text(text) or text
    if latest_intent(tracker) in ("check_agency", "inform"):
        return _name_from_text(text)
    return None


class ValidateAgencyCheckForm(FormValidationAction):
    """Fills `agency_query` from entities, the triggering message, or the answer to our question."""

    def name(self) -> str:
        """Action name."""
        return "validate_agency_check_form"

    async def extract_agency_query(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Licence number entity first, then the company name (entity or free text)."""
        answering = tracker.get_slot("requested_slot") == "agency_query"
        query = agency_query_in_message(tracker, answering=answering)
        return {"agency_query": query} if query else {}

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

    events_on_failure = (SlotSet("agency_query", None), *_CLEAR_SUGGESTION)

    def name(self) -> str:
        """Action name."""
        return "action_check_agency"

    @answers_politely
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer, then clear the form slot; remember a suggestion until Ya/Bukan."""
        query = (tracker.get_slot("agency_query") or "").strip()
        events: list[EventType] = [SlotSet("agency_query", None)]
        with get_session_factory()() as session:
            lookup = lookup_agency(session, query)
        answer = compose_agency_answer(lookup)
        send_answer(dispatcher, answer)
        if answer.suggestion_license:
            return events + [
                SlotSet("agency_suggestion", answer.suggestion_license),
                SlotSet("agency_suggestion_query", query),
            ]
        return events + _CLEAR_SUGGESTION


class ActionAgencySuggestionReply(Action):
    """Handles Ya/Bukan after "Maksud Anda PT ...?": the verdict, or the not-found guidance."""

    events_on_failure = tuple(_CLEAR_SUGGESTION)

    def name(self) -> str:
        """Action name."""
        return "action_agency_suggestion_reply"

    @answers_politely
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer for the suggested company on affirm, for the original text on deny."""
        license_number = tracker.get_slot("agency_suggestion")
        query = tracker.get_slot("agency_suggestion_query") or ""
        with get_session_factory()() as session:
            registry = registry_info(session)
            agency = get_agency_by_license(session, license_number) if license_number else None
            accepted = latest_intent(tracker) == "affirm" and agency is not None
            lookalikes = find_lookalikes(session, agency, registry, today=date.today()) if accepted else ()
        if accepted:
            dispatcher.utter_message(text=verdict_text(agency, registry, lookalikes=lookalikes))
        else:
            send_answer(dispatcher, suggestion_rejected_answer(query, registry, agency))
        return list(_CLEAR_SUGGESTION)


class ActionCheckAgencyNow(Action):
    """An agency question in the middle of another form: answer it from the message, then the form resumes.

    No Ya/Bukan question here (the other form is waiting for its own answer): a close match is named with its
    status and the user is told how to check it precisely.
    """

    def name(self) -> str:
        """Action name."""
        return "action_check_agency_now"

    @answers_politely
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer for the name or licence in the latest message, or say how to ask."""
        query = agency_query_in_message(tracker, answering=False)
        copy = load_messages("agency")
        if not query:
            dispatcher.utter_message(text=copy["inline_no_name"])
            return []
        with get_session_factory()() as session:
            lookup = lookup_agency(session, query)
        if lookup.suggestions and lookup.agency is None:
            # A close name is a question, never a verdict: name it with its status, ask to check again.
            best = lookup.suggestions[0]
            status = copy["status_label"][best.status.value]
            dispatcher.utter_message(text=copy["inline_close_match"].format(query=query, name=best.name, status=status))
            return []
        dispatcher.utter_message(text=compose_agency_answer(lookup).text)
        return []
