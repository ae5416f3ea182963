"""Follow-ups: a message right after a list or an offer check refers to it ("gajinya berapa?", "yang di
bekasi aja", "bukan loker, pelatihannya", "tapi orangnya baik kok"). What is not about it goes to the
action its intent usually gets."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, usual_action
from knowledge.guidance import service as guidance
from knowledge.registry import service as registry
from knowledge.requests import current_request, mentioned_education, mentioned_place, switches_kind
from knowledge.trainings import service as trainings
from knowledge.trainings.service import related_trainings
from knowledge.turns import Outcome, Turn
from knowledge.vacancies import service as vacancies


def refine(session: Session, turn: Turn, kind: str) -> Outcome:
    """The last search of `kind` again with what the message changes (place, education, job)."""
    if kind == "training":
        return trainings.answer_training_search(session, turn)
    return vacancies.answer_vacancy_search(session, turn, related=related_trainings)


class ActionListFollowup(TanyaKerjaAction):
    """A message right after a list of vacancies or trainings."""

    def name(self) -> str:
        """Action name."""
        return "action_list_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """A question about the listed items, a switch of kind, a refinement, or the usual action."""
        kind = "training" if turn.slot("context") == "training_list" else "vacancy"
        licences = vacancies.listed_agencies(session, turn) if kind == "vacancy" else []
        if licences:  # "PT nya resmi kan?": the registry answer for the listed vacancies' agencies
            checks = [registry.check_agency(session, licence) for licence in licences[:2]]
            remember = {**checks[-1].remember, "agency_last": licences[:2]}
            return Outcome(tuple(a for c in checks for a in c.answers), remember)
        if mentioned_place(turn) and _ASKS_WHETHER_THERE_ARE.search(turn.typed.lower()):
            return refine(session, turn, kind)  # "ada yg gratis gk di batam": a new search there
        about = (trainings if kind == "training" else vacancies).answer_about_list(session, turn)
        if about is not None:
            return Outcome.of(about, context=turn.slot("context"))
        if switches_kind(turn) or _names_other_kind(turn, kind):
            other = "vacancy" if kind == "training" else "training"
            return refine(session, turn, other)
        if turn.intent == "inform" and (mentioned_place(turn) or mentioned_education(turn) or turn.entity("job")):
            return refine(session, turn, kind)
        return Outcome.hand_over(usual_action(turn))


# "ada ... di X?" asks for a search there; "yg di X apa kerjanya" asks about a listed item.
_ASKS_WHETHER_THERE_ARE = re.compile(r"\b(ada|adakah|ono|wonten|aya)\b")


def _names_other_kind(turn: Turn, kind: str) -> bool:
    """'bukan loker, pelatihannya' / 'lowongannya aja' after the other kind of list."""
    text = turn.typed.lower()
    if kind == "vacancy":
        return "pelatihan" in text or "kursus" in text or "training" in text
    return "lowongan" in text or "loker" in text or "kerjaan" in text


class ActionRefineSearch(TanyaKerjaAction):
    """'yang di bekasi aja' after a search (no list on screen any more): refine the last search of its kind."""

    def name(self) -> str:
        """Action name."""
        return "action_refine_search"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Refine the last search, vacancies or trainings; without one, start a vacancy search."""
        nothing_yet = not current_request(turn).job and not turn.slot("location") and not turn.slot("country")
        if nothing_yet or not turn.slot("last_search"):
            return Outcome.hand_over("vacancy_search_form")
        return refine(session, turn, turn.slot("last_search") or "vacancy")


class ActionOfferFollowup(TanyaKerjaAction):
    """A message right after an offer check: push-back, more details of the offer."""

    def name(self) -> str:
        """Action name."""
        return "action_offer_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The rule for push-back, the red flags of new details, never an all-clear."""
        if turn.intent in ("check_agency", "report_fraud", "request_human", "report_emergency"):
            return Outcome.hand_over(usual_action(turn))
        if turn.intent in ("ask_ticket_status", "ask_overseas_channels", "ask_help") and not (
            guidance.still_about_the_offer(turn)
        ):
            return Outcome.hand_over(usual_action(turn))
        return guidance.answer_offer_followup(turn)


class ActionInform(ActionRefineSearch):
    """A message that only informs, outside any form or follow-up: a company or licence number starts the
    check; a place, job, education or country refines the last search or starts one; nothing else is clear."""

    def name(self) -> str:
        """Action name."""
        return "action_inform"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Where the entities point."""
        if turn.entity("agency") or turn.entity("license_number"):
            return Outcome.hand_over("agency_check_form")
        if any(turn.entity(e) for e in ("job", "location", "education", "country")) or mentioned_place(turn):
            return super().act(session, turn, tracker)
        return Outcome.hand_over("action_nlu_fallback")
