"""Agency check: the form that collects a name or licence number, the registry answer, Ya/Bukan."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, TanyaKerjaFormValidation, turn_of, usual_action
from knowledge.registry import service
from knowledge.turns import Outcome, Turn


class ValidateAgencyCheckForm(TanyaKerjaFormValidation):
    """Fills `agency_query` from entities, the triggering message, or the answer to our question."""

    def name(self) -> str:
        """Action name."""
        return "validate_agency_check_form"

    async def extract_agency_query(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Licence number entity first, then the company name (entity or free text)."""
        return service.extract_agency_query_slot(turn_of(tracker))

    def validate_agency_query(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Reject values with nothing left after normalisation (the form asks again)."""
        return service.validate_agency_query(slot_value)


class ActionCheckAgency(TanyaKerjaAction):
    """Looks the collected name/licence up in the registry and answers with the verdict."""

    failure_slots = {"agency_query": None, **service.NO_SUGGESTION}

    def name(self) -> str:
        """Action name."""
        return "action_check_agency"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Answer, clear the form slot; remember a suggestion until Ya/Bukan."""
        return service.check_agency(session, turn.slot("agency_query") or "", turn.typed)


class ActionAgencySuggestionReply(TanyaKerjaAction):
    """Handles Ya/Bukan after "Maksud Anda PT ...?": the verdict, or the not-found guidance."""

    failure_slots = dict(service.NO_SUGGESTION)

    def name(self) -> str:
        """Action name."""
        return "action_agency_suggestion_reply"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Verdict for the suggested company on affirm, guidance for the original text on deny."""
        return service.answer_suggestion_reply(session, turn)


class ActionCheckAgencyNow(TanyaKerjaAction):
    """An agency question in the middle of another form: answered from the message, then the form resumes."""

    def name(self) -> str:
        """Action name."""
        return "action_check_agency_now"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Answer for the name or licence in the latest message, or say how to ask."""
        return service.check_agency_inline(session, turn)


class ActionAgencyFollowup(TanyaKerjaAction):
    """A message right after a registry answer: a question about that company, or the usual action."""

    def name(self) -> str:
        """Action name."""
        return "action_agency_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The office, licence, validity, destinations, meaning or next steps; else what the intent gets."""
        return service.answer_agency_followup(session, turn) or Outcome.hand_over(usual_action(turn))
