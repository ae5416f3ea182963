"""Fraud reports, emergencies, requests for a person (all become escalations), and cancelling."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction, TanyaKerjaFormValidation, turn_of, usual_action
from knowledge.escalations import service
from knowledge.guidance.service import red_flags_in
from knowledge.registry.service import company_note
from knowledge.turns import Outcome, Turn


class ValidateFraudReportForm(TanyaKerjaFormValidation):
    """Collects who, how much, where and when; details already in the first message are kept."""

    def name(self) -> str:
        """Action name."""
        return "validate_fraud_report_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Fear ("saya takut kalau lapor") is answered, not stored as a field; the form then asks again."""
        turn = turn_of(tracker)
        send_now = service.send_now_values(turn)
        if send_now:
            # "laporin aja": the fields not given yet are marked, the form ends and the report is sent
            return [SlotSet(slot, value) for slot, value in send_now.items()]
        if not (turn.typed and service.is_fear(turn.typed)):
            return await super().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=service.fear_answer().text)
        events = await super().run(dispatcher, tracker, domain)
        if turn.asked and not any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events):
            # the message was answered here: an empty value for the question keeps the form going (Rasa would
            # otherwise reject the form and fall back), and the form asks the same question again
            events.append(SlotSet(turn.asked, None))
        return events

    async def extract_fraud_who(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A company named in the message, or the answer to 'siapa pelakunya?'."""
        return service.extract_fraud_slot(turn_of(tracker), "fraud_who")

    async def extract_fraud_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An amount of money in the message, or the answer to 'berapa yang sudah dibayar?'."""
        return service.extract_fraud_slot(turn_of(tracker), "fraud_amount")

    async def extract_fraud_where(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The answer to 'di mana kejadiannya?'."""
        return service.extract_fraud_slot(turn_of(tracker), "fraud_where")

    async def extract_fraud_when(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The answer to 'kapan kejadiannya?'."""
        return service.extract_fraud_slot(turn_of(tracker), "fraud_when")

    def validate_fraud_who(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty answer ('tidak tahu' allowed)."""
        return service.validate_fraud_slot("fraud_who", value)

    def validate_fraud_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty answer."""
        return service.validate_fraud_slot("fraud_amount", value)

    def validate_fraud_where(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty answer."""
        return service.validate_fraud_slot("fraud_where", value)

    def validate_fraud_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty answer."""
        return service.validate_fraud_slot("fraud_when", value)


class ActionFraudConfirm(TanyaKerjaAction):
    """Shows what was collected and asks whether to send it (Ya / Ubah / Batal)."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_confirm"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Summary plus buttons; marks the report as waiting for confirmation. When the last answer was
        "laporin aja", the report is sent at once."""
        if service.is_send_now(turn.typed):
            return service.submit_fraud_report(session, turn)
        return service.confirm_fraud_report(turn)


class ActionFraudPickField(TanyaKerjaAction):
    """'Ubah': which part to change (buttons that name the field)."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_pick_field"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """One button per field."""
        return service.pick_fraud_field()


class ActionFraudResetField(TanyaKerjaAction):
    """Clears the chosen field so the form asks for it again."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_reset_field"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Clear one field (all four if the choice is unknown) and the pending confirmation."""
        return service.reset_fraud_field(turn)


class ActionSubmitFraudReport(TanyaKerjaAction):
    """Stores the confirmed report as an escalation, then says what happens next and where else to report."""

    failure_slots = {"fraud_pending": None}

    def name(self) -> str:
        """Action name."""
        return "action_submit_fraud_report"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Escalate (high priority); acknowledge only what was really stored."""
        return service.submit_fraud_report(session, turn)


class ActionReportEmergency(TanyaKerjaAction):
    """Emergency abroad: the hotline and embassy advice first, then an urgent escalation."""

    def name(self) -> str:
        """Action name."""
        return "action_report_emergency"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Contacts in the very first reply, whatever happens to the database."""
        return service.report_emergency(session, turn)


class ActionRequestHuman(TanyaKerjaAction):
    """Hands the conversation to a person, honestly about when they will answer."""

    def name(self) -> str:
        """Action name."""
        return "action_request_human"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Escalate (normal priority) and say so; with the hotline for emergencies."""
        return service.request_human(session, turn)


class ActionCancel(TanyaKerjaAction):
    """'batal' / 'ulang dari awal': stop any form, forget what it collected, say nothing was stored."""

    def name(self) -> str:
        """Action name."""
        return "action_cancel"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Clear every conversation slot."""
        return service.cancel()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Deactivate the form first, then answer and clear the slots."""
        return [ActiveLoop(None), *await super().run(dispatcher, tracker, domain)]


class ActionEmergencyFollowup(TanyaKerjaAction):
    """Any message after an emergency: added to the same report and acknowledged briefly."""

    def name(self) -> str:
        """Action name."""
        return "action_emergency_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Add to the report; empathy and the hotline for a plea; the report's state for a status question."""
        return service.emergency_followup(session, turn)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """No form runs while the conversation belongs to an emergency."""
        events = await super().run(dispatcher, tracker, domain)
        return [ActiveLoop(None), *events] if tracker.active_loop_name else events


class ActionTicketStatus(TanyaKerjaAction):
    """'kapan petugasnya balas?': the state of the user's reports."""

    def name(self) -> str:
        """Action name."""
        return "action_ticket_status"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Number and state of each open report (no new ticket)."""
        return service.ticket_status(session, turn)


class ActionFraudCorrection(TanyaKerjaAction):
    """A message while the fraud summary waits for Ya / Ubah / Batal: a correction in words, "ubah", fear."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_correction"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Change the named field and show the summary again, or offer the fields, or answer fear; a company
        check that is not about the report runs (the summary still waits for its answer)."""
        if service.is_send_now(turn.typed) or turn.intent in ("thank", "goodbye"):
            return service.submit_fraud_report(session, turn)  # "sudah itu aja", "makasih": send it
        return service.correct_fraud_report(turn) or Outcome.hand_over("agency_check_form")


class ActionReportFollowup(TanyaKerjaAction):
    """A message right after a fraud report was sent: added to it, or a question about it answered."""

    def name(self) -> str:
        """Action name."""
        return "action_report_followup"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """Money back / what happens next answered; other details added; a new report goes to the form."""
        return service.report_followup(session, turn) or Outcome.hand_over(usual_action(turn))


class ActionFraudStart(TanyaKerjaAction):
    """Before the fraud report: "lapor ke mana?" gets the official places; anything else goes to the form."""

    def name(self) -> str:
        """Action name."""
        return "action_fraud_start"

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The official places to report (context report_info), or what to do now and the hotline, then the
        form."""
        if service.asks_where_to_report(turn):
            return service.where_to_report()
        company = turn.entity("license_number") or turn.entity_span("agency")
        note = company_note(session, company)[0] if company else None
        return service.start_report(turn, note, red_flags_in(turn))
