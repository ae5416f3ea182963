"""Two-stage NLU fallback: first a guess with readable suggestion buttons, then a petugas.

Stage 1 (first unclear message): "Maksud Anda: cek PT/agen resmi?" buttons for the classifier's best
task intents (with the entities already found, so nothing has to be typed again), or a plain request to
rephrase when there is no useful guess. Stage 2 (the second unclear message in a row): offer a petugas
and the menu.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import answers_politely
from knowledge.buttons import payload
from knowledge.messages import load_messages

FALLBACK_INTENT = "nlu_fallback"
MAX_GUESSES = 2
MIN_GUESS_CONFIDENCE = 0.08  # below this a "guess" is noise: ask to rephrase instead


def unclear_turns_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row the classifier could not place (the current one included)."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


def guesses(parse_data: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(button title, payload) for the best suggestable intents of a parse, entities carried along."""
    entities: dict[str, str] = {}
    for entity in parse_data.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name in {"agency", "license_number", "job", "location", "education", "country"} and value:
            entities.setdefault(name, str(value))
    out = []
    for ranked in parse_data.get("intent_ranking") or []:
        name, confidence = ranked.get("name"), ranked.get("confidence") or 0.0
        if name in labels and confidence >= MIN_GUESS_CONFIDENCE:
            out.append((labels[name], payload(name, **entities)))
        if len(out) == MAX_GUESSES:
            break
    return out


class ActionNluFallback(Action):
    """The reply to a message the classifier is unsure about (see module docstring)."""

    def name(self) -> str:
        """Action name."""
        return "action_nlu_fallback"

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Stage 1: suggestions or a rephrase request. Stage 2: a petugas and the menu."""
        copy = load_messages("fallback")
        if unclear_turns_in_a_row(tracker.events) >= 2:
            dispatcher.utter_message(text=copy["second"], buttons=[
                {"title": copy["human_button"], "payload": payload("request_human")},
                {"title": copy["menu_button"], "payload": payload("ask_help")},
            ])
            return []
        options = guesses(tracker.latest_message, copy["intents"])
        if not options:
            dispatcher.utter_message(text=copy["first_no_guess"])
            return []
        buttons = [{"title": copy["guess_prefix"] + title + "?", "payload": p} for title, p in options]
        dispatcher.utter_message(text=copy["first"], buttons=buttons)
        return []
