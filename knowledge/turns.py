"""One user turn as the domain sees it: the text, the intent, the entities and the remembered slots.

Actions build a `Turn` from Rasa's tracker and hand it to one service; services return an `Outcome`:
the answers to send and the slot values to remember. Nothing here knows about Rasa.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from knowledge.answers import Answer
from knowledge.language.words import TAKE_BACK_WORDS

# Intents that interrupt a form: their text is never taken as the answer to the form's question, and each
# has a rule per form in nlu/data/rules_interruptions.yml (a test checks that the two agree).
INTERRUPTIONS = frozenset(
    {
        "ask_ticket_status",
        "cancel",
        "request_human",
        "report_emergency",
        "ask_help",
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "check_agency",
        "out_of_scope",
    }
)


# Intents a short remark after an answer gets from the classifier.
REMARK_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny"})


@dataclass(frozen=True)
class Entity:
    """An entity the NLU found in the text (start/end are character offsets, when known)."""

    name: str
    value: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Turn:
    """The latest user message and what the conversation remembers."""

    text: str = ""
    intent: str | None = None
    entities: tuple[Entity, ...] = ()
    slots: Mapping[str, Any] = field(default_factory=dict)
    sender: str = ""

    @property
    def is_payload(self) -> bool:
        """True for a button press ('/intent{...}'), whose text is not something the user typed."""
        return self.text.startswith("/")

    @property
    def typed(self) -> str:
        """What the user typed ('' for a button press)."""
        return "" if self.is_payload else self.text

    def slot(self, name: str) -> Any:
        """A remembered slot value (None when unset)."""
        return self.slots.get(name)

    @property
    def asked(self) -> str | None:
        """The slot the bot has just asked for (Rasa's requested_slot), if any."""
        return self.slots.get("requested_slot")

    @property
    def is_remark(self) -> bool:
        """A short remark, not a question ("oh gitu, sy kira msh", "jd hrs nunggu 2 thn lagi ya"): after an
        answer it is acknowledged rather than met with "kurang paham"."""
        words = self.typed.split()
        return 0 < len(words) <= 8 and "?" not in self.typed and self.intent in REMARK_INTENTS

    def entity(self, name: str) -> str | None:
        """The value of an entity, stripped, or None.

        When the message names several, the last one the user did not take back wins: "eh bukan batam,
        maksudnya bintan" and "bintan, bukan batam" both give "bintan".
        """
        found = [
            (e.value.strip(), taken_back(self.text, e.start))
            for e in self.entities
            if e.name == name and e.value.strip()
        ]
        kept = [value for value, negated in found if not negated]
        if kept:
            return kept[-1]
        return found[-1][0] if found else None

    def entity_span(self, name: str) -> str | None:
        """The text from the first to the last piece of an entity.

        The entity extractor sometimes cuts a long company name into pieces ("contoh" + "benua sejahtera");
        the span between them is the name the user wrote.
        """
        spans = [
            (e.start, e.end)
            for e in self.entities
            if e.name == name and isinstance(e.start, int) and isinstance(e.end, int)
        ]
        if not spans or not self.text:
            return self.entity(name)
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        return self.text[start:end].strip() or self.entity(name)


def taken_back(text: str, start: int | None) -> bool:
    """Whether the word right before position `start` takes the mention back ("bukan batam")."""
    if not isinstance(start, int) or not text:
        return False
    before = text[:start].lower().replace(",", " ").split()
    return bool(before) and before[-1] in TAKE_BACK_WORDS


@dataclass(frozen=True)
class Outcome:
    """What a service decided: the answers to send, in order, and the slots to remember."""

    answers: tuple[Answer, ...] = ()
    remember: Mapping[str, Any] = field(default_factory=dict)
    # The action to run next instead of listening (e.g. a follow-up handing the message to its usual action).
    followup: str | None = None

    @classmethod
    def of(cls, *answers: Answer, **remember: Any) -> Outcome:
        """An outcome from answers and slot values."""
        return cls(tuple(answers), dict(remember))

    @classmethod
    def hand_over(cls, action: str, **remember: Any) -> Outcome:
        """No answer of its own: the message goes to `action` (the one its intent usually gets)."""
        return cls((), dict(remember), action)
