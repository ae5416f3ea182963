"""What the bot says when it is unsure what the user meant (two stages: a guess, then a petugas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.turns import Turn

FEATURE = "fallback"
MAX_GUESSES = 2
MIN_GUESS_CONFIDENCE = 0.08  # below this a "guess" is noise: ask to rephrase instead
CARRIED_ENTITIES = ("agency", "license_number", "job", "location", "education", "country")


def guesses(turn: Turn, ranking: Sequence[dict[str, Any]], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, payload) for the best suggestable intents of a parse, with the entities already found."""
    entities: dict[str, str] = {}
    for entity in turn.entities:
        if entity.name in CARRIED_ENTITIES and entity.value:
            entities.setdefault(entity.name, entity.value)
    out = []
    for ranked in ranking:
        name, confidence = ranked.get("name"), ranked.get("confidence") or 0.0
        if name in labels and confidence >= MIN_GUESS_CONFIDENCE:
            out.append((labels[name], payload(name, **entities)))
        if len(out) == MAX_GUESSES:
            break
    return out


def fallback_answer(turn: Turn, ranking: Sequence[dict[str, Any]], *, unclear_in_a_row: int, unsure: bool) -> Answer:
    """Stage 1: suggestions or a rephrase request. Stage 2 (second unclear message): a petugas and the menu."""
    copy = load_copy(FEATURE)
    if unclear_in_a_row >= 2:
        return Answer(
            copy["second"],
            (Button(copy["human_button"], payload("request_human")), Button(copy["menu_button"], payload("ask_help"))),
        )
    # Only an unsure classifier has useful guesses; a confident one the dialogue cannot follow has none.
    options = guesses(turn, ranking, copy["intents"]) if unsure else []
    if not options:
        return Answer(copy["first_no_guess"])
    return Answer(copy["first"], tuple(Button(copy["guess_prefix"] + label + "?", p) for label, p in options))
