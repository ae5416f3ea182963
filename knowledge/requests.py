"""What a search asks for (job or field, place, education, destination), read from a turn.

Shared by the vacancy and training searches and their forms: the latest message first, the remembered
search second, so "yang di bekasi aja" refines the last search and a bare "cari loker" starts a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.language.text import fold
from knowledge.language.vocab import education_level, find_country, normalize_country, occupation_tags
from knowledge.language.words import ANY_JOB_PHRASES, ANYWHERE_PHRASES, JOB_FILLERS
from knowledge.places.gazetteer import get_gazetteer
from knowledge.turns import INTERRUPTIONS, Turn, taken_back

ANYWHERE = "*"  # the slot value for "anywhere" (place) and "any job" (job)
SEARCH_INTENTS = ("search_vacancy", "search_training")


@dataclass(frozen=True)
class SearchRequest:
    """What to search for: job (or training field), place, education, destination country."""

    job: str
    location: str
    education: str
    country: str | None

    def remembered(self, kind: str, page: int) -> dict[str, Any]:
        """The slots that remember this search (for paging and refining)."""
        return {
            "job": self.job or None,
            "location": self.location or None,
            "education": self.education or None,
            "country": self.country,
            "vacancy_page": float(page),
            "last_search": kind,
        }


def means_anywhere(text: str) -> bool:
    """'di mana saja', 'cari di seluruh Indonesia aja', 'bebas lokasinya': anywhere (by containment)."""
    folded = f" {fold(text)} "
    return (
        any(f" {phrase} " in folded for phrase in ANYWHERE_PHRASES if len(phrase) > 5)
        or folded.strip() in ANYWHERE_PHRASES
    )


def means_any_job(text: str) -> bool:
    """'apa aja', 'apa aja yg penting halal', 'kerja apa saja boleh': any job (by containment)."""
    folded = f" {fold(text)} "
    return (
        any(f" {phrase} " in folded for phrase in ANY_JOB_PHRASES if " " in phrase) or folded.strip() in ANY_JOB_PHRASES
    )


def mentioned_place(turn: Turn) -> str | None:
    """The place named in the message, '*' for "anywhere", or None."""
    entity = turn.entity("location")
    if entity:
        return ANYWHERE if means_anywhere(entity) else entity
    text = turn.typed
    found = get_gazetteer().find_in_text(text) if text else []
    if len(found) > 1:  # a correction ("eh bukan batam, maksudnya bintan"): the place not taken back
        kept = [m for m in found if not taken_back(text, m.start)]
        return (kept or found)[0].text
    if found:
        return found[0].text
    return ANYWHERE if text and means_anywhere(text) else None


def mentioned_country(turn: Turn) -> str | None:
    """The destination country named in the message (entity first, then the text)."""
    entity = turn.entity("country")
    if entity:
        return normalize_country(entity) or entity.title()
    return find_country(turn.typed) if turn.typed else None


def mentioned_education(turn: Turn) -> str | None:
    """An education level named in the message ("lulusan SMK")."""
    entity = turn.entity("education")
    if entity:
        return entity
    text = turn.typed
    return text if text and "lulus" in fold(text) and education_level(text) is not None else None


def current_request(turn: Turn) -> SearchRequest:
    """Merge the latest message into the remembered search: a place named now means a domestic search."""
    country = mentioned_country(turn)
    place = mentioned_place(turn)
    if country is None and place is None:
        country = turn.slot("country")
    return SearchRequest(
        job=turn.slot("job") or "",
        location=place or turn.slot("location") or "",
        education=mentioned_education(turn) or turn.slot("education") or "",
        country=country,
    )


def remembered_request(turn: Turn) -> SearchRequest:
    """The last search exactly as remembered (for "lihat lagi")."""
    return SearchRequest(
        job=turn.slot("job") or "",
        location=turn.slot("location") or "",
        education=turn.slot("education") or "",
        country=turn.slot("country"),
    )


MAX_FREE_JOB_WORDS = 3  # an unknown job title typed as the answer; a longer leftover is never a job


def job_from_text(text: str) -> str | None:
    """The job in a free-text answer ("loker las dong" -> "las"); '*' for any job ("apa aja yg penting halal").

    Leftover words become a (remembered) job only when they name an occupation we know, or when they are a
    short answer to "Pekerjaan apa?" (a title we do not know yet, e.g. "barista kopi").
    """
    if means_any_job(text):
        return ANYWHERE
    words = [w for w in fold(text).split() if w not in JOB_FILLERS]
    if not words:
        return None
    if occupation_tags(" ".join(words)):
        return " ".join(words)
    return " ".join(words) if len(words) <= MAX_FREE_JOB_WORDS else None


def bare_new_search(turn: Turn) -> bool:
    """'cari loker' with no job and no place: a new search that asks again instead of repeating the last.

    A message that names one of them (typed, or a button such as '/search_vacancy{"location":...}') keeps
    the other from the last search: that is how refining and the links between answers work.
    """
    if turn.asked is not None or turn.intent not in SEARCH_INTENTS:
        return False
    if switches_kind(turn):
        return False
    typed = turn.typed
    return not (
        turn.entity("job") or (typed and occupation_tags(typed)) or mentioned_place(turn) or mentioned_country(turn)
    )


def switches_kind(turn: Turn) -> bool:
    """'bukan loker, pelatihannya': a search of the other kind for the same job and place as the last one."""
    last = turn.slot("last_search")
    wanted = {"search_vacancy": "vacancy", "search_training": "training"}.get(turn.intent or "")
    return bool(last and wanted and wanted != last and (turn.slot("job") or turn.slot("location")))


def regions_of(location: str) -> tuple[str, ...] | None:
    """Region codes of a place; () for anywhere; None when the place is unknown."""
    if not location or location == ANYWHERE or means_anywhere(location):
        return ()
    gaz = get_gazetteer()
    match = gaz.resolve(location)
    if match is None:
        found = gaz.find_in_text(location)
        match = found[0] if found else None
    return tuple(r.code for r in match.regions) if match else None


def place_names(regions: tuple[str, ...]) -> str:
    """'Kota Batam / Kabupaten Bintan' for answer headers ('' for anywhere)."""
    gaz = get_gazetteer()
    return " / ".join(gaz.get(code).name for code in regions[:3])


# ---- the search forms (vacancy and training): what fills the job and location slots ----------------


def extract_job(turn: Turn) -> dict[str, Any]:
    """The job entity, occupation words in the message, or the whole answer to 'Pekerjaan apa?'."""
    if bare_new_search(turn):
        return {"job": None}
    if turn.intent in INTERRUPTIONS:
        return {}  # "PT X di batam resmi gak?" mid-form is not an answer to the form
    entity = _job_entity(turn)
    if entity:
        return {"job": entity}
    text = turn.typed
    if not text:
        return {}
    if occupation_tags(text):
        return {"job": job_from_text(_without_place(turn)) or job_from_text(text)}
    place_only = mentioned_place(turn) or mentioned_education(turn)
    if turn.asked == "job":
        # "di jawa timur" as the answer to "Pekerjaan apa?": any job there
        return {"job": ANYWHERE if place_only and job_from_text(_without_place(turn)) is None else job_from_text(text)}
    if turn.asked is None and turn.intent in (*SEARCH_INTENTS, "inform") and place_only:
        return {"job": ANYWHERE}  # "loker jogja dong, sy lulusan sma": everything there, not a question first
    return {}


def _without_place(turn: Turn) -> str:
    """The message without the place it names (what is left may still name a job)."""
    text = turn.typed
    for match in get_gazetteer().find_in_text(text):
        text = text.replace(match.text, " ")
    entity = turn.entity_span("location")
    return text.replace(entity, " ") if entity else text


def extract_location(turn: Turn) -> dict[str, Any]:
    """A place named in the message; when we asked for it, the whole answer."""
    if turn.intent in INTERRUPTIONS:
        return {}
    place = mentioned_place(turn)
    if place:
        return {"location": place}
    if turn.asked == "location" and turn.typed:
        return {"location": turn.typed}
    if bare_new_search(turn):
        return {"location": None}
    return {}


def validate_job(value: Any) -> dict[str, Any]:
    """A job needs at least one word."""
    text = str(value or "").strip()
    return {"job": text[:100] if text and (text == ANYWHERE or fold(text)) else None}


def validate_location(value: Any) -> tuple[dict[str, Any], str | None]:
    """'*' (anywhere) or a place the gazetteer knows; otherwise the unknown place (to say so and ask again)."""
    text = str(value or "").strip()
    if text == ANYWHERE or means_anywhere(text):
        return {"location": ANYWHERE}, None
    if not fold(text):
        return {"location": None}, None  # nothing to name: the form asks again, without "belum kenal tempat"
    gaz = get_gazetteer()
    if gaz.resolve(text) or gaz.find_in_text(text):
        return {"location": text[:100]}, None
    return {"location": None}, text[:60]


def mentioned_items(labels: list[str], text: str) -> list[int]:
    """Which listed items a follow-up names ("yg garmen itu", "yg di palembang"): the positions of the labels
    sharing the most words with it; every position when it names none."""
    asked = {w for w in fold(text).split() if len(w) > 2 and w not in JOB_FILLERS}
    overlap = [len(asked & set(fold(label).split())) for label in labels]
    best = max(overlap, default=0)
    return [i for i, n in enumerate(overlap) if n == best] if best else list(range(len(labels)))


# "belajar masak biar bisa kerja di hotel": what follows a purpose word is the goal, not what is searched.
_PURPOSE = re.compile(r"\b(biar|supaya|agar|sehingga|untuk bisa|utk bisa|buat bisa|biar bisa)\b", re.IGNORECASE)


def _job_entity(turn: Turn) -> str | None:
    """The job entity the message searches for: before a purpose clause when there are several."""
    purpose = _PURPOSE.search(turn.text)
    jobs = [e for e in turn.entities if e.name == "job" and e.value.strip()]
    if purpose and len(jobs) > 1:
        before = [e for e in jobs if isinstance(e.start, int) and e.start < purpose.start()]
        if before:
            return before[-1].value.strip()
    return turn.entity("job")
