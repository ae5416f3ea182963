"""The overseas-guidance use cases: channels, requirements, costs, the job card, and checking an offer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from knowledge.answers import Answer
from knowledge.facts import bullets
from knowledge.guidance import faq
from knowledge.guidance.answers import channels_answer, cost_answer, job_card_answer, requirements_answer, shown_facts
from knowledge.guidance.offers import is_about_the_offer, offer_answer, offer_followup
from knowledge.guidance.red_flags import find_red_flags
from knowledge.language.companies import named_company
from knowledge.language.vocab import find_country, normalize_country, occupation_tags
from knowledge.turns import INTERRUPTIONS, Outcome, Turn

# The registry's note on a company named in an offer: (session, name) -> (text, name only resembles one).
CompanyNote = Callable[[Session, str], tuple[str, bool]]


def destination(turn: Turn) -> str | None:
    """The destination named in the message (entity first, then the text)."""
    entity = turn.entity("country")
    if entity:
        return normalize_country(entity) or entity.title()
    return find_country(turn.typed) if turn.typed else None


def _shown(facts: tuple[str, ...]) -> dict[str, Any]:
    """What a guidance answer remembers: a follow-up question is weighed towards the facts it showed."""
    return {"context": "guidance", "guidance_facts": list(dict.fromkeys(facts))[:12]}


def still_about_the_offer(turn: Turn) -> bool:
    """After an offer check: does the message still talk about it (push-back, a new detail)?"""
    return is_about_the_offer(turn.typed)


def has_red_flags(text: str) -> bool:
    """Whether a message describes an offer with a red flag of a fake overseas job."""
    return bool(find_red_flags(text))


def answer_question(turn: Turn, *, glossary_only: bool = False) -> Outcome | None:
    """A question one or two of our sourced facts answer ("LTSA itu apa?", "tesnya apa aja?" after the EPS
    answer), or None when no fact clearly does (the caller answers as it would have)."""
    shown = tuple(turn.slot("guidance_facts") or ()) if turn.slot("context") == "guidance" else ()
    facts = faq.glossary_facts(turn.typed) if glossary_only else faq.answer_facts(turn.typed, shown)
    if not facts:
        return None
    return Outcome.of(Answer(bullets(facts)), **_shown(facts + shown))


# Questions that look something up; naming what to look up, they are new questions, not about the facts shown.
_LOOKUP_INTENTS = frozenset(
    {"ask_placement_cost", "search_vacancy", "search_training", "check_agency", "ask_overseas_channels"}
)


def _named(turn: Turn) -> set[str]:
    """The kinds of thing to look up that the message names."""
    return {name for name in faq.LOOKUP_ENTITIES if turn.entity(name)}


def new_lookup(turn: Turn) -> bool:
    """A task question that names what it is about ("biaya jadi prt ke taiwan brp" after the cost facts):
    its own action answers it, not the facts just shown."""
    return turn.intent in _LOOKUP_INTENTS and bool(_named(turn))


def fact_question(turn: Turn) -> bool:
    """A typed question, not the answer to one of our questions, that names nothing to look up and that one
    of our facts answers: the cost and vacancy forms then ask nothing, and the fact is the answer."""
    return bool(turn.typed) and turn.asked is None and faq.fact_answerable(turn.typed, _named(turn))


def fact_answer(turn: Turn) -> Outcome | None:
    """The facts that answer a `fact_question`, or None for any other message."""
    return answer_question(turn) if fact_question(turn) else None


def answer_channels(session: Session, turn: Turn) -> Outcome:
    """How to work abroad legally, with the country's note and how many licensed agencies serve it.
    A question about a term ("P3MI itu apa?") gets the term's facts instead."""
    country = destination(turn)
    return answer_question(turn, glossary_only=True) or Outcome.of(
        channels_answer(session, country, turn.typed), **_shown(shown_facts("channels", country))
    )


def answer_requirements(turn: Turn) -> Outcome:
    """Age, requirements and documents (UU 18/2017), plus the country note (Korea: the EPS rules first)."""
    country = destination(turn)
    return answer_question(turn, glossary_only=True) or Outcome.of(
        requirements_answer(country, turn.typed), **_shown(shown_facts("requirements", country))
    )


def answer_job_card(turn: Turn) -> Outcome:
    """Kartu kuning / AK/1."""
    return answer_question(turn, glossary_only=True) or Outcome.of(job_card_answer(), **_shown(shown_facts("job_card")))


def extract_cost_job(turn: Turn) -> dict[str, Any]:
    """The job entity, occupation words in the message, or the answer to 'pekerjaan apa?'."""
    entity = turn.entity("job")
    if entity:
        return {"cost_job": entity}
    text = turn.typed
    if text and occupation_tags(text):
        return {"cost_job": text}
    if turn.asked == "cost_job" and text and turn.intent not in INTERRUPTIONS:
        return {"cost_job": text}
    return {}


def validate_cost_job(value: Any) -> dict[str, Any]:
    """Any non-empty answer (an unknown job still gets the general rules)."""
    text = str(value or "").strip()[:100]
    return {"cost_job": text or None}


def answer_cost(turn: Turn) -> Outcome:
    """Whether the collected job is one of the 10 zero-cost jobs, and the cost rules; then forget the job.
    A cost question one of our facts answers, with no job named, gets the fact."""
    answered = None if turn.slot("cost_job") else fact_answer(turn)
    return answered or Outcome.of(
        cost_answer(turn.slot("cost_job"), turn.typed), cost_job=None, **_shown(shown_facts("costs"))
    )


def red_flags_in(turn: Turn) -> list[str]:
    """The red flags (fact ids) a message describes: a fraud report names them too."""
    return find_red_flags(turn.typed)


def answer_offer(session: Session, turn: Turn, *, company_note: CompanyNote) -> Outcome:
    """Each red flag in a described offer, why it matters, the registry note on a named company, what to do."""
    text = turn.typed
    flags = find_red_flags(text)
    company = turn.entity("license_number") or turn.entity_span("agency") or named_company(text)
    note = None
    if company:
        note, only_resembles = company_note(session, company)
        if only_resembles and "red_flag_lookalike" not in flags:
            flags.append("red_flag_lookalike")
    return Outcome.of(offer_answer(text, flags, note), context="offer")


def answer_offer_followup(turn: Turn) -> Outcome:
    """A message right after an offer check: push-back, more details, or a question about it."""
    return Outcome.of(offer_followup(turn.typed), context="offer")
