"""'lihat lagi': the next page of whichever search came last."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction
from knowledge.trainings import service as trainings
from knowledge.turns import Outcome, Turn
from knowledge.vacancies import service as vacancies

LISTS = ("vacancy_list", "training_list")
MAX_SHOW_MORE_WORDS = 3  # "lihat lagi dong", "yang lain ada?"


class ActionShowMore(TanyaKerjaAction):
    """'lihat lagi': the next page of the last search (vacancies or trainings)."""

    def name(self) -> str:
        """Action name."""
        return "action_show_more"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Next page of the last list, with that list's own wording; only right after a list.

        "terus dia minta uang lagi" in the middle of a story is not "show more": a longer message that comes
        when no list is on screen goes to the fallback instead.
        """
        if turn.slot("context") not in LISTS and len(turn.typed.split()) > MAX_SHOW_MORE_WORDS:
            return Outcome.hand_over("action_nlu_fallback")
        if turn.slot("last_search") == "training":
            return trainings.answer_next_page(session, turn)
        return vacancies.answer_next_page(session, turn)
