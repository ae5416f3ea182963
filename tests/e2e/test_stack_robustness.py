"""End-to-end: informal writing, interruptions inside forms, corrections and the two-stage fallback."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_agency_question_inside_the_vacancy_form_then_back(say):
    assert "Pekerjaan apa" in say("r-mid", "cari loker dong")[0]
    assert "mana" in say("r-mid", "las")[0]
    text, _ = say("r-mid", "eh bentar, PT Uji Bara Kencana Mulia resmi gak?")
    assert "DIBEKUKAN" in text.upper() and "mana" in text  # the verdict, then the form's question again
    text, _ = say("r-mid", "batam")
    assert "Welder FCAW" in text


def test_correcting_the_place_searches_again(say):
    assert "PT Uji Otomotif" in say("r-fix", "loker operator produksi di cikarang")[0]
    text, _ = say("r-fix", "eh bukan cikarang, maksudnya karawang")
    assert "PT Uji Plastik" in text and "PT Uji Otomotif" not in text


def test_thanks_inside_a_form_then_the_question_again_and_cancel(say):
    say("r-thx", "saya mau lapor penipuan")
    text, _ = say("r-thx", "makasih ya kak")
    assert "Sama-sama" in text and "Siapa pelakunya" in text
    text, _ = say("r-thx", "ulang dari awal")
    assert "batal" in text.lower()


def test_two_unclear_messages_in_a_row_offer_a_petugas(say):
    first, _ = say("r-fb", "zxqv plomk trabadu")
    assert "kata lain" in first
    second, buttons = say("r-fb", "wkwkwk qqqq zzz")
    assert "petugas" in second
    assert any(b["payload"] == "/request_human" for b in buttons)


def test_a_bare_new_search_asks_again_instead_of_repeating_the_last(say):
    assert "Welder FCAW" in say("r-new", "loker las di btm")[0]
    assert "Pekerjaan apa" in say("r-new", "cari loker")[0]
