"""The Rasa project and the Python code agree: actions, responses, intents, button payloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from knowledge.turns import INTERRUPTIONS

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


ANSWER_MODULES = sorted(
    {
        *(ROOT / "knowledge").rglob("answer*.py"),
        *(ROOT / "knowledge").rglob("service.py"),
        ROOT / "knowledge" / "fallback.py",
    }
)


@pytest.mark.parametrize("module", ANSWER_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_payloads_built_in_answers_are_domain_intents(module):
    source = module.read_text(encoding="utf-8")
    intents = re.findall(r'"/([a-z_]+)', source) + re.findall(r'payload\("([a-z_]+)"', source)
    for intent in intents:
        assert intent in DOMAIN["intents"], (module.name, intent)


def test_forms_ask_for_every_required_slot():
    for form in DOMAIN["forms"].values():
        for slot in form["required_slots"]:
            assert f"utter_ask_{slot}" in DOMAIN["responses"], slot


def test_every_form_has_a_rule_for_every_interruption():
    """The interruption intents live in one list (knowledge.turns.INTERRUPTIONS); every form has a rule for each."""
    found: dict[str, set[str]] = {form: set() for form in DOMAIN["forms"]}
    for path in _yaml_files("nlu"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules") or []:
            loops = [c["active_loop"] for c in rule.get("condition") or [] if "active_loop" in c]
            intents = [s["intent"] for s in rule.get("steps") or [] if "intent" in s]
            for loop in loops:
                if loop in found and intents:
                    found[loop].add(intents[0])
    for form, intents in found.items():
        # an agency question inside the agency form is the expected answer, not an interruption
        expected = INTERRUPTIONS - {"check_agency"} if form == "agency_check_form" else INTERRUPTIONS
        assert expected <= intents, (form, sorted(expected - intents))
        assert intents - {"inform", "affirm", "deny", "nlu_fallback", "show_more"} <= INTERRUPTIONS, (
            form,
            sorted(intents - INTERRUPTIONS),
        )


def test_generated_rule_files_are_up_to_date():
    """rules_interruptions.yml and rules_context.yml are what scripts/make_rules.py writes from its lists."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_rules", ROOT / "scripts" / "make_rules.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path, text in module.generated().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run scripts/make_rules.py"
