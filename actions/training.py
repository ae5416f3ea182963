"""Training search: the same questions as a vacancy search (field and place), then open programmes."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, turn_of
from actions.vacancy import ValidateVacancySearchForm
from knowledge.trainings import service
from knowledge.turns import Outcome, Turn


class ValidateTrainingSearchForm(ValidateVacancySearchForm):
    """Asks for the field (the `job` slot) and the place, like the vacancy form; never overseas."""

    unknown_place_copy = "training"

    def name(self) -> str:
        """Action name."""
        return "validate_training_search_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Field then place; nothing for a problem with a programme (a Prakerja incentive not paid, a lost BLK
        certificate): that gets help, not a search."""
        return [] if service.is_training_problem(turn_of(tracker)) else domain_slots


class ActionSearchTrainings(TanyaKerjaAction):
    """Runs a training search from the form's slots and the latest message."""

    def name(self) -> str:
        """Action name."""
        return "action_search_trainings"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Help with a programme's problem, else the first page of programmes."""
        return service.answer_training_problem(turn) or service.answer_training_search(session, turn)
