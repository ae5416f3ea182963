"""The one masker (CONTRACTS.md "Personal numbers"): a row per spelling, masked or kept; the official numbers
come from contacts.yml; the cost stays linear on long digit-heavy text; Rasa's Python masks the same."""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path

import pytest

from knowledge.language import privacy
from knowledge.language.privacy import find_personal_numbers, identity_numbers, mask_pii

ROOT = Path(__file__).resolve().parents[3]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

MASKED = [
    # NIKs: 16 digits, any grouping people use
    ("nik 3201234567890001", "nik [NIK]"),
    ("nik 3201 2345 6789 0001", "nik [NIK]"),
    ("nik 3201-0101-0190-0001", "nik [NIK]"),
    ("nik 3201 - 0101 - 0190 - 0001 ya", "nik [NIK] ya"),
    ("nik 3201/0101/0190/0001", "nik [NIK]"),
    ("nik 3201 / 0101 / 0190 / 0001", "nik [NIK]"),
    ("nik 3201.0101.0190.0001", "nik [NIK]"),
    ("nik 32.01.01.010190.0001", "nik [NIK]"),
    ("nik 320101 010190 0001", "nik [NIK]"),
    # passports: a letter and 7 digits, with or without a space or "no." before it
    ("paspor C1234567 ditahan", "paspor [PASPOR] ditahan"),
    ("paspor no.C1234567", "paspor no.[PASPOR]"),
    ("paspor no. C1234567", "paspor no. [PASPOR]"),
    ("paspor C 1234567", "paspor [PASPOR]"),
    ("paspor saya: AB123456", "paspor saya: [PASPOR]"),
    # Indonesian phone numbers in every common grouping
    ("wa 0812-3456-7890", "wa [TELP]"),
    ("wa 0812 3456 7890", "wa [TELP]"),
    ("wa 081234567890", "wa [TELP]"),
    ("wa 0812.3456.7890", "wa [TELP]"),
    ("wa (0812) 3456 7890", "wa [TELP]"),
    ("wa +62 812 3456 7890", "wa [TELP]"),
    ("wa +62 812-3456-7890", "wa [TELP]"),
    ("wa +62 (812) 3456-7890", "wa [TELP]"),
    ("wa (+62) 812 3456 7890", "wa [TELP]"),
    ("wa +6281234567890", "wa [TELP]"),
    ("wa 6281234567890", "wa [TELP]"),
    ("wa 62 812 3456 7890", "wa [TELP]"),
    ("wa 0812 - 3456 - 7890", "wa [TELP]"),
    ("hp081234567890", "hp[TELP]"),
    ("kantor 022-8765-4321", "kantor [TELP]"),
    ("kantor (022) 8765 4321", "kantor [TELP]"),
    # Hong Kong and Singapore: 8 digits
    ("majikan 9123 4567", "majikan [TELP]"),
    ("majikan 6123-4567", "majikan [TELP]"),
    ("majikan +852 9123 4567", "majikan [TELP]"),
    ("majikan +65 8123 4567", "majikan [TELP]"),
    ("majikan +65 81234567", "majikan [TELP]"),
    ("wa majikan 91234567", "wa majikan [TELP]"),
    # Malaysia, Taiwan, Saudi Arabia
    ("agen +60 12-345 6789", "agen [TELP]"),
    ("agen 012-345 6789", "agen [TELP]"),
    ("agen +60 3-1234 5678", "agen [TELP]"),
    ("agen +886 912 345 678", "agen [TELP]"),
    ("agen 0912-345-678", "agen [TELP]"),
    ("agen +966 50 123 4567", "agen [TELP]"),
    ("agen 050 123 4567", "agen [TELP]"),
    ("agen 00966501234567", "agen [TELP]"),
    # bank accounts and cards
    ("rekening 1234567890", "rekening [NOMOR]"),
    ("rekening 1234 5678 9012 3", "rekening [NOMOR]"),
    ("kartu 4111-1111-1111-1111-123", "kartu [NOMOR]"),
    # several in one line
    ("nik 3201014101900001 hp 0812-3456-7890.", "nik [NIK] hp [TELP]."),
    ("0812 3456 7890 / 0813 1111 2222", "[TELP] / [TELP]"),
    ("Rp 25000000 ke 0812 3456 7890", "Rp 25000000 ke [TELP]"),
]

KEPT = [
    # the bot's own official numbers (contacts.yml), however they are spelled
    "Call center KP2MI: 0800-1000, +62 21 2924 4800 dari luar negeri, WhatsApp 0811-8080-141.",
    "KP2MI 021-2924-4800 atau (021) 2924 4800",
    "WA KP2MI 0811 8080 141 atau +62 811-8080-141",
    "call center Kemnaker 1500630",
    "telepon polisi 110, ambulans 118/119, pemadam 113",
    # dates, times, years
    "berangkat 2026-11-24, tiba 24-11-2026",
    "kontrak 01.01.2020 - 31.12.2020",
    "tgl 12/03/2025 jam 08.00 - 17.00",
    "tahun 2019 2020, periode 2024-2025",
    # amounts
    "bayar Rp 25.000.000 dan 25jt",
    "Rp25000000, rp1500000, Rp 1.250.000.000, 12,500,000, HK$ 4630, NT$ 27470",
    # licence numbers
    "izin KEP.100/PPTKIS/I/2020 dan KEP.771/PPTKIS/III/2020",
    "no izin B.456/KA/III/2023 dan SIP3MI-2024-0077",
    # codes and ids: digits glued to other letters, UUIDs
    "kode AHU0012345678, user web-3f2a9c1e-1234-5678-9abc-401234567890",
    # short numbers
    "kamar 1203, antrean 45, kode 123456",
    "halo, gaji saya belum dibayar 4 bulan",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_personal_numbers_are_masked(text, masked):
    assert mask_pii(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_what_is_not_personal_stays_readable(text):
    assert mask_pii(text) == text


def test_nik_and_passport_spellings_count_as_identity_numbers():
    found = identity_numbers("nik 3201 - 0101 - 0190 - 0001, paspor no.C1234567, hp 0812-3456-7890")
    assert found == ["3201 - 0101 - 0190 - 0001", "C1234567"]


def test_the_official_numbers_are_read_from_contacts_yml(tmp_path, monkeypatch):
    contacts = tmp_path / "contacts.yml"
    contacts.write_text('facts:\n  - id: x\n    text: "Hotline baru: 0812-9999-0000."\n', encoding="utf-8")
    monkeypatch.setattr(privacy, "CONTACTS", contacts)
    privacy.official_numbers.cache_clear()
    try:
        assert mask_pii("hotline +62 812 9999 0000") == "hotline +62 812 9999 0000"
        assert mask_pii("KP2MI 021-2924-4800") == "KP2MI [TELP]"  # not in that file: masked
    finally:
        privacy.official_numbers.cache_clear()


def _digit_heavy(size: int, seed: int) -> str:
    rng, parts = random.Random(seed), []
    while sum(map(len, parts)) < size:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([1, 2, 3, 4, 6, 8, 10, 12, 16])))
        parts.append(digits + rng.choice([" ", "-", ".", "/", " - ", "+", "(", ") ", ""]))
    return "".join(parts)[:size]


def _best_of_three(text: str) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        find_personal_numbers(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_masking_a_long_digit_heavy_line_is_cheap():
    # phonenumbers' matcher took 0.3-0.5 s on this line (15 s for 60 long lines on one page open)
    line = _digit_heavy(20_000, seed=1)
    assert _best_of_three(line) < 0.2  # a few ms here; generous for a loaded machine
    masked = mask_pii(line)
    assert sum(ch.isdigit() for ch in masked) < sum(ch.isdigit() for ch in line) / 2


def test_the_cost_grows_linearly():
    short, long = _digit_heavy(10_000, seed=2), _digit_heavy(100_000, seed=2)
    assert _best_of_three(long) < 40 * max(_best_of_three(short), 0.002)  # ten times the text, ~ten times the time


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="needs .venv-rasa (make setup)")
def test_rasas_python_masks_the_same_without_the_phone_and_nik_libraries():
    texts = [text for text, _ in MASKED] + KEPT
    probe = "import json, sys\nfrom knowledge.language.privacy import mask_pii\n"
    probe += "print(json.dumps([mask_pii(t) for t in json.load(sys.stdin)]))"
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", probe],
        input=json.dumps(texts),
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [mask_pii(t) for t in texts]
