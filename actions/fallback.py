"""Two-stage NLU fallback: first a guess with readable suggestion buttons, then a petugas.

Rasa runs this action both for NLU fallbacks (classifier unsure) and as the core fallback (no rule or
story knows what to do next). Stage 1 (first unclear message): "Maksud Anda: cek PT/agen resmi?" buttons for the classifier's best
task intents (with the entities already found, so nothing has to be typed again), or a plain request to
rephrase when there is no useful guess. Stage 2 (the second unclear message in a row): offer a petugas
and the menu.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import answers_politely
from knowledge.buttons import payload
from knowledge.messages import load_messages

ACTION_NAME = "action_nlu_fallback"
FALLBACK_INTENT = "nlu_fallback"
MAX_GUESSES = 2
MIN_GUESS_CONFIDENCE = 0.08  # below this a "guess" is noise: ask to rephrase instead


def unclear_turns_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many user messages in a row ended in this fallback, the current one included.

    A message counts when the bot answered it with this action: the classifier was unsure (nlu_fallback)
    or the dialogue had no next step for it (Rasa's core fallback, configured to run this action).
    """
    turns: list[list[str]] = []  # per user message: the actions that followed it
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif event.get("event") == "action" and turns:
            turns[-1].append(event.get("name") or "")
    if not turns:
        return 1
    count = 1  # the current message: this action is answering it now
    for actions in reversed(turns[:-1]):
        if ACTION_NAME not in actions:
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
        return ACTION_NAME

    @answers_politely
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Stage 1: suggestions or a rephrase request. Stage 2: a petugas and the menu."""
        copy = load_messages("fallback")
        unsure = (tracker.latest_message.get("intent") or {}).get("name") == FALLBACK_INTENT
        # As the core fallback, take the message back (as Rasa's own fallback does), or the dialogue would
        # predict this action again and again for the same message.
        events: list[EventType] = [] if unsure else [UserUtteranceReverted()]
        if unclear_turns_in_a_row(tracker.events) >= 2:
            dispatcher.utter_message(text=copy["second"], buttons=[
                {"title": copy["human_button"], "payload": payload("request_human")},
                {"title": copy["menu_button"], "payload": payload("ask_help")},
            ])
            return events
        # Only an unsure classifier has useful guesses; a confident one the dialogue cannot follow has none.
        options = guesses(tracker.latest_message, copy["intents"]) if unsure else []
        if not options:
            dispatcher.utter_message(text=copy["first_no_guess"])
            return events
        buttons = [{"title": copy["guess_prefix"] + title + "?", "payload": p} for title, p in options]
        dispatcher.utter_message(text=copy["first"], buttons=buttons)
        return events
