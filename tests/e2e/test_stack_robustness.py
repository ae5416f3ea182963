"""End-to-end: informal writing, interruptions inside forms, corrections and the two-stage fallback."""

from __future__ import annotations

import pytest

from tanyakerja.stackctl import chat

pytestmark = pytest.mark.e2e


def _say(stack, user: str, text: str) -> tuple[str, list[dict]]:
    running, client = stack
    replies = chat(client, running.base_url, user, text)
    return "\n".join(r.get("text") or "" for r in replies), [b for r in replies for b in r.get("buttons", [])]


def test_agency_question_inside_the_vacancy_form_then_back(stack):
    assert "Pekerjaan apa" in _say(stack, "r-mid", "cari loker dong")[0]
    assert "mana" in _say(stack, "r-mid", "las")[0]
    text, _ = _say(stack, "r-mid", "eh bentar, PT Uji Bara Kencana Mulia resmi gak?")
    assert "DIBEKUKAN" in text.upper() and "mana" in text  # the verdict, then the form's question again
    text, _ = _say(stack, "r-mid", "batam")
    assert "Welder FCAW" in text


def test_correcting_the_place_searches_again(stack):
    assert "PT Uji Otomotif" in _say(stack, "r-fix", "loker operator produksi di cikarang")[0]
    text, _ = _say(stack, "r-fix", "eh bukan cikarang, maksudnya karawang")
    assert "PT Uji Plastik" in text and "PT Uji Otomotif" not in text


def test_thanks_inside_a_form_then_the_question_again_and_cancel(stack):
    _say(stack, "r-thx", "saya mau lapor penipuan")
    text, _ = _say(stack, "r-thx", "makasih ya kak")
    assert "Sama-sama" in text and "Siapa pelakunya" in text
    text, _ = _say(stack, "r-thx", "ulang dari awal")
    assert "batal" in text.lower()


def test_two_unclear_messages_in_a_row_offer_a_petugas(stack):
    first, _ = _say(stack, "r-fb", "zxqv plomk trabadu")
    assert "kata lain" in first
    second, buttons = _say(stack, "r-fb", "wkwkwk qqqq zzz")
    assert "petugas" in second
    assert any(b["payload"] == "/request_human" for b in buttons)
