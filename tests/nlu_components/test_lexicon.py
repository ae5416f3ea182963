"""The lexicon entity extractor (nlu/lexicon.py, used inside Rasa): longest matches from our lists."""

from __future__ import annotations

import pytest

from nlu.lexicon import extract, merge


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.entity, f.value) for f in extract(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "loker teknisi listrik di Kota Tanjung Pinang lulusan SMK",
            [("job", "teknisi listrik"), ("location", "Kota Tanjung Pinang"), ("education", "SMK")],
        ),
        ("kerja ke korea selatan jadi tukang bangunan", [("country", "korea selatan"), ("job", "tukang bangunan")]),
        (
            "saya dr Kalimantan Timur mau kerja di HK jadi ART",
            [("location", "Kalimantan Timur"), ("country", "HK"), ("job", "ART")],
        ),
        ("kab. kutai kartanegara", [("location", "kab. kutai kartanegara")]),
        ("cek no izin SIP 2024 0077", [("license_number", "SIP 2024 0077")]),
        ("pt contoh sinar jaya abadi resmi gk ya kak", [("agency", "pt contoh sinar jaya abadi")]),
        ("PT Bintang Timur dr situ katanya resmi gmn", [("agency", "PT Bintang Timur")]),
        ("lpk Mitra Jepang Sejahtera resmi gak", [("agency", "Mitra Jepang Sejahtera")]),
        ("kerja pabrik purwakarta", [("job", "pabrik"), ("location", "purwakarta")]),
        # a capitalised name ends at a word in lower case, and a known place after it is the office's place
        (
            "PT Contoh Tirta Raya ngasih no izin, bener gak",
            [("agency", "PT Contoh Tirta Raya")],
        ),
        (
            "loker di PT Contoh Pelangi Tekstil Purwakarta",
            [("agency", "PT Contoh Pelangi Tekstil"), ("location", "Purwakarta")],
        ),
        ("LPK Contoh Gakuin Bekasi terdaftar?", [("agency", "Contoh Gakuin"), ("location", "Bekasi")]),
        ("PT Semen Padang resmi?", [("agency", "PT Semen Padang")]),
        # a capitalised word after a sentence ends is not a name ("... mengaku agen. Saya diminta ...")
        ("katanya dia agen. Saya diminta bayar", []),
    ],
)
def test_entities_from_the_lists(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", ["batu bara naik harga", "my friend", "pt nya resmi gk", "gaji di atas umr"])
def test_everyday_words_are_not_entities(text):
    assert [e for e in _found(text) if e[0] in ("location", "country", "agency")] == []


def test_the_crf_keeps_only_what_does_not_overlap():
    ours = extract("loker las di Kalimantan Timur")
    crf = [
        {"entity": "location", "start": 13, "end": 23, "value": "Kalimantan"},
        {"entity": "agency", "start": 24, "end": 29, "value": "Timur"},
        {"entity": "job", "start": 0, "end": 5, "value": "loker"},
    ]
    merged = merge(ours, crf)
    assert [(e["entity"], e["value"]) for e in merged] == [
        ("job", "loker"),
        ("job", "las"),
        ("location", "Kalimantan Timur"),
    ]
