"""The training search use case: a turn in, the answer and the remembered search out."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, copy_text, load_copy
from knowledge.language.text import fold
from knowledge.language.vocab import occupation_tags, occupations
from knowledge.places.gazetteer import get_gazetteer
from knowledge.requests import ANYWHERE, SearchRequest, current_request, place_names, regions_of, remembered_request
from knowledge.trainings.answer import (
    related_training_line,
    training_button,
    training_none_answer,
    training_results_answer,
)
from knowledge.trainings.followup import answer_about_list  # noqa: F401 - the list follow-up, re-exported
from knowledge.trainings.help import help_answer, training_problem
from knowledge.trainings.search import TrainingQuery, search_trainings
from knowledge.turns import Outcome, Turn

FEATURE = "training"


def field_label(field: str, any_label: str) -> str:
    """The field as the header names it: the occupation's label when the words name exactly one."""
    if not field or field == ANYWHERE:
        return any_label
    tags = occupation_tags(field)
    return occupations()[next(iter(tags))].label.lower() if len(tags) == 1 else field


_FREE = re.compile(r"\b(gratis|free|tanpa biaya|tidak bayar|gak bayar|ga bayar|nggak bayar)\b")


def is_training_problem(turn: Turn) -> bool:
    """A problem with a programme (a Prakerja incentive not paid, a lost BLK certificate), not a search."""
    return bool(training_problem(turn.typed))


def answer_training_problem(turn: Turn) -> Outcome | None:
    """Sourced help and the official channel for a programme's problem; None when the turn is a search."""
    problem = training_problem(turn.typed)
    return Outcome.of(help_answer(problem)) if problem else None


def answer_training_search(session: Session, turn: Turn) -> Outcome:
    """First page of programmes for the field and place (never overseas); only free ones when asked."""
    request = current_request(turn)
    free = bool(_FREE.search(fold(turn.typed)))
    return search_page(session, SearchRequest(request.job, request.location, "", None), page=0, free_only=free)


def answer_next_page(session: Session, turn: Turn) -> Outcome:
    """'lihat lagi' after a training list: the next page of the remembered search."""
    request = remembered_request(turn)
    if not request.job and not request.location:
        return Outcome.of(Answer(copy_text(FEATURE, "no_search")))
    return search_page(session, request, page=int(turn.slot("vacancy_page") or 0) + 1)


def search_page(session: Session, request: SearchRequest, *, page: int, free_only: bool = False) -> Outcome:
    """Search, answer, remember (for paging and refining)."""
    remember = {
        "job": request.job or None,
        "location": request.location or None,
        "vacancy_page": float(page),
        "last_search": "training",
    }
    regions = regions_of(request.location)
    if regions is None:
        return Outcome.of(Answer(copy_text(FEATURE, "unknown_place", place=request.location[:60])), **remember)
    field = "" if request.job == ANYWHERE else request.job
    copy = load_copy(FEATURE)
    label = field_label(request.job, copy["any_field"])
    label = copy["free_label"].format(field=label) if free_only else label
    place = place_names(regions) if regions else copy["anywhere"]
    results = search_trainings(session, TrainingQuery(field=field, regions=regions, free_only=free_only), page=page)
    if results.hits:
        answer = training_results_answer(results, field_label=label, place_label=place, field_query=field)
    elif page > 0:
        answer = Answer(copy["no_more"])
    else:
        answer = training_none_answer(results, field_label=label, place_label=place)
    return Outcome.of(answer, **remember, context="training_list" if results.hits else None)


def related_trainings(
    session: Session, field: str, regions: tuple[str, ...], job_label: str
) -> tuple[str, Button] | None:
    """Open trainings in a field (same province first, else anywhere): a line and a button, or None."""
    gaz = get_gazetteer()
    provinces = sorted({gaz.get(code).province_code for code in regions})
    for scope in ([tuple(provinces)] if provinces else []) + [()]:
        found = search_trainings(session, TrainingQuery(field=field, regions=scope), page_size=1)
        if found.total:
            where = gaz.get(scope[0]).name if len(scope) == 1 else ""
            return related_training_line(found.total, job_label, where), training_button(field)
    return None
