"""Helpers shared by every action: entity access and the 'service trouble' answer."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# Errors that mean "our database is not reachable or broken", answered politely instead of crashing.
DATA_ERRORS = (SQLAlchemyError, OSError)


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The last value of an entity in the latest user message, stripped, or None."""
    values = [
        str(e.get("value")).strip()
        for e in tracker.latest_message.get("entities", []) or []
        if e.get("entity") == name and e.get("value") is not None
    ]
    values = [v for v in values if v]
    return values[-1] if values else None


def latest_text(tracker: Tracker) -> str:
    """The latest user message text ('' for none)."""
    return (tracker.latest_message.get("text") or "").strip()


def latest_intent(tracker: Tracker) -> str | None:
    """Name of the latest user intent."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def send_service_trouble(dispatcher: CollectingDispatcher, tracker: Tracker, exc: Exception) -> list[dict[str, Any]]:
    """Log a data-layer failure (no message text) and tell the user politely."""
    log.error("data layer failure in %s for sender %s: %s", tracker.latest_action_name, hashlib.sha256(tracker.sender_id.encode()).hexdigest()[:12],
              type(exc).__name__)
    dispatcher.utter_message(response="utter_service_trouble")
    return []
