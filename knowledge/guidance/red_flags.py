"""Red flags in a described or pasted job offer (patterns in knowledge/data/red_flag_patterns.yml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.facts import all_facts
from knowledge.language.text import fold

PATTERNS_FILE = Path(__file__).parent / "red_flag_patterns.yml"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    raw = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))["patterns"]
    facts = all_facts()
    missing = sorted(set(raw) - set(facts))
    if missing:
        raise ValueError(f"red flag patterns for unknown facts: {missing}")
    return {fact_id: [re.compile(p) for p in patterns] for fact_id, patterns in raw.items()}


def find_red_flags(text: str) -> list[str]:
    """Fact ids of the red flags in an offer, in the order of the patterns file."""
    folded = fold(text)
    return [fact_id for fact_id, patterns in _patterns().items() if any(p.search(folded) for p in patterns)]
