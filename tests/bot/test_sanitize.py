"""Cleaning user text and masking personal numbers in logs."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import MaskPersonalNumbers
from bot.sanitize import clean_text, has_words, looks_like_command, mask_pii, strip_leading_slashes


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("  halo   min  ", "halo min"), ("a\x00b\u200bc", "abc"), ("baris 1\n\n  baris  2 ", "baris 1\n\nbaris 2")],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(("text", "words"), [("😀😀", False), ("!!! ??", False), ("ok 👍", True), ("3", True)])
def test_has_words(text, words):
    assert has_words(text) is words


def test_commands():
    assert looks_like_command("/affirm")
    assert looks_like_command('/check_agency{"license_number": "KEP.1/X/2020"}')
    assert not looks_like_command("/ halo")
    assert strip_leading_slashes("//start") == "start"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NIK saya 3201234567890001 ya", "NIK saya [NIK] ya"),
        ("nik 3201 2345 6789 0001", "nik [NIK]"),
        ("wa saya 0812-3456-7890", "wa saya [TELP]"),
        ("hubungi +62 812 3456 7890", "hubungi [TELP]"),
        ("izin KEP.771/PPTKIS/III/2020 tahun 2020", "izin KEP.771/PPTKIS/III/2020 tahun 2020"),
        # dates, licence numbers, amounts and the hotline are not personal numbers
        ("berangkat 2026-11-24, tiba 24-11-2026", "berangkat 2026-11-24, tiba 24-11-2026"),
        ("no izin B.456/KA/III/2023 dan SIP3MI-2024-0077", "no izin B.456/KA/III/2023 dan SIP3MI-2024-0077"),
        ("bayar Rp 12.500.000 tgl 12/03/2025", "bayar Rp 12.500.000 tgl 12/03/2025"),
        ("telepon 0800-1000 (gratis)", "telepon 0800-1000 (gratis)"),
        # a valid NIK, a passport, a bank account, a landline
        ("ktp 3201014101900001", "ktp [NIK]"),
        ("paspor C1234567 ditahan", "paspor [PASPOR] ditahan"),
        ("rekening 1234 5678 9012 3", "rekening [NOMOR]"),
        ("kantor 022-8765-4321", "kantor [TELP]"),  # 021-2924-4800 is KP2MI's own: kept
    ],
)
def test_mask_pii(text, masked):
    assert mask_pii(text) == masked


def test_log_filter_masks_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user said %s", ("0812-3456-7890",), None)
    MaskPersonalNumbers().filter(record)
    assert record.getMessage() == "user said [TELP]"
