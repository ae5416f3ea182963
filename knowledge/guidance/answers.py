"""Overseas-work guidance answers: legal channels, requirements, costs, job card, red flags in an offer.

Every rule, number and contact in these answers is a fact from knowledge/content (with its date when it
changes); this module only chooses and orders facts and adds wording from messages/guidance.yml.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.facts import CONTENT_DIR, all_facts, bullets
from knowledge.guidance.eligibility import eligibility_lines
from knowledge.importing import AGENCY_DATASET, dataset_info
from knowledge.language.text import fold
from knowledge.language.vocab import occupation_tags, occupations
from knowledge.models import Agency, LicenseStatus, effective_status

FEATURE = "guidance"
KOREA = "Korea Selatan"
SHIP_UNSPECIFIED = "ship_crew_unspecified"  # "ABK" without the kind of ship (jobs.yml)
SHIP_KINDS = frozenset({"ship_crew", "cruise_crew", "merchant_crew"})  # fishing, cruise, merchant ships
CHANNEL_FACTS = ("channel_g_to_g", "channel_p3mi", "channel_own_company", "channel_no_individuals")
REQUIREMENT_FACTS = ("min_age", "requirements_general", "documents_list", "employment_contract_contents")
JOB_CARD_FACTS = ("job_card_what", "job_card_free", "job_card_documents", "job_card_validity")
KOREA_FACTS = ("eps_what", "eps_requirements", "eps_registration", "eps_no_guarantee")
KOREA_REQUIREMENT_FACTS = ("eps_requirements", "eps_stage_1", "eps_stage_2", "eps_registration", "eps_no_guarantee")


def shown_facts(kind: str, country: str | None = None) -> tuple[str, ...]:
    """The facts an answer of this kind showed (a follow-up question is weighed towards them)."""
    korea = country == KOREA
    if kind == "channels":
        return CHANNEL_FACTS + (KOREA_FACTS if korea else ())
    if kind == "requirements":
        return (KOREA_REQUIREMENT_FACTS if korea else ()) + REQUIREMENT_FACTS
    if kind == "job_card":
        return JOB_CARD_FACTS
    return ("zero_cost_jobs_list", "zero_cost_items", "other_jobs_costs", "no_salary_loans")


def country_fact_id(country: str) -> str:
    """'Hong Kong' -> 'country_hong_kong'."""
    return "country_" + fold(country).replace(" ", "_")


def active_agencies_for(session: Session, country: str, today: date | None = None) -> int:
    """How many agencies in the registry copy list this destination and are active today."""
    today = today or date.today()
    rows = session.execute(
        select(Agency.status, Agency.valid_until, Agency.countries).where(Agency.countries.like(f"%{country}%"))
    )
    return sum(
        1
        for status, until, countries in rows
        if country in [c.strip() for c in countries.split(";")]
        and effective_status(status, until, today) is LicenseStatus.AKTIF
    )


def channels_answer(session: Session, country: str | None, text: str = "") -> Answer:
    """The three legal channels, then what we know about the country (facts and the registry copy).

    An age stated in the question that rules the person out comes first, in one plain line.
    """
    c = load_copy(FEATURE)
    parts = [*eligibility_lines(text, country), c["channels_intro"], bullets(CHANNEL_FACTS)]
    buttons = [
        Button(c["button_check_agency"], payload("check_agency")),
        Button(c["button_costs"], payload("ask_placement_cost")),
    ]
    if country:
        note = country_fact_id(country)
        lines = [c["channels_country"].format(country=country)]
        if note in all_facts():
            lines.append(bullets([note]))
        else:
            lines.append(c["no_country_note"].format(country=country))
        if country == KOREA:
            lines.append(bullets(KOREA_FACTS))
        count = active_agencies_for(session, country)
        registry = dataset_info(session, AGENCY_DATASET)
        line = (c["registry_count"] if count else c["registry_none"]).format(count=count, country=country)
        lines.append(f"{line} {c['registry_demo']}" if registry.is_demo else line)
        parts.append("\n".join(lines))
        buttons.insert(
            0, Button(c["button_vacancies"].format(country=country)[:40], payload("search_vacancy", country=country))
        )
    return Answer("\n\n".join(parts), tuple(buttons))


def requirements_answer(country: str | None, text: str = "") -> Answer:
    """Age, requirements, documents and the employment contract (plus the country note; Korea: EPS rules).

    An age stated in the question that rules the person out comes first, in one plain line.
    """
    c = load_copy(FEATURE)
    if country == KOREA:  # the EPS rules are what a Korea question is about: first, then the general ones
        parts = [*eligibility_lines(text, country), c["requirements_korea"], bullets(KOREA_REQUIREMENT_FACTS)]
        parts += [c["requirements_intro"], bullets(REQUIREMENT_FACTS)]
    else:
        parts = [*eligibility_lines(text, country), c["requirements_intro"], bullets(REQUIREMENT_FACTS)]
        if country and country_fact_id(country) in all_facts():
            parts.append(bullets([country_fact_id(country)]))
    return Answer(
        "\n\n".join(parts),
        (
            Button(c["button_costs"], payload("ask_placement_cost")),
            Button(c["button_channels"], payload("ask_overseas_channels")),
        ),
    )


@lru_cache(maxsize=1)
def zero_cost_jobs() -> dict[str, str]:
    """Occupation tag -> the official name of the zero-cost job (Peraturan BP2MI 9/2020, costs.yml)."""
    data = yaml.safe_load((CONTENT_DIR / "costs.yml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for entry in data["zero_cost_jobs"]:
        out.setdefault(entry["occupation"], entry["name"])
    return out


def cost_answer(job: str | None, text: str = "") -> Answer:
    """Whether the job is one of the 10 zero-cost jobs, what that means, and the rules for other jobs.

    Ship crew without the kind of ship is a question first: only fishing-vessel crew is zero-cost.
    """
    c = load_copy(FEATURE)
    lead = eligibility_lines(text, None)
    if not job:
        return Answer("\n\n".join([*lead, bullets(["zero_cost_jobs_list"]), c["cost_ask_more"]]))
    tags = occupation_tags(job)
    if SHIP_UNSPECIFIED in tags and not tags & SHIP_KINDS:
        return Answer(
            "\n\n".join([*lead, c["cost_ship_which"]]),
            (
                Button(c["button_fishing"], payload("ask_placement_cost", job="awak kapal perikanan")),
                Button(c["button_cruise"], payload("ask_placement_cost", job="awak kapal pesiar")),
            ),
        )
    free = [zero_cost_jobs()[t] for t in tags if t in zero_cost_jobs()]
    label = occupations()[next(iter(tags))].label if len(tags) == 1 else job
    if free:
        parts = [
            *lead,
            c["cost_zero"].format(job=label, official=free[0]),
            bullets(["zero_cost_items", "no_salary_loans"]),
        ]
    elif tags:
        parts = [
            *lead,
            c["cost_not_zero"].format(job=label),
            bullets(["zero_cost_jobs_list", "other_jobs_costs", "no_salary_loans"]),
        ]
    else:
        parts = [
            *lead,
            c["cost_unknown"].format(job=job),
            bullets(["zero_cost_jobs_list", "other_jobs_costs", "no_salary_loans"]),
        ]
    return Answer(
        "\n\n".join(parts),
        (
            Button(c["button_requirements"], payload("ask_overseas_requirements")),
            Button(c["button_check_agency"], payload("check_agency")),
        ),
    )


def job_card_answer() -> Answer:
    """Kartu kuning / AK/1."""
    return Answer("\n\n".join([load_copy(FEATURE)["job_card_intro"], bullets(JOB_CARD_FACTS)]))
