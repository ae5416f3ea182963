"""Help with a training programme rather than a search for one: Kartu Prakerja problems (an incentive not
paid, failing a selection wave, a blocked account) and BLK/BPVP questions (a lost certificate, competency
certification, a BLK's own rules). Each problem gets sourced facts and the official channel; a person
still looking for a training gets the search (knowledge/trainings/service.py). The detection is
knowledge.language.needs.training_problem, which the Rasa process uses too (nlu/decisions.py)."""

from __future__ import annotations

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.facts import bullets
from knowledge.language.needs import training_problem  # noqa: F401 - the detection, re-exported

FEATURE = "training"


def help_answer(facts: tuple[str, ...]) -> Answer:
    """The facts, and the next steps as buttons: search a training, the menu."""
    copy = load_copy(FEATURE)
    return Answer(
        "\n\n".join([copy["help_intro"], bullets(list(facts))]),
        (
            Button(copy["help_search_button"], payload("search_training")),
            Button(copy["help_menu_button"], payload("ask_help")),
        ),
    )
