"""Training search results as Indonesian text (pure; copy from messages/training.yml)."""

from __future__ import annotations

from knowledge.answers import PAYLOAD_MORE, Answer, Button, load_copy, payload, rupiah
from knowledge.language.dates import format_date_id
from knowledge.trainings.search import TrainingHit, TrainingResults

FEATURE = "training"


def _item(n: int, hit: TrainingHit) -> str:
    c = load_copy(FEATURE)
    end = c["item_end"].format(end=format_date_id(hit.end_date)) if hit.end_date else ""
    lines = [
        c["item_title"].format(n=n, title=hit.title, provider=hit.provider),
        c["item_place"].format(place=hit.place),
        c["item_free"] if hit.fee == 0 else c["item_fee"].format(fee=rupiah(hit.fee)),
    ]
    if hit.running:
        lines.append(c["item_running"].format(end=end))
    elif hit.start_date:
        lines.append(c["item_upcoming"].format(start=format_date_id(hit.start_date), end=end))
    if hit.quota:
        lines.append(c["item_quota"].format(quota=hit.quota))
    if hit.url:
        lines.append(c["item_url"].format(url=hit.url))
    return "\n   ".join(lines)


def training_results_answer(
    results: TrainingResults, *, field_label: str, place_label: str, field_query: str, page_size: int = 5
) -> Answer:
    """A page of programmes, with 'Lihat lagi' and a way to the related vacancies."""
    c = load_copy(FEATURE)
    first = results.page * page_size + 1
    if results.page == 0:
        header = c["header"].format(field=field_label, place=place_label, total=results.total)
    else:
        header = c["header_page"].format(
            field=field_label, place=place_label, first=first, last=first + len(results.hits) - 1, total=results.total
        )
    parts = [header, *(_item(first + i, h) for i, h in enumerate(results.hits)), c["advice"]]
    if results.has_more:
        parts.append(c["more_hint"])
    if results.is_demo:
        parts.append(c["demo"])
    buttons: list[Button] = []
    if results.has_more:
        buttons.append(Button(c["more_button"], PAYLOAD_MORE))
    if field_query:
        buttons.append(
            Button(c["jobs_button"].format(field=field_query)[:40], payload("search_vacancy", job=field_query))
        )
    return Answer(text="\n\n".join(parts), buttons=tuple(buttons))


def training_none_answer(results: TrainingResults, *, field_label: str, place_label: str) -> Answer:
    """Nothing matched: say so plainly and offer the whole country."""
    c = load_copy(FEATURE)
    parts = [c["none_found"].format(field=field_label, place=place_label), c["advice"]]
    buttons = (
        (Button(c["anywhere_button"], payload("search_training", location="di mana saja")),)
        if results.query.regions
        else ()
    )
    return Answer(text="\n\n".join(parts), buttons=buttons)


def related_training_line(count: int, field_label: str, province_name: str) -> str:
    """'Ada 3 pelatihan las yang masih dibuka di Kepulauan Riau.'"""
    c = load_copy(FEATURE)
    where = c["related_where"].format(province=province_name) if province_name else ""
    return c["related_training"].format(count=count, field=field_label, where=where)


def training_button(field_query: str) -> Button:
    """A button from a vacancy answer to the related trainings."""
    c = load_copy(FEATURE)
    return Button(c["training_button"].format(field=field_query)[:40], payload("search_training", job=field_query))
