"""Training search: the same questions as a vacancy search (field and place), then open programmes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import answers_politely, send_answer
from actions.deps import get_session_factory
from actions.vacancy import ANYWHERE, SearchRequest, ValidateVacancySearchForm, current_request, regions_of, search_labels
from knowledge.training_answer import training_none_answer, training_results_answer
from knowledge.training_search import TrainingQuery, search_trainings
from knowledge.vacancy_answer import message


class ValidateTrainingSearchForm(ValidateVacancySearchForm):
    """Asks for the field (the `job` slot) and the place, like the vacancy form; never overseas."""

    def name(self) -> str:
        """Action name."""
        return "validate_training_search_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        """Always field then place."""
        return domain_slots


def run_training_search(dispatcher: CollectingDispatcher, request: SearchRequest, page: int) -> list[EventType]:
    """Search, answer, remember (for paging)."""
    remember = [SlotSet("job", request.job or None), SlotSet("location", request.location or None),
                SlotSet("vacancy_page", float(page)), SlotSet("last_search", "training")]
    regions = regions_of(request.location)
    if regions is None:
        dispatcher.utter_message(text=message("unknown_place", place=request.location[:60]))
        return remember
    field = "" if request.job == ANYWHERE else request.job
    field_label, place = search_labels(request, regions, kind="training")
    with get_session_factory()() as session:
        results = search_trainings(session, TrainingQuery(field=field, regions=regions), page=page)
    if results.hits:
        answer = training_results_answer(results, field_label=field_label, place_label=place, field_query=field)
    elif page > 0:
        dispatcher.utter_message(text=message("no_more"))
        return remember
    else:
        answer = training_none_answer(results, field_label=field_label, place_label=place)
    send_answer(dispatcher, answer)
    return remember


class ActionSearchTrainings(Action):
    """Runs a training search from the form's slots and the latest message."""

    def name(self) -> str:
        """Action name."""
        return "action_search_trainings"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """First page of programmes."""
        request = current_request(tracker)
        return run_training_search(dispatcher, SearchRequest(request.job, request.location, "", None), page=0)
