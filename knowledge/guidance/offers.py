"""Checking a job offer the user describes: the red flags in it, never an all-clear (with no flag found, what
could not be checked and the three checks that settle it), domestic scams pointed to Disnaker, and
push-back answered with the rule."""

from __future__ import annotations

import re

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.facts import bullets, fact_text_with_date
from knowledge.guidance.red_flags import find_red_flags
from knowledge.language.needs import forwarded_scam
from knowledge.language.text import fold
from knowledge.language.vocab import find_country

FEATURE = "guidance"
OFFER_CHECKLIST = (
    "red_flag_personal_account",
    "red_flag_tourist_visa",
    "red_flag_individual_recruiter",
    "red_flag_fee",
)
DOMESTIC_FACTS = ("job_fair_free", "karirhub", "disnaker", "lapor_go_id")
PUSHBACK_FACTS = ("channel_no_individuals", "red_flag_individual_recruiter", "bp3mi_ltsa")
# Cues that a message still talks about an offer (money, personal documents, an individual).
_CAUTION = re.compile(
    r"\b(bayar|biaya|uang|duit|transfer|tf|dp|setor|juta|jt|ribu|rb|rp|ktp|paspor|passport|ijazah|kk|akta|"
    r"dokumen|surat|sponsor|calo|pak|bu|ibu|bapak|mas|mbak|teman|temen|saudara|tetangga|kenalan|orang)\b"
)
_OVERSEAS = re.compile(
    r"\b(luar negeri|ln|tki|tkw|pmi|cpmi|visa|paspor|passport|negara|abroad|overseas|p3mi|pjtki|umroh|umrah|"
    r"ziarah|riyal|ringgit|dirham|dinar|yen|won|hkd|sgd|nt|majikan)\b"
)
_LOCAL_JOB = re.compile(r"\b(loker|lowongan|kerja|pabrik|interview|wawancara|panggilan|psikotes|training|magang)\b")
_PUSHBACK = re.compile(
    r"\b(baik|jujur|kenal|dikenal|saudara|tetangga|terpercaya|percaya|amanah|berhasil|sukses|sudah banyak|"
    r"udah banyak|sdh banyak|banyak yang|banyak org|banyak orang|resmi kok|aman kok|gapapa|gak apa|tidak apa|"
    r"sudah biasa|udah biasa|orang dalam|org dalam|ordal)\b"
)


def is_domestic(text: str) -> bool:
    """An offer for a job in Indonesia (no destination abroad, no overseas words, a job or vacancy named)."""
    folded = fold(text)
    return find_country(text) is None and not _OVERSEAS.search(folded) and bool(_LOCAL_JOB.search(folded))


def _buttons() -> tuple[Button, ...]:
    c = load_copy(FEATURE)
    return (
        Button(c["button_report"], payload("report_fraud")),
        Button(c["button_check_agency"], payload("check_agency")),
    )


_SCAM_FACTS = {"gift": "hoax_gift_message", "task_job": "task_job_scam"}


def offer_answer(text: str, red_flags: list[str], agency_text: str | None) -> Answer:
    """Each red flag found (why it matters), the registry answer for a named company, what to do next. A
    forwarded text of a known scam kind (money "from the government", paid likes) is named as such first."""
    c = load_copy(FEATURE)
    scam = forwarded_scam(text)
    if scam:
        parts = [c["offer_scam"], bullets([_SCAM_FACTS[scam]])]
        if red_flags:
            parts += [c["offer_found"].format(count=len(red_flags)), bullets(red_flags)]
        return Answer("\n\n".join(parts), _buttons())
    if is_domestic(text):
        parts = [c["offer_domestic"], bullets(DOMESTIC_FACTS)]
        if red_flags:
            parts.insert(0, c["offer_found"].format(count=len(red_flags)))
        return Answer("\n\n".join(parts), _buttons())
    if red_flags:
        parts = [
            c["offer_found"].format(count=len(red_flags)),
            "\n".join(f"{n}. {fact_text_with_date(fid)}" for n, fid in enumerate(red_flags, 1)),
        ]
    else:  # no flag found is not an all-clear: say what could not be checked and what settles it
        parts = [c["offer_unchecked"], c["offer_three_checks"]]
    if agency_text:
        parts += [c["offer_agency"], agency_text]
    if red_flags:  # the checks that settle it, then what to do
        parts += [c["offer_three_checks"], c["offer_next"], bullets(["fraud_what_next", "kp2mi_call_center"])]
    else:
        parts += [c["offer_ask_facts"], bullets(["kp2mi_call_center"])]
    return Answer("\n\n".join(parts), _buttons())


def is_about_the_offer(text: str) -> bool:
    """Whether a message after an offer check still talks about the offer (push-back or a new detail)."""
    return bool(_PUSHBACK.search(fold(text)) or find_red_flags(text) or _CAUTION.search(fold(text)))


def offer_followup(text: str) -> Answer:
    """After an offer check: push-back gets the rule (individuals may not place workers); new details are
    checked; anything else gets the checklist again, never an all-clear."""
    c = load_copy(FEATURE)
    flags = find_red_flags(text)
    if _PUSHBACK.search(fold(text)) or "red_flag_individual_recruiter" in flags:
        return Answer("\n\n".join([c["offer_pushback"], bullets(PUSHBACK_FACTS)]), _buttons())
    if flags:
        return offer_answer(text, flags, None)
    return Answer("\n\n".join([c["offer_more"], bullets(OFFER_CHECKLIST)]), _buttons())
