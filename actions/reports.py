"""Fraud reports, emergencies, requests for a person (all become escalations), and cancelling."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common import INTERRUPTIONS, answers_politely, entity_span, latest_entity, latest_intent, latest_text
from actions.deps import get_session_factory
from knowledge.buttons import payload
from knowledge.escalations import create_escalation, split_sender
from knowledge.guidance import bullets
from knowledge.messages import load_messages
from knowledge.vocab import find_country

FRAUD_SLOTS = ("fraud_who", "fraud_amount", "fraud_where", "fraud_when")
FRAUD_OFFICIAL = ("fraud_what_next", "kp2mi_call_center", "bp3mi_ltsa", "lapor_go_id")
EMERGENCY_CONTACTS = ("emergency_first_steps", "kp2mi_call_center")
_MONEY = re.compile(r"(?:rp\.?\s*)?\d[\d.,]*\s*(?:juta|jt|ribu|rb|k)\b|rp\.?\s*\d[\d.,]*", re.IGNORECASE)
_UNKNOWN = {"tidak tahu", "gak tau", "ga tau", "gk tau", "nggak tau", "tdk tahu", "lupa", "tidak ingat", "-",
            "gatau", "ndak tau", "entah"}
# Slots a cancel clears: everything a form or a pending question holds.
RESETTABLE = ("agency_query", "agency_suggestion", "agency_suggestion_query", "job", "location", "education",
              "country", "vacancy_page", "last_search", "cost_job", *FRAUD_SLOTS, "fraud_pending", "requested_slot")


def _copy() -> dict[str, Any]:
    return load_messages("reports")


def _escalate(tracker: Tracker, reason: str, details: dict) -> int | None:
    """Store an escalation; None when the database is down (the user is then NOT told it was saved)."""
    channel, user = split_sender(tracker.sender_id)
    try:
        with get_session_factory()() as session, session.begin():
            return create_escalation(session, channel=channel, user_id=user, reason=reason, details=details)
    except SQLAlchemyError:
        return None


class ValidateFraudReportForm(FormValidationAction):
    """Collects who, how much, where and when; details already in the first message are kept."""

    def name(self) -> str:
        """Action name."""
        return "validate_fraud_report_form"

    def _answer(self, tracker: Tracker, slot: str) -> str | None:
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") != slot or not text or text.startswith("/"):
            return None
        if latest_intent(tracker) in INTERRUPTIONS:
            return None
        return text

    async def extract_fraud_who(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        """A company named in the message, or the answer to 'siapa pelakunya?'."""
        answer = self._answer(tracker, "fraud_who")
        if answer:
            return {"fraud_who": answer}
        agency = entity_span(tracker, "agency")
        return {"fraud_who": agency} if agency and not tracker.get_slot("fraud_who") else {}

    async def extract_fraud_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """An amount of money in the message, or the answer to 'berapa yang sudah dibayar?'."""
        answer = self._answer(tracker, "fraud_amount")
        if answer:
            return {"fraud_amount": answer}
        money = _MONEY.search(latest_text(tracker))
        return {"fraud_amount": money.group(0)} if money and not tracker.get_slot("fraud_amount") else {}

    async def extract_fraud_where(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """The answer to 'di mana kejadiannya?'."""
        answer = self._answer(tracker, "fraud_where")
        return {"fraud_where": answer} if answer else {}

    async def extract_fraud_when(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        """The answer to 'kapan kejadiannya?'."""
        answer = self._answer(tracker, "fraud_when")
        return {"fraud_when": answer} if answer else {}

    @staticmethod
    def _clean(value: Any) -> str | None:
        text = str(value or "").strip()[:300]
        if not text:
            return None
        return _copy()["unknown_value"] if text.lower().strip(" .!") in _UNKNOWN else text

    def validate_fraud_who(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> dict[str, Any]:
        """Any non-empty answer ('tidak tahu' allowed)."""
        return {"fraud_who": self._clean(value)}

    def validate_fraud_amount(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        """Any non-empty answer."""
        return {"fraud_amount": self._clean(value)}

    def validate_fraud_where(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """Any non-empty answer."""
        return {"fraud_where": self._clean(value)}

    def validate_fraud_when(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        """Any non-empty answer."""
        return {"fraud_when": self._clean(value)}


class ActionFraudConfirm(Action):
    """Shows what was collected and asks whether to send it (Ya / Ubah / Batal)."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Summary plus buttons; marks the report as waiting for confirmation."""
        c = _copy()
        values = {slot.split("_", 1)[1]: tracker.get_slot(slot) or c["unknown_value"] for slot in FRAUD_SLOTS}
        dispatcher.utter_message(text=c["fraud_confirm"].format(**values), buttons=[
            {"title": c["fraud_yes_button"], "payload": payload("affirm")},
            {"title": c["fraud_change_button"], "payload": payload("deny")},
            {"title": c["fraud_cancel_button"], "payload": payload("cancel")}])
        return [SlotSet("fraud_pending", True)]


class ActionFraudPickField(Action):
    """'Ubah': which part to change (buttons that name the field)."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_pick_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """One button per field."""
        c = _copy()
        dispatcher.utter_message(text=c["fraud_pick_field"], buttons=[
            {"title": label, "payload": payload("inform", fraud_field=slot)}
            for slot, label in c["fraud_field_labels"].items()])
        return []


class ActionFraudResetField(Action):
    """Clears the chosen field so the form asks for it again."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_reset_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Clear one slot (all four if the choice is unknown) and the pending confirmation."""
        field = latest_entity(tracker, "fraud_field")
        slots = [field] if field in FRAUD_SLOTS else list(FRAUD_SLOTS)
        return [SlotSet(s, None) for s in slots] + [SlotSet("fraud_pending", None)]


class ActionSubmitFraudReport(Action):
    """Stores the confirmed report as an escalation, then says what happens next and where else to report."""

    def name(self) -> str:
        """Action name."""
        return "action_submit_fraud_report"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Escalate (high priority); acknowledge only what was really stored."""
        c = _copy()
        details = {slot: tracker.get_slot(slot) for slot in FRAUD_SLOTS}
        escalation_id = _escalate(tracker, "fraud_report", details)
        lead = c["fraud_saved"].format(id=escalation_id) if escalation_id else c["not_saved"]
        dispatcher.utter_message(text="\n\n".join([lead, c["fraud_official"], bullets(FRAUD_OFFICIAL)]))
        if escalation_id is None:
            return [SlotSet("fraud_pending", None)]
        return [SlotSet(s, None) for s in FRAUD_SLOTS] + [SlotSet("fraud_pending", None)]


class ActionReportEmergency(Action):
    """Emergency abroad: the hotline and embassy advice first, then an urgent escalation."""

    def name(self) -> str:
        """Action name."""
        return "action_report_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Contacts in the very first reply, whatever happens to the database."""
        c = _copy()
        text = latest_text(tracker)
        contacts = "\n\n".join([c["emergency_first"], bullets(EMERGENCY_CONTACTS)])
        details = {"message": text[:2000], "country": latest_entity(tracker, "country") or find_country(text) or ""}
        escalation_id = _escalate(tracker, "emergency", details)
        follow = c["emergency_saved"].format(id=escalation_id) if escalation_id else c["not_saved"]
        dispatcher.utter_message(text=f"{contacts}\n\n{follow}")
        return []


class ActionRequestHuman(Action):
    """Hands the conversation to a person, honestly about when they will answer."""

    def name(self) -> str:
        """Action name."""
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Escalate (normal priority) and say so; with the hotline for emergencies."""
        c = _copy()
        escalation_id = _escalate(tracker, "request_human", {"message": latest_text(tracker)[:2000]})
        lead = c["human_saved"].format(id=escalation_id) if escalation_id else c["not_saved"]
        dispatcher.utter_message(text="\n\n".join([lead, c["human_urgent"], bullets(["kp2mi_call_center"])]))
        return []


class ActionCancel(Action):
    """'batal' / 'ulang dari awal': stop any form, forget what it collected, say nothing was stored."""

    def name(self) -> str:
        """Action name."""
        return "action_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Deactivate the form and clear every conversation slot."""
        c = _copy()
        dispatcher.utter_message(text=c["cancelled"], buttons=[{"title": c["menu_button"], "payload": payload("ask_help")}])
        return [ActiveLoop(None)] + [SlotSet(s, None) for s in RESETTABLE]
