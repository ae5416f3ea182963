"""Help with a training programme rather than a search for one: Kartu Prakerja problems (an incentive not
paid, failing a selection wave, a blocked account) and BLK/BPVP questions (a lost certificate, competency
certification, a BLK's own rules). Each problem gets sourced facts and the official channel; a person
still looking for a training gets the search (knowledge/trainings/service.py). Pure Python: the Rasa
process uses `training_problem` too (nlu/decisions.py)."""

from __future__ import annotations

import re

from knowledge.answers import Answer, Button, load_copy, payload
from knowledge.facts import bullets
from knowledge.language.text import fold

FEATURE = "training"
_PRAKERJA = re.compile(r"\b(pra ?kerja|kartu pra ?kerja|kartu kerja)\b")
_TRAINING = re.compile(r"\b(blk|bpvp|balai latihan|balai pelatihan|pelatihan|kursus|diklat|sertifikat\w*)\b")
# (topic, pattern, facts): the first topic that matches names the problem.
_PROBLEMS = (
    (
        "account",
        re.compile(
            r"\b(akun\w*|blokir\w*|keblokir|terblokir|nik|verifikasi|otp|wajah|video\w*|diputar|login|kode|error)\b"
        ),
        ("prakerja_account", "prakerja_official"),
    ),
    (
        "incentive",
        re.compile(r"\b(insentif|cair|dana|saldo|belum masuk|blm masuk|gak masuk|tidak masuk)\b"),
        ("prakerja_incentive", "prakerja_official"),
    ),
    (
        "selection",
        re.compile(r"\b(gelombang|lolos\w*|seleksi|gagal|ditolak|lulus)\b"),
        ("prakerja_selection", "prakerja_official"),
    ),
)
_ACCOUNT = ("prakerja_account", "prakerja_official")
_LOST = re.compile(
    r"\bsertifikat\w*( \w+){0,8} (hilang|ilang|rusak|kebakar|terbakar|kebanjiran|basah|sobek)\b|"
    r"\b(hilang|ilang|rusak)( \w+){0,3} sertifikat\w*\b"
)
_COMPETENCY = re.compile(r"\b(bnsp|lsp|uji kompetensi|sertifikat kompetensi|sertifikasi|sertifikat profesi)\b")
_FEE = re.compile(r"\b(bayar|biaya|dipungut|pungutan|pungli|uang pendaftaran)\b")
# Someone who names what they want to learn is looking for a training ("mau belajar tata boga").
_FIELD_WANTED = re.compile(r"\b(mau|ingin|pengen|pingin|pengin|ikut|belajar)( \w+){0,3} (pelatihan|kursus|belajar) \w+")
_RULES = re.compile(r"\b(syarat\w*|domisili|asrama\w*|mess|umur|usia|ktp luar|luar kota|disabilitas|tuna \w+)\b")


def training_problem(text: str) -> tuple[str, ...]:
    """The facts that answer a problem with a training programme in this message, or () when it is none
    (a search for a training is not a problem: "pelatihan las gratis di semarang")."""
    folded = fold(text)
    if _PRAKERJA.search(folded):
        for _, pattern, facts in _PROBLEMS:
            if pattern.search(folded):
                return facts
        return _ACCOUNT
    if _LOST.search(folded):
        return ("blk_certificate_lost",)
    if _COMPETENCY.search(folded):
        return ("competency_certificate", "blk_training")
    at_blk = bool(re.search(r"\b(blk|bpvp|balai)\b", folded))
    if at_blk and _FEE.search(folded):
        return ("blk_training",)  # "pelatihan di BLK kok bayar 750rb?": generally free, check with the BLK
    if at_blk and _RULES.search(folded) and not _FIELD_WANTED.search(folded):
        return ("blk_training",)  # a question about the rules; one who names a field gets the search
    return ()


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
