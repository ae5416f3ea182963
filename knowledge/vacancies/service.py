"""The vacancy search use case: a turn in, the answer and the remembered search out."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, copy_text, load_copy
from knowledge.language.vocab import education_label, education_level, occupation_tags, occupations
from knowledge.places.scopes import place_label
from knowledge.requests import ANYWHERE, SearchRequest, current_request, place_names, regions_of, remembered_request
from knowledge.turns import Outcome, Turn
from knowledge.vacancies.answer import none_found_answer, results_answer
from knowledge.vacancies.followup import answer_about_list, listed_agencies  # noqa: F401 - re-exported
from knowledge.vacancies.search import VacancyQuery, count_elsewhere_in_province, search_vacancies

FEATURE = "vacancy"
# Offered when nothing matches: (session, field, region codes, job label) -> a line and a button, or None.
RelatedTrainings = Callable[[Session, str, tuple[str, ...], str], tuple[str, Button] | None]


def job_label(job: str, any_label: str) -> str:
    """The job as the header names it: the occupation's label when the words name exactly one."""
    if not job or job == ANYWHERE:
        return any_label
    tags = occupation_tags(job)
    return occupations()[next(iter(tags))].label.lower() if len(tags) == 1 else job


def answer_vacancy_search(session: Session, turn: Turn, *, related: RelatedTrainings | None = None) -> Outcome:
    """First page of a search from the latest message and the remembered search."""
    request = current_request(turn)
    if not request.job and not request.country:
        return Outcome.of(Answer(copy_text(FEATURE, "no_search")))
    return search_page(session, request, page=0, related=related)


def answer_next_page(session: Session, turn: Turn) -> Outcome:
    """'lihat lagi' after a vacancy list: the next page of the remembered search."""
    request = remembered_request(turn)
    if not request.job and not request.country:
        return Outcome.of(Answer(copy_text(FEATURE, "no_search")))
    return search_page(session, request, page=int(turn.slot("vacancy_page") or 0) + 1)


def search_page(
    session: Session, request: SearchRequest, *, page: int, related: RelatedTrainings | None = None
) -> Outcome:
    """Search, answer, and remember the search (for paging and refining)."""
    remember = request.remembered("vacancy", page)
    regions = regions_of(request.location) if not request.country else ()
    if regions is None:
        return Outcome.of(Answer(copy_text(FEATURE, "unknown_place", place=request.location[:60])), **remember)
    level = education_level(request.education) if request.education else None
    query = VacancyQuery(
        job="" if request.job == ANYWHERE else request.job,
        regions=regions,
        education_level=level,
        country=request.country,
    )
    copy = load_copy(FEATURE)
    label = job_label(request.job, copy["any_job"])
    place = place_names(regions) if regions else copy["anywhere"]
    results = search_vacancies(session, query, page=page)
    if results.hits:
        answer = results_answer(results, job_label=label, place_label=place, education_label=education_label(level))
    elif page > 0:
        answer = Answer(copy["no_more"])
    else:
        province, count = count_elsewhere_in_province(session, query)
        answer = none_found_answer(
            results,
            job_label=label,
            place_label=place,
            education_label=education_label(level),
            province_name=place_label(None, province) if province else "",
            province_count=count,
        )
        if related and request.job and request.job != ANYWHERE and not request.country:
            found = related(session, request.job, regions, label)
            if found:
                answer = answer.plus(found[0], found[1])
    return Outcome.of(answer, **remember, context="vacancy_list" if results.hits else None)
