"""Rasa NLU components that correct the intent classifier where a mistake costs most.

They run after the classifier and the entity extractors, before the FallbackClassifier, inside the Rasa
process (Python 3.10); each decision is a pure function in nlu/decisions.py (tested without Rasa).

- DangerSafetyNet: a message matching knowledge.language.danger.in_danger (locked in, beaten, held in a
  shelter, phone or passport taken, wages unpaid for months, ...) is report_emergency: the hotline must
  never depend on the classifier's mood.
- CompanyCheckNet: a question naming a company or licence number that the classifier took for a general
  one (knowledge.language.companies.is_company_check) is check_agency.
- RedFlagNet: a described offer with a red flag of a fake overseas job (knowledge/guidance/red_flags.py)
  that the classifier took for a general question, a search, a cost question, a fraud that has not
  happened, or (without danger words) an emergency, is check_offer: the warning comes first.
- StoryNet: a story's need (nlu.decisions.story_intent): a complaint about an official office is for a
  petugas, a forwarded scam text an offer to judge, a jobseeker telling their situation a vacancy search.
- TopicNet: a cost or vacancy question about a local training ("kelas malam welder bayar brp?") is
  search_training; a status question with nothing to look up that one of our facts clearly answers, or a
  company check that only asks what a term means ("PJTKI itu sama dgn P3MI?"), is out_of_scope, which
  answers with the fact. (A cost or vacancy question a fact answers keeps its intent:
  its form asks nothing and answers with the fact.)
- EntityNet: a bare place, job, education or country ("malaysia min") is inform even when the classifier
  took it for small talk; an unsure message naming a company is check_agency, a bare value inform, a
  question naming a place or job keeps a guess that asks about it, one naming only a country is
  ask_overseas_channels (instead of "kurang paham").
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.decisions import (
    THRESHOLD,
    company_intent,
    danger_intent,
    entity_intent,
    red_flag_intent,
    story_intent,
    topic_intent,
    without_names,
)


def _set_intent(message: Message, intent: str) -> None:
    """Make `intent` the message's intent (confidence 1.0), first in the ranking. The others keep their order at
    half their confidence: left as they were, a confident classifier's 0.97 next to the net's 1.0 would make the
    FallbackClassifier call the message ambiguous and answer "kurang yakin"."""
    ranking = [
        {**r, "confidence": (r.get("confidence") or 0.0) / 2}
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get("name") != intent
    ]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)


class _Net(GraphComponent):
    """A stateless, untrained correction: `decide` names the intent a message really has, or None."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`threshold`: the FallbackClassifier's (below it the message would get "kurang paham")."""
        return {"threshold": 0.4}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_Net":
        """Creates the component (nothing to train)."""
        return cls(config)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "_Net":
        """Loads the component (stateless)."""
        return cls(config)

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """The intent this message really has, or None to leave the classifier's (`spans`: the entities as written)."""
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent `decide` names (confidence 1.0, so the FallbackClassifier keeps it, even when it was
        the classifier's own guess below the threshold); a button payload ("/intent") is never touched."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            current = message.get(INTENT) or {}
            entities = message.get(ENTITIES) or []
            types = {e.get("entity") for e in entities}
            spans = [text[e["start"] : e["end"]] for e in entities if "start" in e and "end" in e]
            if isinstance(self, RedFlagNet):  # "PT Uji Palsu Jaya" is a name, not a forged document
                text = without_names(text, [str(e.get("value")) for e in entities if e.get("entity") == "agency"])
            wanted = self.decide(text, current.get("name") or "", current.get("confidence") or 0.0, types, spans)
            if wanted:  # also when it is the classifier's own unsure guess: the net vouches for it
                _set_intent(message, wanted)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerSafetyNet(_Net):
    """Sets report_emergency for messages that say someone is in danger now."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """report_emergency when the danger words are there."""
        return danger_intent(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CompanyCheckNet(_Net):
    """Sets check_agency for a question about a named company the classifier took for a general question."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """check_agency when knowledge.language.companies.is_company_check says so."""
        return company_intent(text, intent, types)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagNet(_Net):
    """Sets check_offer for a described offer with a red flag that the classifier filed elsewhere."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """check_offer when a red flag is there and the intent would not warn about it."""
        return red_flag_intent(text, intent, confidence, float(self.config.get("threshold", THRESHOLD)))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StoryNet(_Net):
    """A story's need: a complaint about an office, a forwarded scam text, a jobseeker's situation."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """request_human, check_offer, search_vacancy, or None (nlu.decisions.story_intent)."""
        return story_intent(text, intent, types)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TopicNet(_Net):
    """A local training asked about as a cost or a vacancy is a training search; a status question with nothing
    to look up that one of our facts clearly answers is answered with the fact (out_of_scope)."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """search_training, out_of_scope, or None."""
        return topic_intent(text, intent, types)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EntityNet(_Net):
    """A message that names something we know is about it (nlu.decisions.entity_intent): a bare value is
    inform, an unsure company question check_agency, an unsure question about a country the way abroad."""

    def decide(self, text: str, intent: str, confidence: float, types: Set[str], spans: List[str]) -> Optional[str]:
        """The intent of what it names (nlu.decisions.entity_intent)."""
        return entity_intent(text, intent, confidence, types, spans, float(self.config.get("threshold", THRESHOLD)))
