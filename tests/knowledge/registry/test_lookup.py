"""Registry lookup: licence formats, spelling variants, statuses, expiry, suggestions, look-alikes."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.models import LicenseStatus, effective_status
from knowledge.registry.index import AGENCY_MATCH_SUGGEST
from knowledge.registry.lookup import lookup_agency
from knowledge.registry.records import get_agency_by_license, registry_info

TODAY = date(2026, 11, 24)


@pytest.fixture
def session(load_registry):
    factory = load_registry()
    with factory() as s:
        yield s


def _lookup(session, query):
    return lookup_agency(session, query, today=TODAY)


@pytest.mark.parametrize(
    ("query", "kind", "name"),
    [
        # licence numbers, however they are written
        ("KEP.771/PPTKIS/III/2020", "license", "PT Uji Andalan Samudra Nusantara"),
        ("kep 771 pptkis iii 2020", "license", "PT Uji Andalan Samudra Nusantara"),
        ("cek no izin KEP.771/PPTKIS/III/2020 dong", "license", "PT Uji Andalan Samudra Nusantara"),
        ("b302kav2022", "license", "PT Uji Bara Kencana Mulia"),
        ("izin sip3mi 2023 0412 masih berlaku gak", "license", "PT Uji Cipta Lintas Benua"),
        ("562/KEP/2021", "license", "CV. Uji Zamrud Khatulistiwa Tbk"),
        ("nomor izinnya 562 kep 2021", "license", "CV. Uji Zamrud Khatulistiwa Tbk"),
        # names: case, punctuation, legal forms, spacing, question words
        ("PT Uji Andalan Samudra Nusantara", "name", "PT Uji Andalan Samudra Nusantara"),
        ("pt. uji andalan samudra nusantara", "name", "PT Uji Andalan Samudra Nusantara"),
        ("UJI ANDALAN SAMUDRA NUSANTARA", "name", "PT Uji Andalan Samudra Nusantara"),
        ("P.T.  Uji  Andalan Samudra-Nusantara", "name", "PT Uji Andalan Samudra Nusantara"),
        ("pt uji andalan samudra nusantara resmi gk ya kak", "name", "PT Uji Andalan Samudra Nusantara"),
        ("uji zamrud khatulistiwa", "name", "CV. Uji Zamrud Khatulistiwa Tbk"),
        ("PT Uji Zamrud Khatulistiwa", "name", "CV. Uji Zamrud Khatulistiwa Tbk"),
        # a city written after the name is not part of it
        ("PT Uji Andalan Samudra Nusantara batam", "name", "PT Uji Andalan Samudra Nusantara"),
        ("pt uji cipta lintas benua kab. bekasi", "name", "PT Uji Cipta Lintas Benua"),
    ],
)
def test_found(session, query, kind, name):
    result = _lookup(session, query)
    assert (result.kind, result.agency.name) == (kind, name)


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("uji andalan", "PT Uji Andalan Samudra Nusantara"),  # part of the name
        ("samudra nusantara andalan uji", "PT Uji Andalan Samudra Nusantara"),  # words reordered
        ("pt uji andalan samudra", "PT Uji Andalan Samudra Nusantara"),
        ("PT Uji Cipta Lintas Benua Internasional", "PT Uji Cipta Lintas Benua"),  # longer look-alike
        # one slip in a long name: still a question (fake agencies copy real names with one letter changed)
        ("pt uji andalan samudera nusantara", "PT Uji Andalan Samudra Nusantara"),
        ("pt uji cipta lintas benuaa", "PT Uji Cipta Lintas Benua"),
        ("uji bara kencana mulya", "PT Uji Bara Kencana Mulia"),
    ],
)
def test_weak_matches_are_only_suggestions(session, query, suggested):
    result = _lookup(session, query)
    assert result.kind == "suggestion"
    assert result.agency is None
    assert result.suggestions[0].name == suggested


def test_two_equally_close_names_are_a_question_not_a_verdict(session):
    # "Bintang Tim*r" is one letter from both the licensed company and its revoked look-alike.
    result = _lookup(session, "pt uji bintang timar sejahtera")
    assert result.kind == "suggestion"
    assert {a.name for a in result.suggestions[:2]} == {
        "PT Uji Bintang Timur Sejahtera",
        "PT Uji Bintang Timor Sejahtera",
    }


@pytest.mark.parametrize("query", ["pt zebra antah berantah", "jaya", "KEP.999/PPTKIS/XII/1999", "uji"])
def test_not_found(session, query):
    assert _lookup(session, query).kind == "not_found"


@pytest.mark.parametrize("query", ["", "   ", "pt", "PT. CV.", "??!!"])
def test_nothing_to_look_up(session, query):
    assert _lookup(session, query).kind == "empty"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("PT Uji Andalan Samudra Nusantara", LicenseStatus.AKTIF),
        ("PT Uji Bara Kencana Mulia", LicenseStatus.DIBEKUKAN),
        ("PT Uji Cipta Lintas Benua", LicenseStatus.DICABUT),
        ("PT Uji Elang Mas Perkasa", LicenseStatus.KEDALUWARSA),
        ("PT Uji Delta Prima Sejati", LicenseStatus.KEDALUWARSA),  # aktif in the file, valid_until passed
        ("562/KEP/2021", LicenseStatus.AKTIF),  # "Active" accepted
    ],
)
def test_statuses(session, query, status):
    assert _lookup(session, query).agency.status is status


@pytest.mark.parametrize(
    ("status", "valid_until", "today", "expected"),
    [
        (LicenseStatus.AKTIF, date(2026, 11, 24), date(2026, 11, 24), LicenseStatus.AKTIF),  # last valid day
        (LicenseStatus.AKTIF, date(2026, 11, 23), date(2026, 11, 24), LicenseStatus.KEDALUWARSA),
        (LicenseStatus.AKTIF, None, date(2026, 11, 24), LicenseStatus.AKTIF),
        (LicenseStatus.DICABUT, date(2020, 1, 1), date(2026, 11, 24), LicenseStatus.DICABUT),
        (LicenseStatus.DIBEKUKAN, date(2030, 1, 1), date(2026, 11, 24), LicenseStatus.DIBEKUKAN),
    ],
)
def test_effective_status(status, valid_until, today, expected):
    assert effective_status(status, valid_until, today) is expected


def test_lookalikes_are_named_with_a_verdict(session):
    result = _lookup(session, "PT Uji Bintang Timur Sejahtera")
    assert result.agency.status is LicenseStatus.AKTIF
    assert [a.name for a in result.lookalikes] == ["PT Uji Bintang Timor Sejahtera"]
    assert result.lookalikes[0].status is LicenseStatus.DICABUT


def test_registry_info_and_licence_getter(session):
    info = registry_info(session)
    assert (info.as_of, info.is_demo, info.size) == (date(2026, 11, 1), False, 8)
    assert get_agency_by_license(session, "kep 55 pptkis i 2019", today=TODAY).name == "PT Uji Delta Prima Sejati"
    assert get_agency_by_license(session, "nope 1", today=TODAY) is None


def test_index_follows_a_new_import(load_registry, uji_csv):
    factory = load_registry()
    with factory() as s:
        assert _lookup(s, "PT Uji Baru Sekali").kind == "not_found"
    load_registry(uji_csv + "PT Uji Baru Sekali,KEP.1/X/2024,aktif,,,,,,\n")
    with factory() as s:
        assert _lookup(s, "PT Uji Baru Sekali").kind == "name"


def test_a_licence_number_a_digit_off_is_not_found_with_the_similar_number_named(session):
    result = _lookup(session, "KEP.771/PPTKIS/III/2021")
    assert result.kind == "not_found" and result.agency is None
    assert result.suggestions[0].name == "PT Uji Andalan Samudra Nusantara"


def test_cutoffs_are_ordered():
    assert 0 < AGENCY_MATCH_SUGGEST < 100
