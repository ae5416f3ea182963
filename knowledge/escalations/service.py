"""The escalation use cases: an emergency, a fraud report, a request for a person, cancelling a form."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.escalations.store import create_escalation, split_sender
from knowledge.facts import bullets
from knowledge.language.vocab import find_country
from knowledge.language.words import UNKNOWN_ANSWERS
from knowledge.turns import INTERRUPTIONS, Outcome, Turn

log = logging.getLogger(__name__)

FEATURE = "reports"
FRAUD_SLOTS = ("fraud_who", "fraud_amount", "fraud_where", "fraud_when")
FRAUD_OFFICIAL = ("fraud_what_next", "kp2mi_call_center", "bp3mi_ltsa", "lapor_go_id")
EMERGENCY_CONTACTS = ("emergency_first_steps", "kp2mi_call_center")
_MONEY = re.compile(r"(?:rp\.?\s*)?\d[\d.,]*\s*(?:juta|jt|ribu|rb|k)\b|rp\.?\s*\d[\d.,]*", re.IGNORECASE)
# Slots a cancel clears: everything a form or a pending question holds.
RESETTABLE = (
    "agency_query",
    "agency_suggestion",
    "agency_suggestion_query",
    "job",
    "location",
    "education",
    "country",
    "vacancy_page",
    "last_search",
    "cost_job",
    *FRAUD_SLOTS,
    "fraud_pending",
    "requested_slot",
)


def escalate(session: Session, turn: Turn, reason: str, details: dict[str, Any]) -> int | None:
    """Store an escalation and commit; None when the database fails (the user is then NOT told it was saved)."""
    channel, user = split_sender(turn.sender)
    try:
        escalation_id = create_escalation(session, channel=channel, user_id=user, reason=reason, details=details)
        session.commit()
        return escalation_id
    except SQLAlchemyError as exc:
        session.rollback()
        log.error("escalation (%s) not stored: %s", reason, type(exc).__name__)
        return None


def report_emergency(session: Session, turn: Turn) -> Outcome:
    """Emergency abroad: the hotline and embassy advice first, whatever happens to the database."""
    copy = load_copy(FEATURE)
    contacts = "\n\n".join([copy["emergency_first"], bullets(EMERGENCY_CONTACTS)])
    text = turn.typed
    details = {"message": text[:2000], "country": turn.entity("country") or find_country(text) or ""}
    escalation_id = escalate(session, turn, "emergency", details)
    follow = copy["emergency_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    return Outcome.of(Answer(f"{contacts}\n\n{follow}"))


def request_human(session: Session, turn: Turn) -> Outcome:
    """Hand the conversation to a person, honestly about when they will answer (with the hotline)."""
    copy = load_copy(FEATURE)
    escalation_id = escalate(session, turn, "request_human", {"message": turn.typed[:2000]})
    lead = copy["human_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    return Outcome.of(Answer("\n\n".join([lead, copy["human_urgent"], bullets(["kp2mi_call_center"])])))


def cancel() -> Outcome:
    """'batal' / 'ulang dari awal': forget what any form collected; nothing was stored."""
    copy = load_copy(FEATURE)
    return Outcome.of(
        Answer(copy["cancelled"], (Button(copy["menu_button"], payload("ask_help")),)), **dict.fromkeys(RESETTABLE)
    )


# ---- the fraud-report form ----------------------------------------------------------------------------


def _answer_to(turn: Turn, slot: str) -> str | None:
    """The message as the answer to the form's question about `slot`, if that is what it is."""
    if turn.asked != slot or not turn.typed or turn.intent in INTERRUPTIONS:
        return None
    return turn.typed


def extract_fraud_slot(turn: Turn, slot: str) -> dict[str, Any]:
    """Fill one report field: the answer to its question, or what the first message already said."""
    answer = _answer_to(turn, slot)
    if answer:
        return {slot: answer}
    if slot == "fraud_who":
        agency = turn.entity_span("agency")
        return {slot: agency} if agency and not turn.slot(slot) else {}
    if slot == "fraud_amount":
        money = _MONEY.search(turn.text)
        return {slot: money.group(0)} if money and not turn.slot(slot) else {}
    return {}


def validate_fraud_slot(slot: str, value: Any) -> dict[str, Any]:
    """Any non-empty answer; 'tidak tahu' is kept as 'tidak diketahui'."""
    text = str(value or "").strip()[:300]
    if not text:
        return {slot: None}
    return {slot: load_copy(FEATURE)["unknown_value"] if text.lower().strip(" .!") in UNKNOWN_ANSWERS else text}


def confirm_fraud_report(turn: Turn) -> Outcome:
    """What was collected, with Ya / Ubah / Batal."""
    copy = load_copy(FEATURE)
    values = {slot.split("_", 1)[1]: turn.slot(slot) or copy["unknown_value"] for slot in FRAUD_SLOTS}
    buttons = (
        Button(copy["fraud_yes_button"], payload("affirm")),
        Button(copy["fraud_change_button"], payload("deny")),
        Button(copy["fraud_cancel_button"], payload("cancel")),
    )
    return Outcome.of(Answer(copy["fraud_confirm"].format(**values), buttons), fraud_pending=True)


def pick_fraud_field() -> Outcome:
    """'Ubah': which part to change (one button per field)."""
    copy = load_copy(FEATURE)
    return Outcome.of(
        Answer(
            copy["fraud_pick_field"],
            tuple(
                Button(label, payload("inform", fraud_field=slot)) for slot, label in copy["fraud_field_labels"].items()
            ),
        )
    )


def reset_fraud_field(turn: Turn) -> Outcome:
    """Clear the chosen field (all four if the choice is unknown) so the form asks for it again."""
    field = turn.entity("fraud_field")
    slots = [field] if field in FRAUD_SLOTS else list(FRAUD_SLOTS)
    return Outcome.of(**dict.fromkeys(slots), fraud_pending=None)


def submit_fraud_report(session: Session, turn: Turn) -> Outcome:
    """Store the confirmed report (high priority); acknowledge only what was really stored."""
    copy = load_copy(FEATURE)
    escalation_id = escalate(session, turn, "fraud_report", {slot: turn.slot(slot) for slot in FRAUD_SLOTS})
    lead = copy["fraud_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    answer = Answer("\n\n".join([lead, copy["fraud_official"], bullets(FRAUD_OFFICIAL)]))
    if escalation_id is None:
        return Outcome.of(answer, fraud_pending=None)
    return Outcome.of(answer, **dict.fromkeys(FRAUD_SLOTS), fraud_pending=None)
