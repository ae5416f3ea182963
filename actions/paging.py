"""'lihat lagi': the next page of whichever search came last."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import answers_politely
from actions.training import run_training_search
from actions.vacancy import SearchRequest, run_search
from knowledge.vacancy_answer import message


class ActionShowMore(Action):
    """'lihat lagi': the next page of the last search (vacancies or trainings)."""

    def name(self) -> str:
        """Action name."""
        return "action_show_more"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Next page, or a prompt when there was no search yet."""
        if not tracker.get_slot("job") and not tracker.get_slot("country"):
            dispatcher.utter_message(text=message("no_search"))
            return []
        request = SearchRequest(job=tracker.get_slot("job") or "", location=tracker.get_slot("location") or "",
                                education=tracker.get_slot("education") or "", country=tracker.get_slot("country"))
        page = int(tracker.get_slot("vacancy_page") or 0) + 1
        if tracker.get_slot("last_search") == "training":
            return run_training_search(dispatcher, request, page=page)
        return run_search(dispatcher, request, page=page)
