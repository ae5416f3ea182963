"""Turns a registry lookup into the Indonesian answer the user reads (pure; copy from messages/agency.yml)."""

from __future__ import annotations

from knowledge.answers import Answer, Button, load_copy
from knowledge.facts import bullets
from knowledge.language.dates import format_date_id
from knowledge.models import LicenseStatus
from knowledge.registry.lookup import AgencyLookup
from knowledge.registry.records import AgencyRecord, RegistryInfo

# Facts (knowledge/content/contacts.yml) listed under "how to check officially", in this order.
OFFICIAL_CHECK_FACTS = ("siskop2mi", "bp3mi_ltsa", "disnaker", "kp2mi_call_center")
# Button payloads this module emits (tests check they are domain intents).
PAYLOAD_YES = "/affirm"
PAYLOAD_NO = "/deny"
PAYLOAD_CHECK_AGAIN = "/check_agency"
FEATURE = "agency"


def registry_lines(registry: RegistryInfo) -> list[str]:
    msgs = load_copy(FEATURE)["registry"]
    lines = [msgs["as_of"].format(as_of=format_date_id(registry.as_of)) if registry.as_of else msgs["as_of_unknown"]]
    if registry.is_demo:
        lines.append(msgs["demo"])
    return lines


def _details(agency: AgencyRecord) -> list[str]:
    d = load_copy(FEATURE)["details"]
    unknown = d["unknown"]
    return [
        d["license"].format(value=agency.license_number),
        d["city"].format(value=agency.city or unknown),
        d["countries"].format(value=", ".join(agency.countries) or unknown),
        d["valid_until"].format(value=format_date_id(agency.valid_until) if agency.valid_until else unknown),
    ]


def _status_label(status: LicenseStatus) -> str:
    return load_copy(FEATURE)["status_label"][status.value]


def lookalike_line(lookalikes: tuple[AgencyRecord, ...]) -> str | None:
    if not lookalikes:
        return None
    c = load_copy(FEATURE)
    items = ", ".join(c["lookalike_item"].format(name=a.name, status=_status_label(a.status)) for a in lookalikes[:3])
    return c["lookalikes"].format(items=items)


def verdict_text(
    agency: AgencyRecord,
    registry: RegistryInfo,
    *,
    prefix: str | None = None,
    lookalikes: tuple[AgencyRecord, ...] = (),
) -> str:
    """The full verdict for one registry entry: status, meaning, details, look-alikes, source."""
    c = load_copy(FEATURE)
    status = c["status"][agency.status.value]
    parts = [status["headline"].format(name=agency.name), status["meaning"]]
    if agency.status is not agency.registered_status and agency.valid_until:
        parts.append(c["expired_note"].format(valid_until=format_date_id(agency.valid_until)))
    if prefix:
        parts.insert(0, prefix)
    parts.append("\n".join(_details(agency)))
    lookalike = lookalike_line(lookalikes)
    if lookalike:
        parts.append(lookalike)
    parts.append("\n".join(registry_lines(registry)))
    return "\n\n".join(parts)


def official_check_text() -> str:
    """How to check a company officially, from the sourced contact facts."""
    header = load_copy(FEATURE)["not_found"]["how_to_check"]
    return "\n".join([header, bullets(OFFICIAL_CHECK_FACTS)])


def not_found_answer(query: str, registry: RegistryInfo, *, lead: str | None = None) -> Answer:
    """'Not in this registry copy' — neither illegal nor safe — plus the official ways to check."""
    c = load_copy(FEATURE)
    nf = c["not_found"]
    parts = [lead] if lead else []
    if registry.size == 0:
        parts.append(c["registry"]["empty"])
    else:
        parts.append(nf["text"].format(query=query))
    parts += [nf["advice"], official_check_text()]
    if registry.size:
        parts.append("\n".join(registry_lines(registry)))
    return Answer(text="\n\n".join(parts), buttons=(Button(nf["retry_button"], PAYLOAD_CHECK_AGAIN),))


def _suggestion_answer(lookup: AgencyLookup) -> Answer:
    c = load_copy(FEATURE)
    s = c["suggestion"]
    best = lookup.suggestions[0]
    city = best.city or c["details"]["unknown"]
    if lookup.via_license:
        text = s["license_text"].format(query=lookup.query, license=best.license_number, name=best.name, city=city)
    else:
        text = s["text"].format(query=lookup.query, name=best.name, city=city)
    parts = [text]
    if len(lookup.suggestions) > 1:
        parts.append(s["others"].format(names=", ".join(a.name for a in lookup.suggestions[1:])))
    parts += [s["caution"], "\n".join(registry_lines(lookup.registry))]
    return Answer(
        text="\n\n".join(parts),
        buttons=(Button(s["yes_button"], PAYLOAD_YES), Button(s["no_button"], PAYLOAD_NO)),
    )


def compose_agency_answer(lookup: AgencyLookup) -> Answer:
    """Answer for any lookup outcome (verdict, suggestion question, not found, empty)."""
    c = load_copy(FEATURE)
    if lookup.kind == "empty":
        return Answer(text=c["empty"])
    if lookup.kind in ("license", "name") and lookup.agency is not None:
        prefix = c["license_note"].format(query=lookup.query) if lookup.kind == "license" else None
        return Answer(text=verdict_text(lookup.agency, lookup.registry, prefix=prefix, lookalikes=lookup.lookalikes))
    if lookup.kind == "suggestion" and lookup.suggestions:
        return _suggestion_answer(lookup)
    answer = not_found_answer(lookup.query, lookup.registry)
    if lookup.suggestions:  # a licence number a digit away from a registered one
        best = lookup.suggestions[0]
        similar = c["not_found"]["similar_license"].format(license=best.license_number, name=best.name)
        first, _, rest = answer.text.partition("\n\n")
        return Answer(text=f"{first}\n\n{similar}\n\n{rest}", buttons=answer.buttons)
    return answer


def suggestion_rejected_answer(query: str, registry: RegistryInfo, suggested: AgencyRecord | None = None) -> Answer:
    """After 'Bukan': a look-alike warning about the company we suggested, then the not-found guidance."""
    c = load_copy(FEATURE)
    lead = None
    if suggested is not None:
        lead = "\n\n".join(
            [
                c["suggestion_rejected"].format(name=suggested.name),
                c["rejected_lookalike"].format(name=suggested.name, status=_status_label(suggested.status)),
            ]
        )
    return not_found_answer(query, registry, lead=lead)
