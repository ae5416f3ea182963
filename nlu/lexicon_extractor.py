"""LexiconEntityExtractor: a Rasa NLU component that adds the entities our lists recognise (places,
countries, jobs, education, licence numbers, company names; see nlu/lexicon.py) and keeps the statistical
extractors' entities only where they do not overlap. Runs inside the Rasa process (Python 3.10)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.lexicon import extract, merge


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LexiconEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Deterministic longest-match entities from the shipped lists, merged over the CRF's."""

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
    ) -> "LexiconEntityExtractor":
        """Creates the component (the lists are read once, on first use)."""
        return cls()

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LexiconEntityExtractor":
        """Loads the component (stateless)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds our entities; drops earlier extractors' entities that overlap them."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            entities = merge(extract(text), message.get(ENTITIES, []) or [])
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]
