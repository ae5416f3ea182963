"""End-to-end vacancy search through /api/chat on the real stack."""

from __future__ import annotations

import pytest

from tanyakerja.stackctl import chat

pytestmark = pytest.mark.e2e


def _say(stack, user: str, text: str) -> tuple[str, list[dict]]:
    running, client = stack
    replies = chat(client, running.base_url, user, text)
    return "\n".join(r.get("text") or "" for r in replies), [b for r in replies for b in r.get("buttons", [])]


def test_informal_search_finds_one_vacancy_from_two_sources(stack):
    text, _ = _say(stack, "v-las", "loker las di btm ada gk min")
    assert "Welder FCAW" in text and "Kota Batam" in text
    assert "uji-karirhub, uji-kepri" in text
    assert text.count("Welder FCAW") == 1
    assert "FIKTIF" not in text


def test_form_asks_then_refines_without_starting_over(stack):
    assert "Pekerjaan apa" in _say(stack, "v-form", "cari loker")[0]
    assert "mana" in _say(stack, "v-form", "operator produksi")[0]
    text, _ = _say(stack, "v-form", "jawa barat")
    assert "PT Uji Otomotif" in text and "PT Uji Plastik" in text
    assert "PT Uji Tutup" not in text  # closed vacancies are never offered
    text, _ = _say(stack, "v-form", "yang di karawang aja")
    assert "PT Uji Plastik" in text and "PT Uji Otomotif" not in text


def test_overseas_only_through_an_active_agency_and_says_why(stack):
    text, _ = _say(stack, "v-ln", "lowongan resmi ke taiwan")
    assert "Caregiver" in text and "PT Uji Andalan Samudra Nusantara" in text
    assert "Operator Pabrik (Uji Factory)" in text and "DIBEKUKAN" in text


def test_nothing_found_offers_the_province(stack):
    text, buttons = _say(stack, "v-none", "loker operator produksi di kab bogor")
    assert "Belum ada lowongan" in text and "Di Jawa Barat ada 2" in text
    follow = next(b for b in buttons if "Jawa Barat" in b["title"])
    text, _ = _say(stack, "v-none", follow["payload"])
    assert "PT Uji Otomotif" in text
