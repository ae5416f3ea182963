"""Normalisation of company names and licence numbers, and cutting a name out of a question."""

from __future__ import annotations

import pytest

from knowledge.language.companies import extract_agency_query, find_license_numbers, normalize_license, normalize_name


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
    from knowledge.language.companies import named_company

    assert named_company(text) == company
