"""Helpers shared by every action: entity access, and answering politely when something breaks."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

log = logging.getLogger(__name__)

# Intents that interrupt a form: their text is never taken as the answer to the form's question.
INTERRUPTIONS = frozenset({"cancel", "request_human", "report_emergency", "ask_help", "greet", "goodbye", "thank",
                           "bot_challenge", "check_agency", "out_of_scope"})


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The last value of an entity in the latest user message, stripped, or None."""
    values = [
        str(e.get("value")).strip()
        for e in tracker.latest_message.get("entities", []) or []
        if e.get("entity") == name and e.get("value") is not None
    ]
    values = [v for v in values if v]
    return values[-1] if values else None


def entity_span(tracker: Tracker, name: str) -> str | None:
    """The text from the first to the last piece of an entity in the latest message.

    The entity extractor sometimes cuts a long company name into pieces ("contoh" + "benua sejahtera");
    the span between them is the name the user wrote.
    """
    text = tracker.latest_message.get("text") or ""
    spans = [
        (e["start"], e["end"]) for e in tracker.latest_message.get("entities", []) or []
        if e.get("entity") == name and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]
    if not spans or not text:
        return latest_entity(tracker, name)
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return text[start:end].strip() or latest_entity(tracker, name)


def latest_text(tracker: Tracker) -> str:
    """The latest user message text ('' for none)."""
    return (tracker.latest_message.get("text") or "").strip()


def latest_intent(tracker: Tracker) -> str | None:
    """Name of the latest user intent."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def hashed_sender(tracker: Tracker) -> str:
    """The sender id for logs: stable, not reversible."""
    return hashlib.sha256((tracker.sender_id or "").encode()).hexdigest()[:12]


RunMethod = Callable[..., Awaitable[list[dict[str, Any]]]]


def answers_politely(run: RunMethod) -> RunMethod:
    """Wrap an action's `run`: any failure is logged (type only, never message text) and the user is
    told the service has a problem, instead of Rasa logging a 500 with the whole conversation in it.
    The action's `events_on_failure` (if any) are returned, e.g. to clear a half-used slot."""

    @functools.wraps(run)
    async def wrapper(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any) -> list[dict[str, Any]]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception as exc:  # noqa: BLE001 - last line of defence; the type is logged
            log.error("action %s failed for sender %s: %s", self.name(), hashed_sender(tracker),
                      type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_service_trouble")
            return list(getattr(self, "events_on_failure", ()))

    return wrapper
