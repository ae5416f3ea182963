"""'lihat lagi': the next page of whichever search came last."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction
from knowledge.trainings import service as trainings
from knowledge.turns import Outcome, Turn
from knowledge.vacancies import service as vacancies


class ActionShowMore(TanyaKerjaAction):
    """'lihat lagi': the next page of the last search (vacancies or trainings)."""

    def name(self) -> str:
        """Action name."""
        return "action_show_more"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Next page of the last list, with that list's own wording."""
        if turn.slot("last_search") == "training":
            return trainings.answer_next_page(session, turn)
        return vacancies.answer_next_page(session, turn)
