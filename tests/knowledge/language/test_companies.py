"""Normalisation of company names and licence numbers, and cutting a name out of a question."""

from __future__ import annotations

import pytest

from knowledge.language.companies import (
    extract_agency_query,
    find_license_numbers,
    is_company_check,
    license_core,
    named_company,
    normalize_license,
    normalize_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PT Sinar Jaya Abadi", "sinar jaya abadi"),
        ("PT. SINAR JAYA ABADI", "sinar jaya abadi"),
        ("P.T. Sinar  Jaya   Abadi", "sinar jaya abadi"),
        ("pt.sinar jaya abadi", "sinar jaya abadi"),
        ("Sinar Jaya Abadi, PT", "sinar jaya abadi"),
        ("PT Sinar Jaya Abadi Tbk", "sinar jaya abadi"),
        ("CV. Maju Lancar", "maju lancar"),
        ("PT Bank Negara (Persero) Tbk", "bank negara"),
        ("PT Sinar-Jaya & Abadi", "sinar jaya dan abadi"),
        ("PT Sínar Jayá", "sinar jaya"),
        ("PT", ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("KEP.771/PPTKIS/III/2020", "kep 771 pptkis iii 2020"),
        ("KEP.771/PPTKIS/III/2020", "KEP 771/PPTKIS/III/2020"),
        ("B.302/KA/V/2022", "b302kav2022"),
        ("SIP3MI-2023-0412", "sip3mi 2023 0412"),
        ("562/KEP/2021", "562 / kep / 2021"),
    ],
)
def test_licence_formats_normalise_alike(a, b):
    assert normalize_license(a) == normalize_license(b)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("cek no izin KEP.101/PPTKIS/III/2019 dong", "KEP.101/PPTKIS/III/2019"),
        ("nomor izin B.456/KA/III/2023 punya siapa", "B.456/KA/III/2023"),
        ("izin sip3mi 2023 0412 masih berlaku gak", "sip3mi 2023 0412"),
        ("cek kep 771 pptkis iii 2020", "kep 771 pptkis iii 2020"),
    ],
)
def test_find_license_numbers(text, found):
    assert find_license_numbers(text)[0] == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pt sinar jaya abadi resmi gk ya kak", "pt sinar jaya abadi"),
        ("pt nya resmi gk ya kak namanya Bintang Timur Sejahtera", "bintang timur sejahtera"),
        ("saya ditawari kerja ke taiwan sama PT Sumber Rejeki Nusantara itu resmi?", "pt sumber rejeki nusantara"),
        ("apa PT Intan Permata Global terdaftar di bp2mi", "pt intan permata global"),
        ("lpk Mitra Jepang Sejahtera resmi gak", "mitra jepang sejahtera"),
        ("pt kencana mas iki resmi ora", "pt kencana mas"),
        ("tolong cek PT. Cahaya Harapan dong min", "pt cahaya harapan"),
        ("cek no izin KEP.101/PPTKIS/III/2019", "KEP.101/PPTKIS/III/2019"),
        ("cek pt resmi gak", None),
    ],
)
def test_extract_agency_query(text, expected):
    assert extract_agency_query(text) == expected


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("disuruh transfer, PT-nya gak jelas", None),
        ("katanya lewat PT Contoh Bintang Timor Sejahtera, gajinya besar", "pt contoh bintang timor sejahtera"),
        ("agen Maju Jaya minta uang 5 juta", "maju jaya"),
        ("lowongan dari teman di facebook", None),
    ],
)
def test_named_company(text, company):

    assert named_company(text) == company


@pytest.mark.parametrize(
    "text",
    [
        "cek KEP.123/PPTKIS/VI/2019 dong",
        "nomor B.456/KA/III/2023",
        "izin 562/KEP/2021",
        "kep 45 pptkis ii 2018 masih?",
        "B.31.KA.VII.2022",
        "KEP 123 2019",
        "KEP-123-2019",
        "SIP3MI-2024-0077",
        "sip3mi 20240077",
        "SIP 2024 0077 resmi?",
        "SIPPTKI.2019.0012",
        "izin kep771/2020",
    ],
)
def test_every_licence_shape_is_found(text):
    assert len(find_license_numbers(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "tanggal 2026-11-24",
        "bayar 5 juta tahun 2020",
        "hubungi 0812-3456-7890",
        "umur 23 tahun",
        "b 2 anak",
        "kerja 2 tahun di taiwan 2019",
        "sip mantap 2020",
        "sip, makasih",
    ],
)
def test_numbers_that_are_not_licences(text):
    assert find_license_numbers(text) == []


def test_a_permit_abbreviation_and_its_digits_name_the_same_licence():
    assert license_core("SIP 2024 0077") == license_core("SIP3MI-2024-0077") == "20240077"
    assert license_core("KEP.123/PPTKIS/VI/2019") == ""


@pytest.mark.parametrize(
    "text, company",
    [
        ("ditipu pak Budi dari PT Uji Palsu Jaya", "pt uji palsu jaya"),
        ("cek PT Maju Aman Sentosa dong", "pt maju aman sentosa"),
        ("PT Sinar Resmi gak?", "pt sinar"),
        ("pt sumber rejeki palsu gak", "pt sumber rejeki"),
        ("APAKAH PT SURYA GEMILANG RESMI???", "pt surya gemilang"),
    ],
)
def test_a_legality_word_inside_a_written_out_name_stays_in_it(text, company):
    assert named_company(text) == company


@pytest.mark.parametrize(
    "text, intent, types, check",
    [
        ("sy ditawari kerja sama PT X dr situ katanya resmi gmn", "ask_overseas_channels", {"agency"}, True),
        ("PT X syaratnya apa", "ask_overseas_requirements", {"agency"}, False),
        ("halo, PT X", "greet", {"agency"}, True),
        ("no izin KEP.1/2020 itu apa", "out_of_scope", {"license_number"}, True),
        ("saya ditipu PT X", "report_fraud", {"agency"}, False),
        ("jalur resmi ke taiwan apa", "ask_overseas_channels", {"country"}, False),
    ],
)
def test_a_question_naming_a_company_is_a_check(text, intent, types, check):
    assert is_company_check(text, intent, types) is check
