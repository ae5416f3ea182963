"""The agency-check use cases: find the name or licence number in a turn, look it up, answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, load_copy
from knowledge.language.companies import (
    company_mentions,
    extract_agency_query,
    find_license_numbers,
    named_company,
    normalize_name,
    strip_filler,
)
from knowledge.language.text import fold
from knowledge.registry.answer import compose_agency_answer, suggestion_rejected_answer, verdict_text
from knowledge.registry.followup import agency_followup, asked_field
from knowledge.registry.lookup import find_lookalikes, lookup_agency
from knowledge.registry.records import get_agency_by_license, registry_info
from knowledge.turns import INTERRUPTIONS, Outcome, Turn

FEATURE = "agency"
# While we wait for a name, "check_agency" is the expected intent, so it does not interrupt.
_FORM_INTERRUPTIONS = INTERRUPTIONS - {"check_agency"}
NO_SUGGESTION = {"agency_suggestion": None, "agency_suggestion_query": None}


def _name_from_text(text: str) -> str | None:
    """The company name in free text, in the user's own spelling when the message is just the name."""
    candidate = extract_agency_query(text)
    return text.strip() if candidate and candidate == fold(text) else candidate


def agency_query_in(turn: Turn, *, answering: bool) -> str | None:
    """The licence number or company name in the latest message, or None.

    A licence number first; then a name after a company marker anywhere in the message ("... sama PT X
    dr situ katanya resmi" -> "pt x"; "bukan PT A, yang PT B" -> "pt b"); then the entity the NLU found;
    and when the bot has just asked "Nama PT-nya apa?" (`answering`), the whole message.
    """
    text = turn.typed.strip()
    licences = find_license_numbers(text)
    if licences:
        return licences[-1]
    licence = turn.entity("license_number")
    if licence and any(ch.isdigit() for ch in licence):  # every licence number has digits
        return licence
    named = named_company(text) if text else None
    if named:
        return text if named == fold(text) else named  # the user's own spelling when the message is the name
    entity = turn.entity_span("agency")
    if entity:
        return strip_filler(entity) or entity
    if not text:
        return None
    if answering and turn.intent not in _FORM_INTERRUPTIONS:
        return _name_from_text(text) or text
    if turn.intent in ("check_agency", "inform"):
        return _name_from_text(text)
    return None


def extract_agency_query_slot(turn: Turn) -> dict[str, Any]:
    """The form's extraction: licence number first, then the company name (entity or free text)."""
    query = agency_query_in(turn, answering=turn.asked == "agency_query")
    return {"agency_query": query} if query else {}


def validate_agency_query(value: Any) -> dict[str, Any]:
    """Reject values with nothing left after normalisation (the form asks again)."""
    text = str(value or "").strip()
    if not normalize_name(text) and not any(ch.isdigit() for ch in text):
        return {"agency_query": None}
    return {"agency_query": text[:200]}


def check_agency(session: Session, query: str, text: str = "") -> Outcome:
    """The registry answer for a name or licence number; a close match is a question, remembered until Ya/Bukan.

    Several companies named in one message ("PT A sama PT B dua2nya resmi?") are each answered. What was
    answered is remembered for follow-up questions (context "agency", licence numbers in `agency_last`).
    """
    named = _companies_in(text)
    if len(named) > 1:
        return _check_several(session, named)
    lookup = lookup_agency(session, query.strip())
    answer = compose_agency_answer(lookup)
    if lookup.kind == "suggestion" and lookup.suggestions:
        return Outcome.of(
            answer,
            agency_query=None,
            agency_suggestion=lookup.suggestions[0].license_number,
            agency_suggestion_query=query.strip(),
        )
    checked = [lookup.agency.license_number] if lookup.agency else []
    return Outcome.of(answer, agency_query=None, context="agency", agency_last=checked, **NO_SUGGESTION)


def _companies_in(text: str) -> list[str]:
    """The different companies a message names (not those taken back: "bukan PT A, yang PT B")."""
    kept = [name for name, taken_back in company_mentions(text) if not taken_back]
    return list(dict.fromkeys(n for n in kept if normalize_name(n)))


def _check_several(session: Session, names: list[str]) -> Outcome:
    """One registry answer per company named (no Ya/Bukan question: a close match is only described)."""
    answers, checked = [], []
    for name in names[:3]:
        lookup = lookup_agency(session, name)
        if lookup.agency is not None:
            checked.append(lookup.agency.license_number)
            answers.append(compose_agency_answer(lookup))
        else:
            answers.append(describe_company(session, name))
    return Outcome(tuple(answers), {"agency_query": None, "context": "agency", "agency_last": checked, **NO_SUGGESTION})


def answer_agency_followup(session: Session, turn: Turn) -> Outcome | None:
    """A question about the companies just checked ("kantornya di mana?"); None when the message is not one
    (a new name to check, or something else: the caller hands it over)."""
    named = agency_query_in(turn, answering=False) and turn.intent in ("check_agency", "inform")
    if named and (not asked_field(turn.typed) or _companies_in(turn.typed)):
        return None
    checked = list(turn.slot("agency_last") or [])
    answer = agency_followup(session, checked, turn.typed, turn.intent)
    if answer is not None:
        return Outcome.of(answer, context="agency", agency_last=checked)
    if turn.is_remark:
        # "oh gt, sy kira msh": a short remark about the answer is acknowledged, and questions may follow
        return Outcome.hand_over("utter_acknowledge", context="agency", agency_last=checked)
    return None


def answer_suggestion_reply(session: Session, turn: Turn) -> Outcome:
    """Any answer while "Maksud Anda PT ...? Ya/Bukan" is pending.

    Ya -> the verdict for the suggested company. A new or corrected name or licence number (also "bukan, yang
    PT X") -> a new check. Bukan -> the look-alike warning and the official ways to check. Anything else ->
    the question again, so nothing falls into the fallback.
    """
    license_number = turn.slot("agency_suggestion")
    query = turn.slot("agency_suggestion_query") or ""
    new_name = agency_query_in(turn, answering=False) if turn.intent != "affirm" else None
    if new_name and fold(new_name) not in ("ya", "iya", "bukan", "tidak") and fold(new_name) != fold(query):
        return check_agency(session, new_name)
    registry = registry_info(session)
    agency = get_agency_by_license(session, license_number) if license_number else None
    if turn.intent == "affirm" and agency is not None:
        lookalikes = find_lookalikes(session, agency, registry, today=date.today())
        return Outcome.of(Answer(verdict_text(agency, registry, lookalikes=lookalikes)), **NO_SUGGESTION)
    if turn.intent == "deny" or agency is None:
        return Outcome.of(suggestion_rejected_answer(query, registry, agency), **NO_SUGGESTION)
    copy = load_copy(FEATURE)
    return Outcome.of(
        Answer(
            copy["suggestion"]["answer_please"].format(name=agency.name),
            (Button(copy["suggestion"]["yes_button"], "/affirm"), Button(copy["suggestion"]["no_button"], "/deny")),
        )
    )


def check_agency_inline(session: Session, turn: Turn) -> Outcome:
    """An agency question in the middle of another form: answered from the message, no Ya/Bukan question.

    A close match is named with its status and the user is told how to check it precisely.
    """
    copy = load_copy(FEATURE)
    query = agency_query_in(turn, answering=False)
    if not query:
        return Outcome.of(Answer(copy["inline_no_name"]))
    return Outcome.of(describe_company(session, query))


def describe_company(session: Session, query: str) -> Answer:
    """The registry answer for a company named inside another question (no Ya/Bukan question)."""
    copy = load_copy(FEATURE)
    lookup = lookup_agency(session, query)
    if lookup.suggestions and lookup.agency is None:
        best = lookup.suggestions[0]
        status = copy["status_label"][best.status.value]
        return Answer(copy["inline_close_match"].format(query=query, name=best.name, status=status))
    return Answer(compose_agency_answer(lookup).text)


def company_note(session: Session, query: str) -> tuple[str, bool]:
    """The registry answer for a company named in a job offer, and whether the name only resembles one."""
    lookup = lookup_agency(session, query)
    return compose_agency_answer(lookup).text, lookup.kind == "suggestion"
