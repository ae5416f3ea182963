"""Training search: the same questions as a vacancy search (field and place), then open programmes."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction
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
        """Always field then place."""
        return domain_slots


class ActionSearchTrainings(TanyaKerjaAction):
    """Runs a training search from the form's slots and the latest message."""

    def name(self) -> str:
        """Action name."""
        return "action_search_trainings"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """First page of programmes."""
        return service.answer_training_search(session, turn)
