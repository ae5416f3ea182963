"""The decisions of the intent safety nets (nlu/intent_nets.py), as pure functions of the text, the
classifier's intent and confidence, and the entity types found: testable without Rasa."""

from __future__ import annotations

import re
from typing import Optional, Set

from knowledge.guidance.faq import answer_facts, glossary_facts
from knowledge.guidance.red_flags import find_red_flags
from knowledge.language.companies import is_company_check
from knowledge.language.danger import in_danger, is_plea
from knowledge.language.text import fold

EMERGENCY = "report_emergency"
CHECK = "check_agency"
INFORM = "inform"
OFFER = "check_offer"
THRESHOLD = 0.4  # the FallbackClassifier's (config.yml)

# Intents a described offer with a red flag is sometimes given; the offer check answers it better.
_OFFER_INSTEAD_OF = {
    "ask_overseas_channels",
    "ask_overseas_requirements",
    "search_vacancy",
    "ask_placement_cost",
    "out_of_scope",
    "ask_help",
}
# A fraud that has happened ("sy ditipu", "mau lapor") stays a fraud report.
_HAPPENED = re.compile(
    r"\b(ditipu|tertipu|ketipu|kena tipu|penipuan|menipu|\w*lapor\w*|dibawa kabur|kabur|hilang|raib)\b"
)


_TRAINING_WORDS = re.compile(r"\b(pelatihan\w*|kursus\w*|training|blk|bpvp|kelas malam|kelas pagi|diklat)\b")
_SEARCH_ENTITIES = {"job", "location", "education", "country", "agency", "license_number"}


def danger_intent(text: str) -> Optional[str]:
    """report_emergency when the message says someone is in danger now."""
    return EMERGENCY if in_danger(text) else None


def company_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """check_agency for a question about a named company filed as a general question."""
    return CHECK if is_company_check(text, intent, types) else None


def red_flag_intent(text: str, intent: str, confidence: float, threshold: float = THRESHOLD) -> Optional[str]:
    """check_offer when a red flag is there and the intent would not warn about it (an unsure classifier
    alone is not enough: the answers inside a form are often unsure, and the form takes them)."""
    if intent == OFFER or not find_red_flags(text) or glossary_facts(text):
        return None  # "LTSA itu apa? disuruh kesana sama pak RT" asks what LTSA is
    folded = fold(text)
    if intent == "report_fraud":
        return None if _HAPPENED.search(folded) else OFFER
    if intent == EMERGENCY:
        return None if in_danger(text) or is_plea(text) else OFFER
    return OFFER if intent in _OFFER_INSTEAD_OF else None


def topic_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """search_training for a training asked about as a cost or a vacancy; out_of_scope (answered with the
    fact) for a search or status question with nothing to search for that one of our facts answers."""
    if intent not in ("ask_placement_cost", "search_vacancy", "ask_ticket_status"):
        return None
    if not types & _SEARCH_ENTITIES and answer_facts(text):
        return "out_of_scope"  # "BLK itu bayar gak?", "kontrak kerja harus ada isi apa aja"
    if intent != "ask_ticket_status" and _TRAINING_WORDS.search(fold(text)):
        return "search_training"
    return None


def entity_intent(intent: str, confidence: float, types: Set[str], threshold: float = THRESHOLD) -> Optional[str]:
    """For an unsure message: what the thing it names calls for."""
    if confidence >= threshold:
        return None
    if types & {"agency", "license_number"}:
        return CHECK
    if types & {"location", "job", "education"}:
        return INFORM
    return "ask_overseas_channels" if "country" in types else None


def without_names(text: str, names: list[str]) -> str:
    """The message without the company names in it (their words are not what the message says)."""
    for name in names:
        if name:
            text = text.replace(name, " ")
    return text
