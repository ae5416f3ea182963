"""Questions right after a registry answer, and several companies in one message."""

from __future__ import annotations

import pytest

from knowledge.registry.followup import agency_followup, asked_field
from knowledge.registry.service import answer_agency_followup, check_agency
from knowledge.turns import Turn

ANDALAN = "KEP.771/PPTKIS/III/2020"
BARA = "B.302/KA/V/2022"


@pytest.fixture
def session(load_registry):
    factory = load_registry()
    with factory() as s:
        yield s


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("kantornya dmn ya kak", "office"),
        ("yg itu kantornya dimana?", "office"),
        ("nomor izinnya apa?", "license"),
        ("berlaku sampai kapan izinnya?", "valid"),
        ("yg andalan itu ke negara mana aja", "countries"),
        ("terus sy hrs gmn?", "next"),
        ("jadi adik sy harus gimana", "next"),
        ("kalau sudah habis berarti tidak bisa berangkatkan orang ya", "meaning"),
        ("ok", None),
        ("cari loker las di batam", None),
    ],
)
def test_what_a_follow_up_asks(text, field):
    assert asked_field(text) == field


def test_each_detail_comes_from_the_registry(session):
    assert "Malang" in agency_followup(session, [ANDALAN], "kantornya di mana?").text
    assert ANDALAN in agency_followup(session, [ANDALAN], "nomor izinnya apa").text
    assert "31 Desember 2030" in agency_followup(session, [ANDALAN], "berlaku sampai kapan").text
    assert "Taiwan, Hong Kong" in agency_followup(session, [ANDALAN], "ke negara mana aja").text
    meaning = agency_followup(session, [BARA], "berarti gak bisa daftar ya").text
    assert "DIBEKUKAN" in meaning and "salinan registri" in meaning


def test_with_two_companies_the_one_named_is_answered(session):
    text = agency_followup(session, [ANDALAN, BARA], "yg bara kencana itu kantornya dmn").text
    assert "Cirebon" in text and "Malang" not in text
    both = agency_followup(session, [ANDALAN, BARA], "ke negara mana aja").text
    assert "Taiwan" in both and "Malaysia" in both


def test_what_to_do_next_without_a_company_is_the_official_way_to_check(session):
    text = agency_followup(session, [], "terus saya harus gimana").text
    assert "Jangan mendaftar" in text and "BP3MI" in text
    assert agency_followup(session, [], "ok makasih") is None


def test_several_companies_in_one_message_are_each_answered(session):
    outcome = check_agency(
        session,
        "PT Uji Bara Kencana Mulia",
        "PT Uji Andalan Samudra Nusantara sama PT Uji Bara Kencana Mulia resmi gak?",
    )
    text = "\n".join(a.text for a in outcome.answers)
    assert "AKTIF" in text and "DIBEKUKAN" in text
    assert outcome.remember["agency_last"] == [ANDALAN, BARA] and outcome.remember["context"] == "agency"


def test_a_new_name_after_a_check_is_a_new_check_not_a_follow_up(session):
    slots = {"context": "agency", "agency_last": [ANDALAN]}
    turn = Turn(text="kalo PT Uji Bara Kencana Mulia yg di cirebon?", intent="inform", slots=slots)
    assert answer_agency_followup(session, turn) is None
    asked = Turn(text="nomor izinnya apa?", intent="check_agency", slots=slots)
    assert ANDALAN in answer_agency_followup(session, asked).answers[0].text
