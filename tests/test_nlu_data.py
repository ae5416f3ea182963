"""The NLU data itself: the held-out file stays held out, intents have enough varied examples, and the
spelling normaliser maps what people type."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from bench.nlu_eval import BLIND_FILE, DEV_FILE, TEST_FILE, load_examples, parse_annotated
from knowledge.language.spelling import normalize_word
from knowledge.language.text import fold

ROOT = Path(__file__).resolve().parents[1]
TASK_INTENTS = [
    "check_agency",
    "search_vacancy",
    "search_training",
    "ask_overseas_channels",
    "ask_overseas_requirements",
    "ask_placement_cost",
    "ask_job_card",
    "report_fraud",
    "report_emergency",
    "request_human",
    "check_offer",
]


def training_examples() -> dict[str, list[str]]:
    """Clean text of every training example, by intent."""
    out: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" in block:
                for raw in str(block["examples"]).splitlines():
                    if raw.strip().startswith("- "):
                        out[block["intent"]].append(parse_annotated(raw.strip()[2:].strip())[0])
    return out


def test_held_out_file_is_big_enough_and_covers_every_intent():
    examples = load_examples()
    assert len(examples) >= 200
    assert set(TASK_INTENTS) <= {ex.intent for ex in examples}


# Blind sentences that training sentences older than the blind set happen to match (tests/nlu/...).
COINCIDENCES = {
    line.strip()
    for line in (ROOT / "tests" / "nlu" / "blind_coincidences.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


@pytest.mark.parametrize("held_out", [TEST_FILE, DEV_FILE, BLIND_FILE], ids=["held-out", "dev", "blind"])
def test_no_held_out_sentence_is_in_the_training_data(held_out):
    trained = {fold(text) for texts in training_examples().values() for text in texts}
    allowed = COINCIDENCES if held_out == BLIND_FILE else set()
    leaked = [ex.text for ex in load_examples(held_out) if fold(ex.text) in trained and fold(ex.text) not in allowed]
    assert leaked == []


@pytest.mark.parametrize("held_out", [TEST_FILE, DEV_FILE, BLIND_FILE], ids=["held-out", "dev", "blind"])
def test_no_held_out_sentence_is_a_near_copy_of_a_training_sentence(held_out):
    trained = [fold(text) for texts in training_examples().values() for text in texts if len(text) >= 12]
    near = [
        ex.text
        for ex in load_examples(held_out)
        if len(ex.text) >= 12
        and not (held_out == BLIND_FILE and fold(ex.text) in COINCIDENCES)
        and any(fuzz.ratio(fold(ex.text), t) >= 95 for t in trained)
    ]
    assert near == []


@pytest.mark.parametrize("intent", TASK_INTENTS)
def test_every_task_intent_has_forty_distinct_examples(intent):
    texts = training_examples()[intent]
    distinct = {fold(t) for t in texts}
    assert len(distinct) >= 40, f"{intent}: {len(distinct)} distinct examples"
    assert len(distinct) == len(texts), f"{intent} has duplicate examples"


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("gk", "tidak"),
        ("gak", "tidak"),
        ("nggak", "tidak"),
        ("GAAAK", "tidak"),
        ("yg", "yang"),
        ("sy", "saya"),
        ("krj", "kerja"),
        ("lwt", "lewat"),
        ("gmn", "bagaimana"),
        ("brp", "berapa"),
        ("loker", "lowongan"),
        ("halooo", "halo"),
        ("kerja?", "kerja"),
        ("...", "..."),
        ("Batam", "batam"),
        ("2000", "2000"),
    ],
)
def test_normalize_word(typed, standard):
    assert normalize_word(typed) == standard
