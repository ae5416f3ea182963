"""Two-stage NLU fallback: first a guess with readable suggestion buttons, then a petugas.

Rasa runs this action both for NLU fallbacks (classifier unsure) and as the core fallback (no rule or
story knows what to do next). Stage 1 (first unclear message): "Maksud Anda: cek PT/agen resmi?" buttons
for the classifier's best task intents (with the entities already found, so nothing has to be typed
again), or a plain request to rephrase when there is no useful guess. Stage 2 (the second unclear message
in a row): offer a petugas and the menu.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import TanyaKerjaAction
from knowledge.fallback import fallback_answer
from knowledge.guidance import service as guidance
from knowledge.turns import Outcome, Turn

ACTION_NAME = "action_nlu_fallback"
UNCLEAR_SLOT = "unclear_turns"  # how many unclear messages in a row (reset by any other answer)
FACTS_SLOT = "guidance_facts"  # set when a fact answered the message: it was not unclear after all
ANSWERED_BY_FACTS = "(answered by facts)"
FALLBACK_INTENT = "nlu_fallback"


def unclear_turns_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many user messages in a row ended in this fallback, the current one included.

    A message counts when the bot answered it with this action: the classifier was unsure (nlu_fallback)
    or the dialogue had no next step for it (Rasa's core fallback, configured to run this action).
    """
    turns: list[list[str]] = []  # per user message: the actions that followed it (and ANSWERED_BY_FACTS)
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif event.get("event") == "action" and turns:
            turns[-1].append(event.get("name") or "")
        elif event.get("event") == "slot" and event.get("name") == FACTS_SLOT and turns:
            turns[-1].append(ANSWERED_BY_FACTS)
    if not turns:
        return 1
    count = 1  # the current message: this action is answering it now
    for actions in reversed(turns[:-1]):
        if ACTION_NAME not in actions or ANSWERED_BY_FACTS in actions:
            break
        count += 1
    return count


class ActionNluFallback(TanyaKerjaAction):
    """The reply to a message the classifier is unsure about (see module docstring)."""

    def name(self) -> str:
        """Action name."""
        return ACTION_NAME

    def act(self, session: Session, turn: Turn, tracker: Tracker) -> Outcome:
        """A question one of our facts clearly answers gets it; otherwise stage 1: suggestions or a rephrase
        request, stage 2: a petugas and the menu."""
        if turn.typed and guidance.has_red_flags(turn.typed):
            return Outcome.hand_over("action_check_offer")  # an offer the classifier could not place
        facts = guidance.answer_question(turn) if turn.typed else None
        if facts is not None:
            return facts
        # counted in the slot too: when another action hands the message over, the events name that action
        in_a_row = max(unclear_turns_in_a_row(tracker.events), int(turn.slot(UNCLEAR_SLOT) or 0) + 1)
        answer = fallback_answer(
            turn,
            tracker.latest_message.get("intent_ranking") or [],
            unclear_in_a_row=in_a_row,
            unsure=turn.intent == FALLBACK_INTENT,
        )
        # an unclear message does not end what the conversation is about: the next one may refer to it
        keep = {"context": turn.slot("context")} if turn.slot("context") else {}
        return Outcome.of(answer, **keep, **{UNCLEAR_SLOT: float(in_a_row)})

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """As the core fallback, take the message back (as Rasa's own fallback does), or the dialogue would
        predict this action again and again for the same message."""
        events = await super().run(dispatcher, tracker, domain)
        unsure = (tracker.latest_message.get("intent") or {}).get("name") == FALLBACK_INTENT
        return events if unsure or self.inline else [*events, UserUtteranceReverted()]
