"""The Rasa project and the Python code agree: actions, responses, intents, button payloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def _yaml_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.yml"))


def _steps() -> list[dict]:
    steps = []
    for path in _yaml_files("nlu") + _yaml_files("tests/stories"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in (data.get("rules") or []) + (data.get("stories") or []):
            steps.extend(block.get("steps") or [])
    return steps


def test_domain_actions_match_action_classes():
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in DOMAIN["actions"] if not name.startswith("utter_")}
    assert custom == set(executor.actions), "domain.yml actions and actions/ classes differ"


def test_every_used_response_exists():
    used = {s["action"] for s in _steps() if str(s.get("action", "")).startswith("utter_")}
    for path in (ROOT / "actions").glob("*.py"):
        used |= set(re.findall(r'response="(utter_[a-z_]+)"', path.read_text(encoding="utf-8")))
    used |= {f"utter_ask_{slot}" for form in DOMAIN["forms"].values() for slot in form["required_slots"]}
    missing = used - set(DOMAIN["responses"])
    assert not missing


def test_every_intent_in_stories_is_in_the_domain():
    intents = set(DOMAIN["intents"])
    used = {s["intent"] for s in _steps() if "intent" in s}
    assert used <= intents


def test_button_payloads_are_short_known_intents():
    intents = set(DOMAIN["intents"])
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                payload = button["payload"]
                assert len(payload.encode()) <= 64, (name, payload)  # Telegram callback_data limit
                assert payload.startswith("/") and payload[1:].split("{")[0] in intents, (name, payload)


@pytest.mark.parametrize("module", sorted((ROOT / "knowledge").glob("*_answer.py")), ids=lambda p: p.name)
def test_payloads_built_in_answers_are_domain_intents(module):
    source = module.read_text(encoding="utf-8")
    intents = re.findall(r'"/([a-z_]+)', source) + re.findall(r'payload\("([a-z_]+)"', source)
    assert intents, module.name
    for intent in intents:
        assert intent in DOMAIN["intents"], (module.name, intent)


def test_forms_ask_for_every_required_slot():
    for form in DOMAIN["forms"].values():
        for slot in form["required_slots"]:
            assert f"utter_ask_{slot}" in DOMAIN["responses"], slot
