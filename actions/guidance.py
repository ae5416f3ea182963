"""Overseas-work guidance: legal channels, requirements, costs, kartu kuning, and checking an offer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    INTERRUPTIONS, answers_politely, entity_span, latest_entity, latest_intent, latest_text, send_answer,
)
from actions.deps import get_session_factory
from knowledge.agencies import lookup_agency
from knowledge.agency_answer import compose_agency_answer
from knowledge.guidance import channels_answer, cost_answer, job_card_answer, offer_answer, requirements_answer
from knowledge.red_flags import find_red_flags
from knowledge.text import named_company
from knowledge.vocab import find_country, normalize_country, occupation_tags


def mentioned_country(tracker: Tracker) -> str | None:
    """The destination named in the latest message (entity first, then the text)."""
    entity = latest_entity(tracker, "country")
    if entity:
        return normalize_country(entity) or entity.title()
    text = latest_text(tracker)
    return find_country(text) if text and not text.startswith("/") else None


class ActionOverseasChannels(Action):
    """How to work abroad legally, with the country's note and how many licensed agencies serve it."""

    def name(self) -> str:
        """Action name."""
        return "action_overseas_channels"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Channels (+ country)."""
        with get_session_factory()() as session:
            send_answer(dispatcher, channels_answer(session, mentioned_country(tracker)))
        return []


class ActionOverseasRequirements(Action):
    """Age, requirements and documents (UU 18/2017)."""

    def name(self) -> str:
        """Action name."""
        return "action_overseas_requirements"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Requirements (+ country note)."""
        send_answer(dispatcher, requirements_answer(mentioned_country(tracker)))
        return []


class ActionJobCard(Action):
    """Kartu kuning / AK/1."""

    def name(self) -> str:
        """Action name."""
        return "action_job_card"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The job-card facts."""
        send_answer(dispatcher, job_card_answer())
        return []


class ValidatePlacementCostForm(FormValidationAction):
    """Asks which job, unless the message already names one."""

    def name(self) -> str:
        """Action name."""
        return "validate_placement_cost_form"

    async def extract_cost_job(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        """The job entity, occupation words in the message, or the answer to 'pekerjaan apa?'."""
        text = latest_text(tracker)
        entity = latest_entity(tracker, "job")
        if entity:
            return {"cost_job": entity}
        if text and not text.startswith("/") and occupation_tags(text):
            return {"cost_job": text}
        asked = tracker.get_slot("requested_slot") == "cost_job"
        if asked and text and not text.startswith("/") and latest_intent(tracker) not in INTERRUPTIONS:
            return {"cost_job": text}
        return {}

    def validate_cost_job(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> dict[str, Any]:
        """Any non-empty answer (an unknown job still gets the general rules)."""
        text = str(value or "").strip()[:100]
        return {"cost_job": text or None}


class ActionPlacementCost(Action):
    """Whether the job is one of the 10 zero-cost jobs, and the cost rules."""

    def name(self) -> str:
        """Action name."""
        return "action_placement_cost"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Answer for the collected job, then forget it."""
        send_answer(dispatcher, cost_answer(tracker.get_slot("cost_job")))
        return [SlotSet("cost_job", None)]


class ActionCheckOffer(Action):
    """Red flags in a described offer, and the registry answer for a company it names."""

    def name(self) -> str:
        """Action name."""
        return "action_check_offer"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Each red flag found, why it matters, the company check, what to do."""
        text = latest_text(tracker)
        flags = find_red_flags(text)
        company = latest_entity(tracker, "license_number") or entity_span(tracker, "agency") or named_company(text)
        agency_text = None
        if company:
            with get_session_factory()() as session:
                lookup = lookup_agency(session, company)
            if lookup.kind == "suggestion" and "red_flag_lookalike" not in flags:
                flags.append("red_flag_lookalike")
            agency_text = compose_agency_answer(lookup).text
        send_answer(dispatcher, offer_answer(flags, agency_text))
        return []
