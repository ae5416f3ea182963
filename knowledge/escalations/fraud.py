"""The fraud report: collecting who, how much, where and when in the user's own words, answering fear,
accepting corrections in words, confirming, and storing it as an escalation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.escalations.store import split_sender, store_escalation
from knowledge.facts import bullets
from knowledge.language.text import fold
from knowledge.language.words import UNKNOWN_ANSWERS
from knowledge.turns import INTERRUPTIONS, Outcome, Turn

FEATURE = "reports"
FRAUD_SLOTS = ("fraud_who", "fraud_amount", "fraud_where", "fraud_when")
FRAUD_OFFICIAL = ("fraud_what_next", "kp2mi_call_center", "bp3mi_ltsa", "lapor_go_id")
FEAR_FACTS = ("fraud_what_next",)
_MONEY = re.compile(
    r"(?:rp\.?\s*)?\d[\d.,]*\s*(?:juta|jt|ribu|rb|k)\b|rp\.?\s*\d[\d.,]*|"
    r"\b(?:se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas)(?: (?:belas|puluh))?"
    r"(?: \w+){0,2} (?:juta|ratus ribu|puluh ribu)\b",
    re.IGNORECASE,
)
# Words before a perpetrator's name ("pak Budi dari PT X", "calo bernama Ani").
_PERSON = re.compile(r"\b(pak|bu|ibu|bapak|mas|mbak|bang|om|tante|haji|hj|calo|sponsor|oknum|agen|orang)\b", re.I)
_FEAR = re.compile(
    r"\b(takut|ketakutan|khawatir|kuatir|was was|trauma|diancam|ancam|ngancam|bahaya gak|aman gak|aman tidak|"
    r"nanti saya (dicari|diapa|kena)|jangan sampai ketahuan|rahasia)\b"
)
# When it happened, said in the first message ("bulan lalu", "maret 2025", "kemarin", "3 minggu yang lalu").
_MONTHS = (
    "januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
    "jan|feb|mar|apr|jun|jul|agu|agt|ags|sep|sept|okt|nov|des"
)
_WHEN = re.compile(
    rf"\b(?:(?:bulan|bln|minggu|mgg|tahun|thn|hari) (?:lalu|kemarin|kemaren|yang lalu|yg lalu|kmrn|kmarin)|"
    rf"(?:tanggal|tgl) \d{{1,2}}(?: (?:{_MONTHS}))?(?: \d{{4}})?|"
    rf"(?:awal |akhir |pertengahan )?(?:bulan |bln )?(?:{_MONTHS})(?: (?:sama|dan|&) (?:{_MONTHS}))?"
    rf"(?: (?:lalu|kemarin|kemaren|\d{{4}}))?|"
    rf"\d+ (?:hari|minggu|bulan|bln|tahun|thn) (?:yang |yg )?lalu|kemarin|kemaren|kmrn|tadi pagi|tadi malam|"
    rf"tahun \d{{4}}|(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
# Where it happened, said in the first message: an online channel ("lewat WA", "di fb").
_ONLINE = re.compile(
    r"\b(?:lewat|lwt|via|di|dari|dr) (?:wa|whatsapp|fb|facebook|ig|instagram|tiktok|telegram|medsos|media sosial|"
    r"online|grup \w+)\b",
    re.IGNORECASE,
)
# A message that only says "send it" ("iya laporin aja", "sudah itu saja", "nggih, sampun niku mawon").
_SEND_CORE = frozenset(
    """
    ya iya iyaa iyah yaa yup yes ok oke okay okey okee sip siap kirim kirimkan kirimin kirimkan laporin laporkan
    lapor teruskan lanjut lanjutkan udah udh sudah sdh dah cukup benar bener betul nggih inggih sampun leres
    muhun enggeh submit send
    """.split()
)
_SEND_FILLER = frozenset(
    """
    aja saja ja aj itu tu deh dong kak ka min mas mbak mba bu pak sih kok semua semuanya lengkap data tersebut
    laporannya laporan nya nih ini yg yang mawon niku punika tolong segera sekarang langsung gitu begitu sy saya
    kakak admin all that it s
    """.split()
)


def is_send_now(text: str) -> bool:
    """True for a short message that only says to send the report ("iya laporin aja", "sudah itu saja")."""
    words = fold(text).split()
    allowed = _SEND_CORE | _SEND_FILLER
    return 0 < len(words) <= 8 and all(w in allowed for w in words) and any(w in _SEND_CORE for w in words)


# "pelakunya salah, harusnya pak Budi", "uangnya 7 juta bukan 5", "ganti tempatnya jadi Cirebon".
_FIELD_WORDS = {
    "fraud_who": r"pelaku\w*|siapa|orang\w*|nama\w*|pt\w*|agen\w*|calo\w*|sponsor\w*",
    "fraud_amount": r"uang\w*|jumlah\w*|bayar\w*|biaya\w*|nominal\w*|duit\w*|transfer\w*",
    "fraud_where": r"tempat\w*|lokasi\w*|dimana|di mana|kota\w*|daerah\w*",
    "fraud_when": r"waktu\w*|kapan|tanggal\w*|bulan\w*|tahun\w*|hari\w*",
}
_NEW_VALUE = re.compile(
    r"\b(?:harusnya|seharusnya|yang benar|yg bener|yg benar|yang bener|sebenarnya|sebenernya|ganti(?: jadi)?|"
    r"diganti(?: jadi)?|ubah(?: jadi)?|diubah(?: jadi)?|tapi|tetapi|maksudnya|maksud saya)\b[\s:,]*(?P<value>.+)$",
    re.IGNORECASE,
)
_CHANGE_WORDS = re.compile(r"\b(ubah|ganti|salah|koreksi|ralat|edit|revisi)\b")


def _answer_to(turn: Turn, slot: str) -> str | None:
    """The message as the answer to the form's question about `slot`, if that is what it is."""
    if turn.asked != slot or not turn.typed or turn.intent in INTERRUPTIONS or is_fear(turn.typed):
        return None
    if is_send_now(turn.typed):
        return None
    return turn.typed


def send_now_values(turn: Turn) -> dict[str, Any]:
    """ "laporin aja" while the form still asks: every field not given yet becomes 'tidak disebutkan'."""
    if not turn.asked or not turn.typed or not is_send_now(turn.typed):
        return {}
    missing = load_copy(FEATURE)["not_given_value"]
    return {slot: missing for slot in FRAUD_SLOTS if not turn.slot(slot)}


def perpetrator(text: str, agency: str | None) -> str | None:
    """Who the first message names, in the user's words: from "pak"/"calo"/... through the company name."""
    if agency and agency in text:
        end = text.index(agency) + len(agency)
        before = text[: text.index(agency)]
        people = list(_PERSON.finditer(before))
        start = people[-1].start() if people and len(before[people[-1].start() :].split()) <= 6 else text.index(agency)
        return text[start:end].strip(" ,.")
    m = re.search(r"\b(?:pak|bu|ibu|bapak|mas|mbak|bang|calo|sponsor)\s+[A-Z]\w*(?:\s+[A-Z]\w*){0,2}", text)
    return m.group(0) if m else agency


def extract_fraud_slot(turn: Turn, slot: str) -> dict[str, Any]:
    """Fill one report field: the answer to its question, or what the first message already said."""
    answer = _answer_to(turn, slot)
    if answer:
        return {slot: answer}
    if turn.slot(slot):
        return {}
    if slot == "fraud_who":
        who = perpetrator(turn.typed, turn.entity_span("agency"))
        return {slot: who} if who else {}
    if slot == "fraud_amount":
        money = _MONEY.search(turn.typed)
        return {slot: money.group(0)} if money else {}
    if turn.asked is not None:
        return {}  # where and when only from the first message; later messages answer their own question
    if slot == "fraud_when":
        when = _WHEN.search(turn.typed)
        return {slot: when.group(0)} if when else {}
    if slot == "fraud_where":
        online = _ONLINE.search(turn.typed)
        place = turn.entity_span("location") or (online.group(0) if online else None)
        return {slot: place} if place else {}
    return {}


def validate_fraud_slot(slot: str, value: Any) -> dict[str, Any]:
    """Any non-empty answer; 'tidak tahu' is kept as 'tidak diketahui'."""
    text = str(value or "").strip()[:300]
    if not text:
        return {slot: None}
    return {slot: load_copy(FEATURE)["unknown_value"] if text.lower().strip(" .!") in UNKNOWN_ANSWERS else text}


def is_fear(text: str) -> bool:
    """The user is afraid of reporting ("saya takut kalau lapor")."""
    return bool(_FEAR.search(fold(text)))


def fear_answer() -> Answer:
    """What happens to a report, and that reporting is safe here; the form then asks its question again."""
    copy = load_copy(FEATURE)
    return Answer("\n\n".join([copy["fraud_fear"], bullets(FEAR_FACTS)]))


def confirm_fraud_report(turn: Turn, values: dict[str, Any] | None = None) -> Outcome:
    """What was collected, with Ya / Ubah / Batal."""
    copy = load_copy(FEATURE)
    slots = {slot: (values or {}).get(slot, turn.slot(slot)) for slot in FRAUD_SLOTS}
    shown = {slot.split("_", 1)[1]: slots[slot] or copy["unknown_value"] for slot in FRAUD_SLOTS}
    buttons = (
        Button(copy["fraud_yes_button"], payload("affirm")),
        Button(copy["fraud_change_button"], payload("deny")),
        Button(copy["fraud_cancel_button"], payload("cancel")),
    )
    return Outcome.of(Answer(copy["fraud_confirm"].format(**shown), buttons), fraud_pending=True, **(values or {}))


def pick_fraud_field() -> Outcome:
    """'Ubah': which part to change (one button per field)."""
    copy = load_copy(FEATURE)
    buttons = tuple(
        Button(label, payload("inform", fraud_field=slot)) for slot, label in copy["fraud_field_labels"].items()
    )
    return Outcome.of(Answer(copy["fraud_pick_field"], buttons))


def reset_fraud_field(turn: Turn) -> Outcome:
    """Clear the chosen field (all four if the choice is unknown) so the form asks for it again."""
    field = turn.entity("fraud_field")
    slots = [field] if field in FRAUD_SLOTS else list(FRAUD_SLOTS)
    return Outcome.of(**dict.fromkeys(slots), fraud_pending=None)


def correct_fraud_report(turn: Turn) -> Outcome | None:
    """A message while the summary waits for Ya / Ubah / Batal: fear, a correction in words, or "ubah".

    "pelakunya salah, harusnya pak Budi" changes that field and shows the summary again; "ubah" (or a field
    without the new value) offers the fields to change; fear gets the explanation and the summary again.
    None for a company check that is not about the report ("cek PT X dulu"): the caller runs the check.
    """
    text = turn.typed
    if is_fear(text):
        return Outcome((fear_answer(), *confirm_fraud_report(turn).answers), {"fraud_pending": True})
    folded = fold(text)
    field = next((slot for slot, words in _FIELD_WORDS.items() if re.search(rf"\b({words})\b", folded)), None)
    value = _NEW_VALUE.search(text)
    if field and value and value.group("value").strip(" .!"):
        return confirm_fraud_report(turn, {field: value.group("value").strip(" .!")[:300]})
    changing = _CHANGE_WORDS.search(folded)
    if turn.intent == "check_agency" and not changing:
        return None  # "cek PT X dulu": a check, not a change to the report
    if field or changing:
        return pick_fraud_field()
    return Outcome(
        (Answer(load_copy(FEATURE)["fraud_confirm_again"]), *confirm_fraud_report(turn).answers),
        {"fraud_pending": True},
    )


def submit_fraud_report(session: Session, turn: Turn) -> Outcome:
    """Store the confirmed report (high priority); acknowledge only what was really stored."""
    copy = load_copy(FEATURE)
    channel, user = split_sender(turn.sender)
    details = {slot: turn.slot(slot) for slot in FRAUD_SLOTS}
    escalation_id = store_escalation(session, channel=channel, user_id=user, reason="fraud_report", details=details)
    lead = copy["fraud_saved"].format(id=escalation_id) if escalation_id else copy["not_saved"]
    answer = Answer("\n\n".join([lead, copy["fraud_official"], bullets(FRAUD_OFFICIAL)]))
    if escalation_id is None:
        return Outcome.of(answer, fraud_pending=None)
    return Outcome.of(answer, **dict.fromkeys(FRAUD_SLOTS), fraud_pending=None, context="report_sent")


# "kalo mau lapor kemana ya?": a question about where to report, not a report yet.
_WHERE_TO_REPORT = re.compile(
    r"\b(lapor\w*|melapor\w*|ngadu|mengadu\w*|aduan|pengaduan)\b( \w+){0,2} (ke ?mana|kemana|ke ?mn|dimana|di ?mana|"
    r"ke siapa|kesiapa)\b|\b(ke ?mana|kemana|dimana|di ?mana) (harus |bisa |sebaiknya )?(lapor|melapor|mengadu|ngadu)\b"
)
WHERE_TO_REPORT_FACTS = ("fraud_what_next", "kp2mi_call_center", "bp3mi_ltsa", "disnaker", "lapor_go_id")


def asks_where_to_report(turn: Turn) -> bool:
    """A question about where to report, with nothing about what happened (no money, no perpetrator)."""
    text = turn.typed
    return bool(
        text
        and _WHERE_TO_REPORT.search(fold(text))
        and not _MONEY.search(text)
        and not turn.entity("agency")
        and not perpetrator(text, None)
    )


def start_report(turn: Turn, company_note: str | None = None, red_flags: Sequence[str] = ()) -> Outcome:
    """A fraud told as a story: what to do right now and the hotline first (with the registry's word on a
    company it names), then the report form's questions (the person may stop answering them; the advice
    must not wait for the end of the form)."""
    copy = load_copy(FEATURE)
    parts = [copy["fraud_first"], bullets(["fraud_what_next", "kp2mi_call_center"])]
    flags = [f for f in red_flags if f.startswith("red_flag_")][:3]
    if flags:  # what gave it away, so the person knows it next time
        parts += [copy["fraud_flags"], bullets(flags)]
    if company_note:
        parts += [copy["fraud_company"], company_note]
    return Outcome((Answer("\n\n".join(parts)),), {"context": None}, "fraud_report_form")


def where_to_report() -> Outcome:
    """The official places to report, and an offer to write the report down here."""
    copy = load_copy(FEATURE)
    answer = Answer(
        "\n\n".join([copy["where_to_report"], bullets(WHERE_TO_REPORT_FACTS)]),
        (Button(copy["report_here_button"], payload("report_fraud")),),
    )
    return Outcome.of(answer, context="report_info")
