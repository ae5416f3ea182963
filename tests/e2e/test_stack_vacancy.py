"""End-to-end vacancy search through /api/chat on the real stack."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_informal_search_finds_one_vacancy_from_two_sources(say):
    text, _ = say("v-las", "loker las di btm ada gk min")
    assert "Welder FCAW" in text and "Kota Batam" in text
    assert "uji-karirhub, uji-kepri" in text
    assert text.count("Welder FCAW") == 1
    assert "FIKTIF" not in text


def test_form_asks_then_refines_without_starting_over(say):
    assert "Pekerjaan apa" in say("v-form", "cari loker")[0]
    assert "mana" in say("v-form", "operator produksi")[0]
    text, _ = say("v-form", "jawa barat")
    assert "PT Uji Otomotif" in text and "PT Uji Plastik" in text
    assert "PT Uji Tutup" not in text  # closed vacancies are never offered
    text, _ = say("v-form", "yang di karawang aja")
    assert "PT Uji Plastik" in text and "PT Uji Otomotif" not in text


def test_overseas_only_through_an_active_agency_and_says_why(say):
    text, _ = say("v-ln", "lowongan resmi ke taiwan")
    assert "Caregiver" in text and "PT Uji Andalan Samudra Nusantara" in text
    assert "Operator Pabrik (Uji Factory)" in text and "DIBEKUKAN" in text


def test_nothing_found_offers_the_province(say):
    text, buttons = say("v-none", "loker operator produksi di kab bogor")
    assert "Belum ada lowongan" in text and "Di Jawa Barat ada 2" in text
    follow = next(b for b in buttons if "Jawa Barat" in b["title"])
    text, _ = say("v-none", follow["payload"])
    assert "PT Uji Otomotif" in text
