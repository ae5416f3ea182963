"""Generate the two rule files that follow from one list each, so they can never drift apart from the code:

- nlu/data/rules_interruptions.yml: for every form, what each interruption intent does (the intents are
  knowledge.turns.INTERRUPTIONS; the form's question comes again afterwards, or the form ends);
- nlu/data/rules_context.yml: what a message means right after an emergency, a "Maksud Anda ...?"
  question, a list, an offer check or a fraud summary (CONTEXTS below).

Run `.venv/bin/python scripts/make_rules.py` after changing either list; tests/test_consistency.py fails
while the files are not what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.turns import INTERRUPTIONS  # noqa: E402 - after the path set-up

DOMAIN = ROOT / "domain.yml"
INTERRUPTIONS_FILE = ROOT / "nlu" / "data" / "rules_interruptions.yml"
CONTEXT_FILE = ROOT / "nlu" / "data" / "rules_context.yml"

# Interruption intent -> what happens: ("resume", action) answers and asks the form's question again;
# ("end", action) ends the form first.
INTERRUPTION_ACTIONS = {
    "thank": ("resume", "utter_thank"),
    "bot_challenge": ("resume", "utter_iamabot"),
    "ask_help": ("resume", "utter_help"),
    "greet": ("resume", "utter_greet"),
    "out_of_scope": ("resume", "utter_out_of_scope"),
    "ask_ticket_status": ("resume", "action_ticket_status"),
    "check_agency": ("resume", "action_check_agency_now"),
    "goodbye": ("end", "utter_goodbye"),
    "report_emergency": ("end", "action_report_emergency"),
    "request_human": ("end", "action_request_human"),
    "cancel": ("end", "action_cancel"),
}
# Intents a form takes as the answer to its question (an unsure classifier, "lihat lagi" in a story).
FORM_ANSWERS = ("nlu_fallback", "show_more")
LIST_FOLLOWUPS = (
    "inform",
    "ask_help",
    "check_agency",  # "PT nya resmi kan?" about the listed vacancies
    "ask_placement_cost",
    "check_offer",
    "ask_overseas_requirements",
    "ask_overseas_channels",
    "out_of_scope",
    "nlu_fallback",
    "search_training",
    "search_vacancy",
    "deny",
    "ask_job_card",
)
LIST_AFTER = (
    {},
    {"context": None},
    {"context": "vacancy_list"},
    {"context": "training_list"},
    {"context": "agency"},  # "PT nya resmi kan?" about a listed vacancy: the registry answer
)
# (name, slot condition, intents, action, what the action may leave set: one rule per variant, so the
# dialogue listens again whatever the follow-up changed)
CONTEXTS: list[tuple[str, dict, tuple[str, ...] | None, str, tuple[dict, ...]]] = [
    # (the emergency condition names agency_suggestion too: longer than the rules that start a check or a
    # search from a bare name or place, so in an emergency those never win)
    (
        "after an emergency",
        {"emergency_open": True, "agency_suggestion": None},
        None,
        "action_emergency_followup",
        ({}, {"emergency_open": None}),
    ),
    (
        "while 'Maksud Anda ...?' waits",
        {"agency_suggestion": "KEP.1/X/2020"},
        ("affirm", "deny", "inform", "check_agency", "nlu_fallback", "out_of_scope"),
        "action_agency_suggestion_reply",
        ({}, {"agency_suggestion": None}),
    ),
    ("after a vacancy list", {"context": "vacancy_list"}, LIST_FOLLOWUPS, "action_list_followup", LIST_AFTER),
    ("after a training list", {"context": "training_list"}, LIST_FOLLOWUPS, "action_list_followup", LIST_AFTER),
    (
        "after an offer check",
        {"context": "offer"},
        (
            "affirm",
            "deny",
            "inform",
            "nlu_fallback",
            "out_of_scope",
            "check_offer",
            "ask_ticket_status",
            "ask_overseas_channels",
            "ask_help",
        ),
        "action_offer_followup",
        ({},),
    ),
    (
        "after a registry answer",
        {"context": "agency", "agency_suggestion": None},
        (
            "inform",
            "check_agency",
            "ask_help",
            "out_of_scope",
            "nlu_fallback",
            "affirm",
            "deny",
            "ask_overseas_channels",
            "ask_overseas_requirements",
            "goodbye",
            "thank",
        ),
        "action_agency_followup",
        (*LIST_AFTER[:2], {"context": "agency"}),
    ),
    (
        "after a guidance answer",
        {"context": "guidance"},
        (
            "inform",
            "out_of_scope",
            "nlu_fallback",
            "ask_help",
            "affirm",
            "deny",
            "ask_overseas_channels",
            "ask_overseas_requirements",
            "ask_job_card",
            "ask_placement_cost",
            "ask_ticket_status",
            "search_training",
            "search_vacancy",
        ),
        "action_guidance_followup",
        ({}, {"context": None}),
    ),
    (
        "after a fraud report was sent",
        {"context": "report_sent"},
        ("inform", "report_fraud", "out_of_scope", "nlu_fallback", "deny", "check_offer", "ask_ticket_status"),
        "action_report_followup",
        ({}, {"context": None}),
    ),
    (
        "while the fraud summary waits",
        {"fraud_pending": True, "agency_suggestion": None},  # longer than the bare-name rules, as above
        ("inform", "nlu_fallback", "out_of_scope", "report_fraud", "check_agency", "thank", "goodbye"),
        "action_fraud_correction",
        ({}, {"fraud_pending": None}),
    ),
]


def _domain() -> dict:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))


def interruption_rules() -> list[dict]:
    """Every form x every interruption, plus the messages a form takes as its answer."""
    rules: list[dict] = []
    for form in _domain()["forms"]:
        label = form.replace("_form", "").replace("_", " ")
        for intent in sorted(INTERRUPTIONS):
            if intent == "check_agency" and form == "agency_check_form":
                continue  # there an agency question is the expected answer
            kind, action = INTERRUPTION_ACTIONS[intent]
            if kind == "resume":
                steps = [{"intent": intent}, {"action": action}, {"action": form}, {"active_loop": form}]
                name = f"{intent} in the {label} form, then the question again"
            elif action in ("utter_goodbye", "action_cancel"):
                steps = [
                    {"intent": intent},
                    {"action": action},
                    *([{"action": "action_deactivate_loop"}] if action == "utter_goodbye" else []),
                    {"active_loop": None},
                ]
                name = f"{intent} ends the {label} form"
            else:
                steps = [
                    {"intent": intent},
                    {"action": "action_deactivate_loop"},
                    {"active_loop": None},
                    {"action": action},
                ]
                name = f"{intent} ends the {label} form"
            rules.append({"rule": name, "condition": [{"active_loop": form}], "steps": steps})
        for intent in FORM_ANSWERS:
            rules.append(
                {
                    "rule": f"{intent} in the {label} form is taken as the answer",
                    "condition": [{"active_loop": form}],
                    "steps": [{"intent": intent}, {"action": form}, {"active_loop": form}],
                }
            )
    return rules


def context_rules() -> list[dict]:
    """Every context x its intents x what the follow-up may leave set (a rule without entities matches any
    entities; the condition makes it longer than the top-level rule for the same intent, so it wins)."""
    every_intent = list(_domain()["intents"])
    rules: list[dict] = []
    for name, condition, intents, action, variants in CONTEXTS:
        for intent in intents or every_intent:
            for after in variants:
                if after and all(condition.get(k) == v for k, v in after.items()):
                    continue  # the same as the plain rule
                steps = [
                    {"intent": intent},
                    {"action": action},
                    *({"slot_was_set": [{k: v}]} for k, v in after.items()),
                ]
                label = "".join(f", then {k} {v}" for k, v in after.items())
                rules.append(
                    {"rule": f"{intent} {name}{label}", "condition": [{"slot_was_set": [condition]}], "steps": steps}
                )
    return rules


class _NoAliases(yaml.SafeDumper):
    """A YAML dumper that writes repeated values out instead of as &anchors (Rasa's files never use them)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def render(header: str, rules: list[dict]) -> str:
    """The YAML text of a rules file."""
    body = yaml.dump({"rules": rules}, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=120)
    return f'version: "3.1"\n{header}{body}'


HEADERS = {
    INTERRUPTIONS_FILE: "# GENERATED by scripts/make_rules.py from knowledge.turns.INTERRUPTIONS: do not edit.\n"
    "# Inside a form an interruption is answered and the question comes again, or it ends the form.\n",
    CONTEXT_FILE: "# GENERATED by scripts/make_rules.py (CONTEXTS): do not edit by hand.\n"
    "# Right after an emergency, a question, a list or an offer check, a message refers to it.\n",
}


def generated() -> dict[Path, str]:
    """File -> the text this script writes."""
    return {
        INTERRUPTIONS_FILE: render(HEADERS[INTERRUPTIONS_FILE], interruption_rules()),
        CONTEXT_FILE: render(HEADERS[CONTEXT_FILE], context_rules()),
    }


def main() -> None:
    """Write both files."""
    for path, text in generated().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
