"""The escalation use cases: an emergency, a fraud report, a request for a person, cancelling a form."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.escalations.fraud import (  # noqa: F401 - the fraud-report use cases, re-exported for actions
    FRAUD_OFFICIAL,
    FRAUD_SLOTS,
    asks_where_to_report,
    confirm_fraud_report,
    correct_fraud_report,
    extract_fraud_slot,
    fear_answer,
    is_fear,
    is_send_now,
    pick_fraud_field,
    reset_fraud_field,
    send_now_values,
    start_report,
    submit_fraud_report,
    validate_fraud_slot,
    where_to_report,
)
from knowledge.escalations.store import (
    EscalationSummary,
    add_update,
    split_sender,
    store_escalation,
    user_escalations,
)
from knowledge.facts import bullets
from knowledge.language.danger import in_danger, is_plea, only_emoji, situations
from knowledge.language.needs import office_complaint
from knowledge.language.text import fold
from knowledge.language.vocab import find_country
from knowledge.models import EscalationStatus
from knowledge.places.gazetteer import get_gazetteer
from knowledge.turns import Outcome, Turn

log = logging.getLogger(__name__)

FEATURE = "reports"
EMERGENCY_CONTACTS = ("emergency_first_steps", "kp2mi_call_center")
# Slots a cancel clears: everything a form or a pending question holds.
RESETTABLE = (
    *("agency_query", "agency_suggestion", "agency_suggestion_query", "job", "location", "education", "country"),
    *("vacancy_page", "last_search", "cost_job", *FRAUD_SLOTS, "fraud_pending", "requested_slot", "context"),
)
# An emergency ends any form or pending question: nothing else starts while the person is in danger.
_NO_FORM = {"agency_suggestion": None, "fraud_pending": None, "context": None, "requested_slot": None}


def escalate(session: Session, turn: Turn, reason: str, details: dict[str, Any]) -> int | None:
    """Store an escalation and commit; None when the database fails (the user is then NOT told it was saved)."""
    channel, user = split_sender(turn.sender)
    return store_escalation(session, channel=channel, user_id=user, reason=reason, details=details)


def report_emergency(session: Session, turn: Turn) -> Outcome:
    """Emergency abroad: the hotline and embassy advice first, whatever happens to the database.

    From now on the conversation belongs to this emergency (`emergency_open`): every following message is
    added to the same escalation (see `emergency_followup`).
    """
    copy = load_copy(FEATURE)
    text = turn.typed
    contacts = "\n\n".join([copy["emergency_first"], bullets([*EMERGENCY_CONTACTS, *situation_facts(text)])])
    details = {"message": text[:2000], "country": turn.entity("country") or find_country(text) or ""}
    escalation_id = escalate(session, turn, "emergency", details)
    follow = copy["emergency_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    return Outcome.of(Answer(f"{contacts}\n\n{follow}"), emergency_open=True, **_NO_FORM)


def held_in_indonesia(text: str) -> bool:
    """Whether a story of someone held may be about a place in Indonesia: no country abroad named, or an
    Indonesian kabupaten/kota named ("dibawa calo ke batam, mau ke malaysia, skrg di rumah di batam")."""
    return find_country(text) is None or bool(get_gazetteer().find_in_text(text))


def situation_facts(text: str) -> list[str]:
    """The facts an emergency story calls for after the hotline: the police for someone held in Indonesia,
    not paying a ransom alone, the missing-person path."""
    found = situations(text)
    facts = []
    if ("held" in found and held_in_indonesia(text)) or "threat" in found:
        facts.append("emergency_police")  # a threat is made where the family is: at home
    if "ransom" in found:
        facts.append("emergency_no_ransom")
    if "missing" in found:
        facts.append("emergency_missing_worker")
    return facts


def emergency_followup(session: Session, turn: Turn) -> Outcome:
    """A message after an emergency: added to the same escalation and acknowledged briefly.

    A plea, crying emoji or new danger words get empathy and the hotline again; a status question gets the
    report's state; nothing starts a search or a form. When staff closed the report, the mode ends.
    """
    copy = load_copy(FEATURE)
    channel, user = split_sender(turn.sender)
    open_ones = [
        e
        for e in user_escalations(session, channel=channel, user_id=user)
        if e.reason == "emergency" and e.status != EscalationStatus.RESOLVED.value
    ]
    if not open_ones:
        return Outcome.of(
            Answer("\n\n".join([copy["emergency_closed"], bullets(["kp2mi_call_center"])])), emergency_open=None
        )
    esc = open_ones[0]
    text = turn.text if not turn.is_payload else ""
    if text and not _store_update(session, esc.id, text):
        return Outcome.of(Answer("\n\n".join([copy["not_saved"], bullets(EMERGENCY_CONTACTS)])))
    if only_emoji(text) or is_plea(text) or in_danger(text) or turn.intent == "report_emergency":
        lines = [copy["emergency_empathy"].format(id=esc.id), bullets(["kp2mi_call_center", "embassy_abroad"])]
    elif turn.intent in ("ask_ticket_status", "request_human"):
        lines = [status_line(esc), bullets(["kp2mi_call_center"])]
    elif turn.intent in ("thank", "goodbye"):
        lines = [copy["emergency_thanks"].format(id=esc.id), bullets(["kp2mi_call_center"])]
    else:
        place = turn.entity("location") or turn.entity("country") or find_country(turn.typed)
        key = "emergency_added_place" if place else "emergency_added"
        lines = [copy[key].format(id=esc.id, place=place or "")]
    return Outcome.of(Answer("\n\n".join(lines)), emergency_open=True, **_NO_FORM)


def _store_update(session: Session, escalation_id: int, text: str) -> bool:
    """Add a message to an escalation's details; False (logged) when the database fails."""
    try:
        add_update(session, escalation_id, text)
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        log.error("escalation update not stored: %s", type(exc).__name__)
        return False
    return True


# After a report was sent: "uangnya bisa balik gak?", "nanti prosesnya gimana? sy dihubungi?"
_MONEY_BACK = re.compile(r"\b(uang\w*|duit\w*|dana\w*|dp)\b.*\b(balik|kembali|dikembalikan|dibalikin|ganti)\b")
_PROCESS = re.compile(
    r"\b(proses\w*|dihubungi|ditelp\w*|ditelepon|dikabari|selanjutnya|berikutnya|kapan|gimana|gmn|bagaimana)\b"
)
_NEW_REPORT = re.compile(r"\b(lapor\w*|penipuan|ditipu)\b.*\b(lagi|lain|baru|yang lain|yg lain)\b")


def report_followup(session: Session, turn: Turn) -> Outcome | None:
    """A message right after a fraud report was sent: a question about it is answered, anything else is
    added to it for the petugas. None when it starts something else (a new report): the caller hands over."""
    copy = load_copy(FEATURE)
    folded = fold(turn.typed)
    channel, user = split_sender(turn.sender)
    open_ones = [
        e
        for e in user_escalations(session, channel=channel, user_id=user)
        if e.reason == "fraud_report" and e.status != EscalationStatus.RESOLVED.value
    ]
    if not open_ones or (turn.intent == "report_fraud" and _NEW_REPORT.search(folded)):
        return None
    esc = open_ones[0]
    if _MONEY_BACK.search(folded):
        answer = Answer("\n\n".join([copy["report_money_back"], bullets(FRAUD_OFFICIAL)]))
        return Outcome.of(answer, context="report_sent")
    if _PROCESS.search(folded) or turn.intent == "ask_ticket_status":
        return Outcome.of(Answer("\n\n".join([status_line(esc), copy["report_process"]])), context="report_sent")
    if turn.is_payload or len(folded.split()) < 3 or not _store_update(session, esc.id, turn.text):
        return None
    return Outcome.of(Answer(copy["report_added"].format(id=esc.id)), context="report_sent")


def status_line(esc: EscalationSummary) -> str:
    """One plain line about a report: its number and where it stands (waiting, with a petugas, closed and how)."""
    copy = load_copy(FEATURE)["status"]
    template = copy[esc.status]
    if esc.status == EscalationStatus.RESOLVED.value and esc.outcome in copy["closed_as"]:
        template = copy["closed_as"][esc.outcome]
    return template.format(id=esc.id, kind=copy["kinds"].get(esc.reason, copy["kinds"]["request_human"]))


def ticket_status(session: Session, turn: Turn) -> Outcome:
    """'kapan petugasnya balas?': the state of the user's reports (no new ticket is opened)."""
    copy = load_copy(FEATURE)
    channel, user = split_sender(turn.sender)
    mine = user_escalations(session, channel=channel, user_id=user)
    if not mine:
        return Outcome.of(Answer(copy["status"]["none"], (Button(copy["human_button"], payload("request_human")),)))
    lines = [status_line(e) for e in mine[:3]]
    return Outcome.of(Answer("\n".join([*lines, "", copy["status"]["meanwhile"]]).strip()))


def request_human(session: Session, turn: Turn) -> Outcome:
    """Hand the conversation to a person, honestly about when they will answer (with the hotline).

    A user who already has an open report is told its number and state; no second ticket is opened.
    """
    copy = load_copy(FEATURE)
    channel, user = split_sender(turn.sender)
    open_ones = [
        e
        for e in user_escalations(session, channel=channel, user_id=user)
        if e.status != EscalationStatus.RESOLVED.value
    ]
    if open_ones:
        return Outcome.of(
            Answer("\n\n".join([status_line(open_ones[0]), copy["human_urgent"], bullets(["kp2mi_call_center"])]))
        )
    complaint = office_complaint(turn.typed)
    details = {"message": turn.typed[:2000], **({"complaint": "kantor/petugas resmi"} if complaint else {})}
    escalation_id = escalate(session, turn, "request_human", details)
    lead = copy["human_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    if complaint:  # a complaint about an official office: its official complaint channels too
        channels = [copy["complaint_channels"], bullets(["lapor_go_id", "kp2mi_call_center"])]
        return Outcome.of(Answer("\n\n".join([copy["complaint_heard"], lead, *channels])))
    return Outcome.of(Answer("\n\n".join([lead, copy["human_urgent"], bullets(["kp2mi_call_center"])])))


def cancel() -> Outcome:
    """'batal' / 'ulang dari awal': forget what any form collected; nothing was stored."""
    copy = load_copy(FEATURE)
    return Outcome.of(
        Answer(copy["cancelled"], (Button(copy["menu_button"], payload("ask_help")),)), **dict.fromkeys(RESETTABLE)
    )
