"""Every knowledge file loads against its schema; facts carry a source and a verification date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.answers import MESSAGES_DIR, load_copy
from knowledge.facts import CONTENT_DIR, FactFileError, all_facts, fact_text_with_date, load_fact_file


@pytest.mark.parametrize("path", sorted(CONTENT_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_every_content_file_matches_the_schema(path):
    facts = load_fact_file(path)
    assert facts
    for fact in facts:
        assert fact.source.strip() and isinstance(fact.verified_on, date)


def test_fact_ids_are_unique_and_known_ids_exist():
    facts = all_facts()
    assert {"siskop2mi", "bp3mi_ltsa", "disnaker", "kp2mi_call_center"} <= set(facts)


def test_changing_facts_show_their_date():
    assert "(info per " in fact_text_with_date("kp2mi_call_center")
    assert "(info per " not in fact_text_with_date("disnaker")


def test_uncertain_facts_say_to_check():
    for fact in all_facts().values():
        if fact.uncertain:
            assert "cek" in fact.text.lower(), fact.id


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("facts:\n  - id: a\n    text: t\n    source: s\n", "missing 'verified_on'"),
        ("facts:\n  - id: a\n    text: t\n    source: ''\n    verified_on: 2026-01-01\n", "'source'"),
        ("facts:\n  - id: a\n    text: t\n    source: s\n    verified_on: kemarin\n", "'verified_on'"),
        ("facts:\n  - id: a\n    text: t\n    source: s\n    verified_on: 2999-01-01\n", "future"),
        ("facts:\n  - id: a\n    text: t\n    source: s\n    verified_on: 2026-01-01\n    phone: 1\n", "unknown"),
        ("items: []\n", "'facts'"),
    ],
)
def test_schema_violations_are_named(tmp_path: Path, content, problem):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactFileError, match=problem):
        load_fact_file(path)


@pytest.mark.parametrize("path", sorted(MESSAGES_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_message_files_load_and_have_no_boolean_keys(path):
    """YAML 1.1 reads keys like `yes:`/`no:` as booleans; copy files must use string keys."""

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                assert isinstance(key, str), (path.name, key)
                walk(value)

    walk(load_copy(path.stem))
