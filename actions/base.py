"""What every action shares: the session, the turn, sending answers, and answering politely on failure.

An action reads the tracker into a `Turn`, makes one service call in `knowledge/`, sends the answers and
returns the slots to remember. `TanyaKerjaAction.run` owns the database session and turns any failure
into the "layanan sedang gangguan" answer plus the action's `failure_slots`, so no action can leave
Rasa with a 500 (which would log the whole conversation).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import pkgutil
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import session_factory
from knowledge.turns import Entity, Outcome, Turn

log = logging.getLogger(__name__)

_factory: sessionmaker[Session] | None = None

# The action each intent gets when it is not a follow-up (rules in nlu/data/rules_*.yml say the same).
USUAL_ACTION = {
    "ask_placement_cost": "placement_cost_form",
    "check_offer": "action_check_offer",
    "ask_overseas_requirements": "action_overseas_requirements",
    "ask_overseas_channels": "action_overseas_channels",
    "ask_job_card": "action_job_card",
    "search_vacancy": "vacancy_search_form",
    "search_training": "training_search_form",
    "out_of_scope": "utter_out_of_scope",
    "ask_help": "utter_help",
    "affirm": "utter_acknowledge",
    "deny": "utter_acknowledge",
    "thank": "utter_thank",
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "check_agency": "agency_check_form",
    "report_fraud": "action_fraud_start",
    "request_human": "action_request_human",
    "report_emergency": "action_report_emergency",
    "ask_ticket_status": "action_ticket_status",
    "nlu_fallback": "action_nlu_fallback",
}


def usual_action(turn: Turn) -> str:
    """What a message gets when it is not a follow-up: its intent's action; a bare company name is a check."""
    if turn.intent == "inform" and (turn.entity("agency") or turn.entity("license_number")):
        return "agency_check_form"
    return USUAL_ACTION.get(turn.intent or "", "action_nlu_fallback")


def get_session_factory() -> sessionmaker[Session]:
    """The session factory for the configured DATABASE_URL, built on first use."""
    global _factory
    if _factory is None:
        _factory = session_factory()
    return _factory


def set_session_factory(factory: sessionmaker[Session] | None) -> None:
    """Replace the factory (tests pass one bound to their own database)."""
    global _factory
    _factory = factory


def turn_of(tracker: Tracker) -> Turn:
    """The latest user message and the slots, as the domain reads them."""
    message = tracker.latest_message or {}
    entities = tuple(
        Entity(
            str(e.get("entity")),
            str(e.get("value")).strip(),
            e.get("start") if isinstance(e.get("start"), int) else None,
            e.get("end") if isinstance(e.get("end"), int) else None,
        )
        for e in message.get("entities") or []
        if e.get("entity") and e.get("value") is not None
    )
    return Turn(
        text=(message.get("text") or "").strip(),
        intent=(message.get("intent") or {}).get("name"),
        entities=entities,
        slots=dict(tracker.slots),
        sender=tracker.sender_id or "",
    )


def hashed_sender(tracker: Tracker) -> str:
    """The sender id for logs: stable, not reversible."""
    return hashlib.sha256((tracker.sender_id or "").encode()).hexdigest()[:12]


def send(dispatcher: CollectingDispatcher, outcome: Outcome, tracker: Tracker | None = None) -> list[EventType]:
    """Utter the outcome's answers; its remembered values as slot events; its follow-up action, if any.

    An answer that sets no `context` ends the previous one (a list or an offer check is no longer what a
    follow-up question refers to); so does a hand-over to another action.
    """
    for answer in outcome.answers:
        dispatcher.utter_message(text=answer.text, buttons=answer.button_dicts())
    events: list[EventType] = [SlotSet(name, value) for name, value in outcome.remember.items()]
    if tracker is not None and "context" not in outcome.remember and tracker.get_slot("context"):
        events.append(SlotSet("context", None))  # a hand-over too: the next action answers on its own
    if tracker is not None and "unclear_turns" not in outcome.remember and tracker.get_slot("unclear_turns"):
        events.append(SlotSet("unclear_turns", None))  # an answer ends a run of unclear messages
    if outcome.followup:
        events.append(FollowupAction(outcome.followup))
    return events


def _polite_failure(action: str, dispatcher: CollectingDispatcher, tracker: Tracker, exc: Exception) -> None:
    log.error(
        "action %s failed for sender %s: %s",
        action,
        hashed_sender(tracker),
        type(exc).__name__,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )
    dispatcher.messages.clear()
    dispatcher.utter_message(response="utter_service_trouble")


class TanyaKerjaAction(Action, ABC):
    """Base of every action: one session per run, one service call, a polite answer on any failure."""

    # True when another action runs this one as part of its own turn (run_inline).
    inline: bool = False

    # Slots reset when the action fails (e.g. a half-used form value), as name -> value.
    failure_slots: dict[str, Any] = {}

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    @abstractmethod
    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """The one service call of this action."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Build the turn, call the service in a session, send its answers; on failure, apologise."""
        try:
            with get_session_factory()() as session:
                outcome = self.act(session, turn_of(tracker), tracker)
            events = send(dispatcher, outcome, tracker)
        except Exception as exc:  # noqa: BLE001 - last line of defence; the type is logged
            _polite_failure(self.name(), dispatcher, tracker, exc)
            return [SlotSet(name, value) for name, value in self.failure_slots.items()]
        if outcome.followup and not outcome.followup.endswith("_form"):
            # A hand-over to an action that is not a form runs here, in the same turn: as a FollowupAction
            # the dialogue would have no rule for what comes after it and fall back again and again.
            events = [e for e in events if e.get("event") != "followup"]
            inline = await run_inline(outcome.followup, dispatcher, tracker, domain)
            if "context" in outcome.remember:  # what this action remembers outlives the other's clean-up
                inline = [e for e in inline if not (e.get("event") == "slot" and e.get("name") == "context")]
            events += inline
        return events


async def run_inline(name: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
    """Run another of our actions (or utter a response) as part of this one."""
    if name.startswith("utter_"):
        dispatcher.utter_message(response=name)
        return []
    action = _action_named(name)
    if action is None:
        raise LookupError(f"no action named {name}")
    action.inline = True  # e.g. the fallback then knows it is not Rasa's core fallback
    return await action.run(dispatcher, tracker, domain)


def _action_named(name: str) -> Action | None:
    """An instance of the action class with this name (every module of the actions package is loaded)."""
    import actions  # the package this module belongs to

    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    pending: list[type] = [TanyaKerjaAction]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls is not TanyaKerjaAction and not getattr(cls, "__abstractmethods__", None) and cls().name() == name:
            return cls()
    return None


class TanyaKerjaFormValidation(FormValidationAction, ABC):
    """Base of the form validators: the same polite failure (the form's question is then not repeated)."""

    @abstractmethod
    def name(self) -> str:
        """The validator's name in domain.yml (validate_<form>)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """rasa_sdk's extraction and validation, protected; a form that runs ends any follow-up context."""
        try:
            events = await super().run(dispatcher, tracker, domain)
            return [*events, SlotSet("context", None)] if tracker.get_slot("context") else events
        except Exception as exc:  # noqa: BLE001 - last line of defence; the type is logged
            _polite_failure(self.name(), dispatcher, tracker, exc)
            return []
