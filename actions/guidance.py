"""Overseas-work guidance: legal channels, requirements, costs, kartu kuning, and checking an offer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, TanyaKerjaFormValidation, turn_of, usual_action
from knowledge.guidance import service
from knowledge.registry.service import company_note
from knowledge.turns import Outcome, Turn


class ActionOverseasChannels(TanyaKerjaAction):
    """How to work abroad legally, with the country's note and how many licensed agencies serve it."""

    def name(self) -> str:
        """Action name."""
        return "action_overseas_channels"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Channels (+ country)."""
        return service.answer_channels(session, turn)


class ActionOverseasRequirements(TanyaKerjaAction):
    """Age, requirements and documents (UU 18/2017)."""

    def name(self) -> str:
        """Action name."""
        return "action_overseas_requirements"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Requirements (+ country note)."""
        return service.answer_requirements(turn)


class ActionJobCard(TanyaKerjaAction):
    """Kartu kuning / AK/1."""

    def name(self) -> str:
        """Action name."""
        return "action_job_card"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The job-card facts."""
        return service.answer_job_card(turn)


class ValidatePlacementCostForm(TanyaKerjaFormValidation):
    """Asks which job, unless the message already names one."""

    def name(self) -> str:
        """Action name."""
        return "validate_placement_cost_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """No question for a cost question one of our facts answers without a job ("siapa yang bayar tiket?")."""
        return [] if service.fact_question(turn_of(tracker)) else domain_slots

    async def extract_cost_job(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The job entity, occupation words in the message, or the answer to 'pekerjaan apa?'."""
        return service.extract_cost_job(turn_of(tracker))

    def validate_cost_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty answer (an unknown job still gets the general rules)."""
        return service.validate_cost_job(value)


class ActionPlacementCost(TanyaKerjaAction):
    """Whether the job is one of the 10 zero-cost jobs, and the cost rules."""

    failure_slots = {"cost_job": None}

    def name(self) -> str:
        """Action name."""
        return "action_placement_cost"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Answer for the collected job, then forget it."""
        return service.answer_cost(turn)


class ActionCheckOffer(TanyaKerjaAction):
    """Red flags in a described offer, and the registry answer for a company it names."""

    def name(self) -> str:
        """Action name."""
        return "action_check_offer"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Each red flag found, why it matters, the company check, what to do."""
        return service.answer_offer(session, turn, company_note=company_note)


class ActionGuidanceFollowup(TanyaKerjaAction):
    """A message right after a guidance answer: a question one of our facts answers, or the usual action."""

    def name(self) -> str:
        """Action name."""
        return "action_guidance_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The facts that answer it (weighed towards those just shown), else what its intent gets; a new
        question that names what it looks up gets its own action."""
        answered = None if service.new_lookup(turn) else service.answer_question(turn)
        if answered is not None:
            return answered
        usual = "utter_acknowledge" if turn.is_remark else usual_action(turn)
        if usual in ("action_nlu_fallback", "utter_acknowledge"):  # the topic is still open for questions
            return Outcome.hand_over(usual, context="guidance", guidance_facts=turn.slot("guidance_facts"))
        return Outcome.hand_over(usual)


class ActionOutOfScope(TanyaKerjaAction):
    """Something outside the main tasks: one of our facts if it clearly answers it, else what we can do."""

    def name(self) -> str:
        """Action name."""
        return "action_out_of_scope"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """A clear fact, or the out-of-scope answer."""
        return service.answer_question(turn) or Outcome.hand_over("utter_out_of_scope")


class ActionHelp(TanyaKerjaAction):
    """'bantuan' / 'menu': the menu, unless the message asks what a term means ("P3MI itu apa?")."""

    def name(self) -> str:
        """Action name."""
        return "action_help"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The term's facts, or the menu."""
        return service.answer_question(turn, glossary_only=True) or Outcome.hand_over("utter_help")
