"""The decisions of the intent safety nets (nlu/intent_nets.py), as pure functions of the text, the
classifier's intent and confidence, and the entity types found: testable without Rasa."""

from __future__ import annotations

import re
from typing import Optional, Set

from knowledge.guidance.faq import fact_answerable, glossary_facts
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
# A fraud that has happened stays a fraud report: "sy ditipu", "mau lapor", money already paid ("udah transfer",
# "terlanjur bayar"), an offer that turned out fake ("ternyata palsu"), a recruiter who vanished.
_HAPPENED = re.compile(
    r"\b(ditipu|tertipu|ketipu|kena tipu|penipuan|menipu|\w*lapor\w*|dibawa kabur|kabur|hilang|raib|ngilang|"
    r"menghilang|ternyata|bodong|diblokir|diblok|(tidak|gak|ga|gk|nggak|tdk) bisa (di ?hubungi|dihubungin|dikontak)|"
    r"(udah|sudah|sdh|udh|dah|terlanjur|telanjur|tlanjur)( \w+){0,2} (transfer|tf|bayar|setor|kirim|dp)\w*)\b"
)
# Red flags that a question can merely mention ("cara bikin akun tiktok", "kerja ke kamboja resmi gak",
# "biaya medical siapa yang bayar"): they make a message an offer to check only when it describes an offer.
_MENTION_FLAGS = {"red_flag_social_media", "red_flag_scam_destination", "red_flag_moratorium", "red_flag_fee"}
# Words of an offer someone made: who offered it, what was promised or asked, a price quoted.
_OFFER_WORDS = re.compile(
    r"\b(\w*tawar\w*|nawar\w*|lowongan|loker|iklan|brosur|\w*rekrut\w*|agen\w*|sponsor\w*|calo|pt|perusahaan|"
    r"katanya|\w*janji\w*|disuruh|suruh|nyuruh|diminta|dimintai|minta|diajak|ngajak|ajak\w*|info kerja|"
    r"\d+ ?(juta|jt|rb|ribu|k|dollar|dolar|usd|ringgit|rm)|offer\w*|recruit\w*)\b"
)


_TRAINING_WORDS = re.compile(r"\b(pelatihan\w*|kursus\w*|training|blk|bpvp|kelas malam|kelas pagi|diklat)\b")
# Training as a step of going abroad ("biaya pelatihan sebelum berangkat") is part of the placement cost.
_ABROAD_WORDS = re.compile(
    r"\b(berangkat\w*|keberangkatan|pemberangkatan|luar negeri|ln|penempatan|p3mi|pjtki|pmi|tki|tkw|cpmi)\b"
)


def danger_intent(text: str) -> Optional[str]:
    """report_emergency when the message says someone is in danger now."""
    return EMERGENCY if in_danger(text) else None


def company_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """check_agency for a question about a named company filed as a general question."""
    return CHECK if is_company_check(text, intent, types) else None


def red_flag_intent(text: str, intent: str, confidence: float, threshold: float = THRESHOLD) -> Optional[str]:
    """check_offer when a red flag is there and the intent would not warn about it (an unsure classifier
    alone is not enough: the answers inside a form are often unsure, and the form takes them)."""
    flags = find_red_flags(text)
    if intent == OFFER or not flags or glossary_facts(text):
        return None  # "LTSA itu apa? disuruh kesana sama pak RT" asks what LTSA is
    folded = fold(text)
    if set(flags) <= _MENTION_FLAGS and not _OFFER_WORDS.search(folded):
        return None  # a question that mentions a red flag, not an offer
    if intent == "report_fraud":
        return None if _HAPPENED.search(folded) else OFFER
    if intent == EMERGENCY:
        return None if in_danger(text) or is_plea(text) else OFFER
    return OFFER if intent in _OFFER_INSTEAD_OF else None


def topic_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """search_training for a training asked about as a local cost or a vacancy; out_of_scope (answered with
    the fact) for a status question with nothing to look up that one of our facts answers.

    A cost or vacancy question that one of our facts answers keeps its intent: the cost and vacancy forms
    then ask nothing and answer with the fact (knowledge.guidance.service.fact_answer)."""
    if intent == "ask_ticket_status":
        return "out_of_scope" if fact_answerable(text, types) else None
    if intent not in ("ask_placement_cost", "search_vacancy") or fact_answerable(text, types):
        return None  # "BLK itu bayar gak?": the form answers with the fact
    folded = fold(text)
    if _TRAINING_WORDS.search(folded) and not (intent == "ask_placement_cost" and _ABROAD_WORDS.search(folded)):
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
