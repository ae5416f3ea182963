"""Helpers shared by every action: entity access, and answering politely when something breaks."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

log = logging.getLogger(__name__)

# Intents that interrupt a form: their text is never taken as the answer to the form's question.
INTERRUPTIONS = frozenset({"cancel", "request_human", "report_emergency", "ask_help", "greet", "goodbye", "thank",
                           "bot_challenge", "check_agency", "out_of_scope"})


# A word right before an entity that takes it back: "eh bukan [batam], maksudnya [bintan]".
_NEGATING_WORDS = frozenset({"bukan", "bkn", "bukannya", "not", "ganti"})


def negated_at(text: str, start: Any) -> bool:
    """Whether the word right before position `start` of `text` takes the mention back ("bukan batam")."""
    if not isinstance(start, int) or not text:
        return False
    before = text[:start].lower().replace(",", " ").split()
    return bool(before) and before[-1] in _NEGATING_WORDS


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The value of an entity in the latest user message, stripped, or None.

    When the message names several, the last one the user did not take back wins: "eh bukan batam,
    maksudnya bintan" and "bintan, bukan batam" both give "bintan".
    """
    text = tracker.latest_message.get("text") or ""
    found = [
        (str(e.get("value")).strip(), negated_at(text, e.get("start")))
        for e in tracker.latest_message.get("entities", []) or []
        if e.get("entity") == name and e.get("value") is not None and str(e.get("value")).strip()
    ]
    kept = [value for value, negated in found if not negated]
    if kept:
        return kept[-1]
    return found[-1][0] if found else None


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


class Answer(Protocol):
    """Any composed answer of knowledge/: a text and (title, payload) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...]


def send_answer(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    """Utter a composed answer with its buttons."""
    dispatcher.utter_message(text=answer.text, buttons=[{"title": t, "payload": p} for t, p in answer.buttons])


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
