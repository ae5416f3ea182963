"""The corpus checks themselves: each holds on a reply that shows the behaviour and fails on one that does not."""

from __future__ import annotations

from knowledge.answers import load_copy
from tests.dialogues.checks import TurnResult, check_turn

AGENCY = load_copy("agency")


def _reply(*texts: str, buttons: tuple[dict, ...] = ()) -> TurnResult:
    return TurnResult([{"text": t, "buttons": list(buttons)} for t in texts])


def test_verdicts_and_questions():
    aktif = _reply(AGENCY["status"]["aktif"]["headline"].format(name="PT Contoh A") + " Nomor izin: KEP.1/X/2020")
    assert check_turn({"verdict": "aktif", "mentions": ["kep.1/x/2020|x"]}, aktif) == []
    assert check_turn({"verdict": "dicabut"}, aktif) == ["verdict"]
    assert check_turn({"never_licensed": True}, aktif) == ["never_licensed"]
    question = _reply(
        AGENCY["suggestion"]["text"].format(query="contoh a", name="PT Contoh A", city="Malang"),
        buttons=({"title": "Ya", "payload": "/affirm"},),
    )
    assert check_turn({"verdict": "ask_confirm", "asks": "yes_no", "never_licensed": True}, question) == []
    assert check_turn({"verdict": "aktif"}, question) == ["verdict"]
    missing = _reply(AGENCY["not_found"]["text"].format(query="PT Zebra"))
    assert check_turn({"verdict": "not_found"}, missing) == []


def test_form_questions_lists_and_fallback():
    ask = _reply("Pekerjaan apa yang dicari? Contoh: operator produksi")
    assert check_turn({"asks": "job"}, ask) == []
    assert check_turn({"no_form_question": True}, ask) == ["no_form_question"]
    listed = _reply("Lowongan las di Kota Batam — 2 ditemukan:\n\n1. Welder — PT Contoh")
    assert check_turn({"lists": "vacancies"}, listed) == []
    assert check_turn({"lists": "trainings"}, listed) == ["lists"]
    unsure = _reply(load_copy("fallback")["first_no_guess"])
    assert check_turn({"understood": True}, unsure) == ["understood"]


def test_hotline_first_tickets_and_echo():
    emergency = _reply("🚨 Segera hubungi: KP2MI 0800-1000")
    assert check_turn({"hotline_first": True}, emergency) == []
    late = _reply("x" * 500 + " 0800-1000")
    assert check_turn({"hotline_first": True}, late) == ["hotline_first"]
    tickets = TurnResult([{"text": "ok"}], [{"reason": "emergency", "status": "open"}])
    assert check_turn({"escalation": "emergency", "tickets": 1}, tickets) == []
    assert check_turn({"escalation": "fraud", "tickets": 2}, tickets) == ["escalation", "tickets"]
    echoed = _reply("NIK Anda 3201 0141 0190 0001")
    assert check_turn({"no_echo": ["3201014101900001"]}, echoed) == ["no_echo"]
