"""IndonesianNormalizer: a Rasa NLU component that gives featurizers the standard form of informal words.

It runs after the tokenizer and only sets each token's lemma ("gk" -> "tidak", "krj" -> "kerja",
"halooo" -> "halo"); the text, token offsets and entity values stay exactly as the user wrote them.
CountVectorsFeaturizer reads lemmas by default (use_lemma: true), so the classifier sees one word where
people write five spellings. This module runs inside the Rasa process (Python 3.10).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.language.spelling import normalize_word


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class IndonesianNormalizer(GraphComponent):
    """Sets token lemmas to standard Indonesian forms (see module docstring)."""

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
    ) -> "IndonesianNormalizer":
        """Creates the component (nothing to train or load)."""
        return cls()

    def _normalize(self, message: Message) -> None:
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            token.lemma = normalize_word(token.text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalizes every training example's tokens."""
        for example in training_data.training_examples:
            self._normalize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Normalizes incoming messages' tokens."""
        for message in messages:
            self._normalize(message)
        return messages

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to validate."""

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "IndonesianNormalizer":
        """Loads the component (stateless)."""
        return cls()

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Indonesian only."""
        return ["id"]
