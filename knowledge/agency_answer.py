"""Turns a registry lookup into the Indonesian answer the user reads (pure; copy from content YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.agencies import AgencyLookup, AgencyRecord, RegistryInfo
from knowledge.content import fact_text_with_date
from knowledge.dates import format_date_id

# Facts (knowledge/content/contacts.yml) listed under "how to check officially", in this order.
OFFICIAL_CHECK_FACTS = ("siskop2mi", "bp3mi_ltsa", "disnaker", "kp2mi_call_center")

_MESSAGES = Path(__file__).parent / "content" / "agency_messages.yml"


@dataclass(frozen=True)
class AgencyAnswer:
    """What the bot says: one text, optional buttons (title, payload), and a pending suggestion."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    suggestion_license: str | None = None


@lru_cache(maxsize=1)
def _copy() -> dict[str, Any]:
    with _MESSAGES.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _registry_lines(registry: RegistryInfo) -> list[str]:
    msgs = _copy()["registry"]
    lines = [msgs["as_of"].format(as_of=format_date_id(registry.as_of)) if registry.as_of else msgs["as_of_unknown"]]
    if registry.is_demo:
        lines.append(msgs["demo"])
    return lines


def _details(agency: AgencyRecord) -> list[str]:
    d = _copy()["details"]
    unknown = d["unknown"]
    return [
        d["license"].format(value=agency.license_number),
        d["city"].format(value=agency.city or unknown),
        d["countries"].format(value=", ".join(agency.countries) or unknown),
        d["valid_until"].format(value=format_date_id(agency.valid_until) if agency.valid_until else unknown),
    ]


def _lookalike_line(lookalikes: tuple[AgencyRecord, ...]) -> str | None:
    if not lookalikes:
        return None
    c = _copy()
    items = ", ".join(
        c["lookalike_item"].format(name=a.name, status=c["status_label"][a.status.value]) for a in lookalikes[:3]
    )
    return c["lookalikes"].format(items=items)


def verdict_text(agency: AgencyRecord, registry: RegistryInfo, *, prefix: str | None = None,
                 lookalikes: tuple[AgencyRecord, ...] = ()) -> str:
    """The full verdict for one registry entry: status, meaning, details, look-alikes, source."""
    status = _copy()["status"][agency.status.value]
    parts = [status["headline"].format(name=agency.name), status["meaning"]]
    if prefix:
        parts.insert(0, prefix)
    parts.append("\n".join(_details(agency)))
    lookalike = _lookalike_line(lookalikes)
    if lookalike:
        parts.append(lookalike)
    parts.append("\n".join(_registry_lines(registry)))
    return "\n\n".join(parts)


def official_check_text() -> str:
    """How to check a company officially, from the sourced contact facts."""
    header = _copy()["not_found"]["how_to_check"]
    return "\n".join([header, *(f"• {fact_text_with_date(fid)}" for fid in OFFICIAL_CHECK_FACTS)])


def not_found_answer(query: str, registry: RegistryInfo) -> AgencyAnswer:
    """'Not in this registry copy' — neither illegal nor safe — plus the official ways to check."""
    nf = _copy()["not_found"]
    text = "\n\n".join([nf["text"].format(query=query), official_check_text(), "\n".join(_registry_lines(registry))])
    return AgencyAnswer(text=text, buttons=((nf["retry_button"], "/check_agency"),))


def compose_agency_answer(lookup: AgencyLookup) -> AgencyAnswer:
    """Answer for any lookup outcome (verdict, suggestion question, not found, empty)."""
    c = _copy()
    if lookup.kind == "empty":
        return AgencyAnswer(text=c["empty"])
    if lookup.kind in ("license", "name", "fuzzy") and lookup.agency is not None:
        prefix = None
        if lookup.kind == "fuzzy":
            prefix = c["fuzzy_warning"].format(query=lookup.query, name=lookup.agency.name)
        return AgencyAnswer(
            text=verdict_text(lookup.agency, lookup.registry, prefix=prefix, lookalikes=lookup.lookalikes)
        )
    if lookup.kind == "suggestion" and lookup.suggestions:
        best = lookup.suggestions[0]
        s = c["suggestion"]
        text = s["text"].format(query=lookup.query, name=best.name, city=best.city or c["details"]["unknown"])
        return AgencyAnswer(
            text=text,
            buttons=((s["yes"], "/affirm"), (s["no"], "/deny")),
            suggestion_license=best.license_number,
        )
    return not_found_answer(lookup.query, lookup.registry)


def suggestion_rejected_answer(query: str, registry: RegistryInfo) -> AgencyAnswer:
    """After 'Bukan': the not-found guidance for what the user originally typed."""
    base = not_found_answer(query, registry)
    return AgencyAnswer(text=f"{_copy()['suggestion_rejected']}\n\n{base.text}", buttons=base.buttons)
