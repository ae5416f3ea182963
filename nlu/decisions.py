"""The decisions of the intent safety nets (nlu/intent_nets.py), as pure functions of the text, the
classifier's intent and confidence, and the entity types found: testable without Rasa."""

from __future__ import annotations

import re
from typing import Optional, Set

from knowledge.guidance.faq import fact_answerable, glossary_facts
from knowledge.guidance.red_flags import find_red_flags
from knowledge.language.companies import is_company_check
from knowledge.language.danger import in_danger, is_plea
from knowledge.language.needs import (
    forwarded_scam,
    office_complaint,
    seeks_local_work,
    training_problem,
    wants_a_person,
)
from knowledge.language.text import fold
from knowledge.language.words import (
    HEDGES,
    NEGATIONS,
    PARTICLES,
    PREPOSITIONS,
    PRONOUNS,
    REQUEST_WORDS,
    SEARCH_WORDS,
    TRAILING_FILLERS,
)

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
_SMALL_TALK_OR_CANCEL = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "cancel"}
# A fraud that has happened stays a fraud report: "sy ditipu", "mau lapor"/"ngadu", money already paid ("udah
# transfer", "terlanjur bayar") or lost ("uangnya gak balik", "hangus", "rugi"), an offer that turned out fake
# ("ternyata palsu"), a recruiter who vanished or no longer answers ("gak bales WA").
_HAPPENED = re.compile(
    r"\b(ditipu|tertipu|ketipu|kena tipu|penipuan|menipu|\w*lapor\w*|dibawa kabur|kabur|hilang|raib|ngilang|"
    r"menghilang|ternyata|bodong|diblokir|diblok|(tidak|gak|ga|gk|nggak|tdk) bisa (di ?hubungi|dihubungin|dikontak)|"
    r"(udah|sudah|sdh|udh|dah|terlanjur|telanjur|tlanjur)( \w+){0,2} "
    r"(transfer|tf|bayar|setor|kirim|dp|kebayar|terbayar)\w*|"
    r"(uang|duit|dana|dp|biaya)\w*( \w+){0,3} (tidak|gak|ga|gk|nggak|ngga|belum|blm|tdk|ora|teu) "
    r"(balik|kembali|dikembali\w*|dibalikin|cair)\w*|hangus|(?<!ganti )rugi|kerugian|"
    r"(ng|meng|di)adu\w*|pengaduan|aduan|"
    r"(tidak|gak|ga|gk|nggak|tdk) (bales|balas|membalas|dibales|dibalas|respon|merespon|aktif lagi|diangkat))\b"
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
    if intent in _SMALL_TALK_OR_CANCEL and len(folded.split()) >= 5:
        return OFFER  # "gaji 30jt jd pembantu di eropa bner gk sih?" is no greeting and no "batal"
    return OFFER if intent in _OFFER_INSTEAD_OF else None


# Intents a training problem never overrides: danger first; a question about the help desk's own tickets.
_KEEP_FOR_TRAINING_HELP = {EMERGENCY, "ask_ticket_status", "request_human"}


# A fraud that has happened, said without the words of a report: cheated, blocked, the money not returned,
# a year without departure, a debt collector ("udh 1 thn gk brgkt2", "diblokir wa nya", "JO nya palsu").
# Not "penipuan": "ini penipuan bukan?" asks about an offer.
_CHEATED = re.compile(
    r"\b(ketipu|ditipu|tertipu|kena tipu|dibawa kabur|kabur bawa|diblokir|diblok|ngeblok|ngeblokir|hangus|"
    r"ternyata|ngilang|menghilang|ilang|hilang|baru sadar|"
    r"(udah|udh|sudah|sdh|dah|terlanjur|telanjur) (bayar|transfer|tf|setor|kirim uang)|"
    r"(tidak|tdk|gak|ga|gk|nggak) mau (balikin|ngembaliin|mengembalikan|kembaliin)|"
    r"akal ?akalan|akal2an|ditagih|debt collector|(tidak|tdk|gak|ga|gk|nggak) (bisa )?(di ?hubungi|dihubungin)|"
    r"(ternyata|dicek|cek|katanya)( \w+){0,6} palsu|"
    r"(tidak|tdk|gak|ga|gk|nggak|belum|blm) (di ?balikin|dibalikin|dikembalikan|di ?kembalikan|kembali|balik)|"
    r"(udah|sudah|udh|sdh|dah)( \w+){0,2} \d+ (bulan|bln|tahun|thn)( \w+){0,3} (tidak|tdk|gak|ga|gk|belum|blm) "
    r"(berangkat|brgkt|diberangkatkan)\w*|(tidak|tdk|gak|ga|gk|belum|blm) (berangkat|brgkt|diberangkatkan)\w* "
    r"(udah|sudah|udh|sdh|dah)? ?\d+ (bulan|bln|tahun|thn))\b"
)
_WORRY = re.compile(r"\b(takut|khawatir|kuatir|was was)( \w+){0,2} (ketipu|ditipu|tertipu|kena tipu|penipuan|calo)\b")
# What a wish to talk to a person is taken for when it names no topic of ours.
_PERSON_INSTEAD_OF = {"out_of_scope", "greet", "goodbye", "thank", "affirm", "deny", "ask_help", "bot_challenge"}
# What a jobseeker's story is often taken for; the vacancy search answers it better.
_SEARCH_INSTEAD_OF = {
    "ask_overseas_requirements",
    "ask_overseas_channels",
    "ask_placement_cost",
    "out_of_scope",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_help",
    "check_offer",
    "report_fraud",
}


def story_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """The need a story states (issue 22): a complaint about an official office is for a petugas (with the
    complaint channels); a forwarded scam text (money "from the government", paid likes) is an offer to
    judge unless the money is already lost; an "offer" that already cheated the person is a fraud report; a
    jobseeker telling their situation gets the vacancy search.
    Danger always wins (the emergency net ran first)."""
    if intent == EMERGENCY or in_danger(text):
        return None
    if office_complaint(text) and intent != "request_human":
        return "request_human"
    if wants_a_person(text) and intent in _PERSON_INSTEAD_OF:
        return "request_human"
    if forwarded_scam(text) and intent != OFFER:
        return None if intent == "report_fraud" and _HAPPENED.search(fold(text)) else OFFER
    if intent in (OFFER, "search_training") and _CHEATED.search(fold(text)) and not _WORRY.search(fold(text)):
        return "report_fraud"  # it happened: the report (and what to do now), not a warning about an offer
    wanted = intent in _SEARCH_INSTEAD_OF and not types & {"agency", "license_number"} and seeks_local_work(text)
    worried = bool(_WORRY.search(fold(text)))  # "takut ketipu calo": a fear, not an offer someone made
    if wanted and (worried or not (intent in ("check_offer", "report_fraud") and find_red_flags(text))):
        return "search_vacancy"  # a red flag the story names keeps its warning
    return None


def topic_intent(text: str, intent: str, types: Set[str]) -> Optional[str]:
    """search_training for a training asked about as a local cost or a vacancy; out_of_scope (answered with
    the fact) for a status question with nothing to look up that one of our facts answers, and for a company
    check that only asks what a term means.

    A cost or vacancy question that one of our facts answers keeps its intent: the cost and vacancy forms
    then ask nothing and answer with the fact (knowledge.guidance.service.fact_answer).

    A problem with a training programme ("insentif prakerja blm cair", "sertifikat BLK hilang") is
    search_training whatever else it was taken for (not an emergency, not a named company): the training
    action answers it with help instead of a search."""
    if intent not in _KEEP_FOR_TRAINING_HELP and not types & {"agency", "license_number"} and training_problem(text):
        return None if intent == "search_training" else "search_training"
    if intent == "ask_ticket_status":
        return "out_of_scope" if fact_answerable(text, types) else None
    if intent == CHECK and not types & {"agency", "license_number"} and glossary_facts(text):
        return "out_of_scope"  # "PJTKI itu sama dgn P3MI?" asks what the words mean: the glossary answers
    if intent not in ("ask_placement_cost", "search_vacancy") or fact_answerable(text, types):
        return None  # "BLK itu bayar gak?": the form answers with the fact
    folded = fold(text)
    if _TRAINING_WORDS.search(folded) and not (intent == "ask_placement_cost" and _ABROAD_WORDS.search(folded)):
        return "search_training"
    return None


# Words around the value of a bare answer ("di bekasi aja kak", "lulusan smk", "jadi prt").
_ANSWER_FILLERS = (
    PARTICLES
    | PREPOSITIONS
    | TRAILING_FILLERS
    | PRONOUNS
    | frozenset(
        "jadi sebagai lulusan tamat tamatan yang yg kota kab kabupaten provinsi prov negara eh oh maksudnya yaudah "
        "ya udah oke ok".split()
    )
)
# Words that make a message a question or a request rather than an answer ("ada plthn tata boga di mks gk").
_ASKING_WORDS = (
    HEDGES
    | REQUEST_WORDS
    | SEARCH_WORDS
    | NEGATIONS
    | frozenset("kursus pelatihan plthn training biaya syarat cara berapa brp kapan mana dimana dmn bisa".split())
)


def is_bare_answer(text: str, values: list[str]) -> bool:
    """True for a value with at most filler words around it ("di bekasi aja", "malaysia min", "lulusan smk"):
    the answer to a question, not a question (no "?", no asking or searching word, at most two other words)."""
    if "?" in text or not any(len(value.strip()) >= 2 for value in values):
        return False  # a question, or no value ("P", the chat ping, is not an education level)
    named = {w for value in values for w in fold(value).split()}
    others = [w for w in fold(text).split() if w not in named and w not in _ANSWER_FILLERS]
    return len(others) <= 2 and not set(others) & _ASKING_WORDS


# Intents without a value of their own: a bare place, job, education or country given one is an answer.
_SMALL_TALK = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "ask_help", "show_more", "cancel"}
)
# Questions about what a place, job, education or country names: an unsure guess among them is kept.
_ENTITY_QUESTIONS = frozenset(
    {
        "search_vacancy",
        "search_training",
        "ask_placement_cost",
        "ask_overseas_channels",
        "ask_overseas_requirements",
    }
)


def entity_intent(
    text: str, intent: str, confidence: float, types: Set[str], spans: list[str], threshold: float = THRESHOLD
) -> Optional[str]:
    """What a message that names something calls for. A bare place, job, education or country is an answer
    (inform) even when the classifier is sure it is small talk. Below the threshold, instead of "kurang
    paham": a company or licence number is a check; a question naming a place or job keeps the classifier's
    guess when that asks about them (a search, a cost, the way abroad); one naming only a country asks the
    way there; anything else is left to the fallback."""
    named_value = bool(types & {"location", "job", "education", "country"})
    if named_value and intent in _SMALL_TALK and is_bare_answer(text, spans):
        return INFORM  # "malaysia min", "bukan, di bekasi": a value, not a greeting or a no
    if confidence >= threshold:
        return None
    if types & {"agency", "license_number"}:
        return CHECK
    if not named_value:
        return None
    if is_bare_answer(text, spans):
        return INFORM
    if intent in _ENTITY_QUESTIONS:
        return intent
    return "ask_overseas_channels" if types == {"country"} else None


def without_names(text: str, names: list[str]) -> str:
    """The message without the company names in it (their words are not what the message says)."""
    for name in names:
        if name:
            text = text.replace(name, " ")
    return text
