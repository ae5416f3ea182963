"""Vacancy search results as the Indonesian text the user reads (pure; copy from messages/vacancy.yml)."""

from __future__ import annotations

from knowledge.answers import PAYLOAD_MORE, Answer, Button, load_copy, payload, rupiah
from knowledge.language.dates import format_date_id
from knowledge.vacancies.search import VacancyHit, VacancyResults

FEATURE = "vacancy"


def salary_text(low: int | None, high: int | None) -> str:
    """'Rp5.500.000 – Rp7.000.000', 'mulai Rp4.600.000', '' when unknown (full amounts: read alike everywhere)."""
    c = load_copy(FEATURE)
    if low and high and low != high:
        return c["salary_range"].format(low=rupiah(low), high=rupiah(high))
    if low:
        return c["salary_from"].format(low=rupiah(low))
    if high:
        return c["salary_up_to"].format(high=rupiah(high))
    return ""


def _item(n: int, hit: VacancyHit) -> str:
    c = load_copy(FEATURE)
    lines = [c["item_title"].format(n=n, title=hit.title, company=hit.company)]
    if not hit.country:
        lines.append(c["item_place"].format(place=hit.place))
    salary = salary_text(hit.salary_min, hit.salary_max)
    if salary:
        lines.append(c["item_salary"].format(salary=salary))
    lines.append(c["item_closes"].format(date=format_date_id(hit.expires_at)) if hit.expires_at else c["item_open"])
    if hit.country:
        lines.append(c["item_agency"].format(agency=hit.agency_name or c["unknown_agency"], license=hit.agency_license))
    lines.append(c["item_sources"].format(sources=", ".join(hit.sources)))
    if hit.url:
        lines.append(c["item_url"].format(url=hit.url))
    return "\n   ".join(lines)


def _header(results: VacancyResults, job_label: str, place_label: str, education_label: str, page_size: int) -> str:
    c = load_copy(FEATURE)
    first = results.page * page_size + 1
    total = f"{results.total}+" if results.more_than_total else str(results.total)
    if results.query.country:
        header = c["header_overseas"].format(country=results.query.country, total=total)
    elif results.page == 0:
        header = c["header"].format(job=job_label, place=place_label, total=total)
    else:
        header = c["header_page"].format(
            job=job_label, place=place_label, first=first, last=first + len(results.hits) - 1, total=total
        )
    return f"{header} {c['education_filter'].format(education=education_label)}" if education_label else header


def results_answer(
    results: VacancyResults, *, job_label: str, place_label: str, education_label: str = "", page_size: int = 5
) -> Answer:
    """A page of results: header, numbered vacancies, hidden overseas orders, hints, 'Lihat lagi'."""
    c = load_copy(FEATURE)
    first = results.page * page_size + 1
    parts = [_header(results, job_label, place_label, education_label, page_size)]
    parts += [_item(first + i, hit) for i, hit in enumerate(results.hits)]
    parts += _hidden(results)
    if results.query.country:
        parts.append(c["overseas_advice"])
    if not results.known_job and results.query.job:
        parts.append(c["unknown_job"].format(job=results.query.job))
    hints = [c["more_hint"]] if results.has_more else []
    if not results.query.country:
        hints.append(c["refine_hint"])
    if hints:
        parts.append(" ".join(hints))
    if results.is_demo:
        parts.append(c["demo"])
    buttons = (Button(c["more_button"], PAYLOAD_MORE),) if results.has_more else ()
    return Answer(text="\n\n".join(parts), buttons=buttons)


def _hidden(results: VacancyResults) -> list[str]:
    c = load_copy(FEATURE)
    if not results.hidden:
        return []
    lines = [c["hidden_header"].format(count=len(results.hidden))]
    for order in results.hidden[:5]:
        reason = c["hidden_reason"][order.reason].format(license=order.agency_license)
        lines.append(
            c["hidden_item"].format(
                title=order.title,
                company=order.company,
                agency=order.agency_name or order.agency_license or "-",
                reason=reason,
            )
        )
    return ["\n".join(lines)]


def none_found_answer(
    results: VacancyResults,
    *,
    job_label: str,
    place_label: str,
    education_label: str = "",
    province_name: str = "",
    province_count: int = 0,
) -> Answer:
    """Nothing matched: say so plainly and offer the same job elsewhere in the province (or anywhere)."""
    c = load_copy(FEATURE)
    if results.query.country:
        parts = [
            c["none_found_overseas"].format(country=results.query.country),
            *_hidden(results),
            c["overseas_advice"],
        ]
        if results.is_demo:
            parts.append(c["demo"])
        return Answer(text="\n\n".join(parts))
    parts = [c["none_found"].format(job=job_label, place=place_label)]
    if education_label:
        parts[0] += " " + c["education_filter"].format(education=education_label)
    buttons: list[Button] = []
    if province_count:
        parts.append(c["elsewhere"].format(province=province_name, count=province_count, job=job_label))
        buttons.append(Button(c["elsewhere_button"].format(province=province_name), location_payload(province_name)))
    elif results.query.regions:
        buttons.append(Button(c["anywhere_button"], location_payload("di mana saja")))
    if not results.known_job and results.query.job:
        parts.append(c["unknown_job"].format(job=results.query.job))
    if results.is_demo:
        parts.append(c["demo"])
    return Answer(text="\n\n".join(parts), buttons=tuple(buttons))


def location_payload(place: str) -> str:
    """A button that searches the same job at another place."""
    return payload("search_vacancy", location=place)


def message(key: str, **fmt: str) -> str:
    """One vacancy message by key."""
    return load_copy(FEATURE)[key].format(**fmt)
