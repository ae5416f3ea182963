"""Rasa NLU components that correct the intent classifier where a mistake costs most.

Both run after the classifier and the entity extractors, before the FallbackClassifier, inside the Rasa
process (Python 3.10); the decisions themselves are pure functions in knowledge.language.

- DangerSafetyNet: a message matching knowledge.language.danger.in_danger (locked in, beaten, held in a
  shelter, phone or passport taken, wages unpaid for months, ...) is report_emergency: the hotline must
  never depend on the classifier's mood.
- CompanyCheckNet: a question naming a company or licence number that the classifier took for a general
  one (knowledge.language.companies.is_company_check) is check_agency.
- EntityNet: a message the classifier is unsure about that names a company, place, job or education is
  check_agency or inform instead of "kurang paham".
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.language.companies import is_company_check
from knowledge.language.danger import in_danger

EMERGENCY = "report_emergency"
CHECK = "check_agency"
INFORM = "inform"


def _set_intent(message: Message, intent: str) -> None:
    """Make `intent` the message's intent (confidence 1.0), first in the ranking."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerSafetyNet(GraphComponent):
    """Sets report_emergency (confidence 1.0) for messages that say someone is in danger now."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No options."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DangerSafetyNet":
        """Creates the component (nothing to train)."""
        return cls()

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "DangerSafetyNet":
        """Loads the component (stateless)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent of a message in danger; leaves every other message alone."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/") or not in_danger(text):
                continue
            current = (message.get(INTENT) or {}).get("name")
            if current == EMERGENCY:
                continue
            _set_intent(message, EMERGENCY)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CompanyCheckNet(GraphComponent):
    """Sets check_agency for a question about a named company the classifier took for a general question."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No options."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CompanyCheckNet":
        """Creates the component (nothing to train)."""
        return cls()

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CompanyCheckNet":
        """Loads the component (stateless)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent when knowledge.language.companies.is_company_check says so."""
        for message in messages:
            text = message.get(TEXT) or ""
            current = (message.get(INTENT) or {}).get("name")
            types = {e.get("entity") for e in message.get(ENTITIES) or []}
            if text and not text.startswith("/") and is_company_check(text, current, types):
                _set_intent(message, CHECK)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EntityNet(GraphComponent):
    """A message the classifier is unsure about but that names a company, a place, a job or an education
    ("kalo satpam di jayapura?", "yg otomotif") is about that thing: check_agency for a company or licence
    number, inform otherwise (the dialogue then refines the last search or starts one)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`threshold`: the FallbackClassifier's; below it the message would get "kurang paham"."""
        return {"threshold": 0.4}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityNet":
        """Creates the component (nothing to train)."""
        return cls(float(config["threshold"]))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "EntityNet":
        """Loads the component (stateless)."""
        return cls(float(config["threshold"]))

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent of an unsure message that names something we know."""
        for message in messages:
            text = message.get(TEXT) or ""
            confidence = (message.get(INTENT) or {}).get("confidence") or 0.0
            if not text or text.startswith("/") or confidence >= self.threshold:
                continue
            types = {e.get("entity") for e in message.get(ENTITIES) or []}
            if types & {"agency", "license_number"}:
                _set_intent(message, CHECK)
            elif types & {"location", "job", "education"}:
                _set_intent(message, INFORM)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]
