"""The behaviour checks of the dialogue corpus (see README.md here), read against the bot's own copy.

Each key of a turn's `expect` is one predicate over the replies of that turn (and, for tickets, the
help-desk queue). The markers come from knowledge/messages/*.yml and domain.yml, so a change of wording
changes the markers with it; a check never looks for wording the corpus writer chose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.answers import load_copy

ROOT = Path(__file__).resolve().parents[2]
STATUSES = ("aktif", "dibekukan", "dicabut", "kedaluwarsa")
TICKET_REASONS = {"emergency": {"emergency"}, "fraud": {"fraud_report"}, "human": {"request_human", "not_understood"}}
HOTLINE = re.compile(r"0800[ -]?1000")


@dataclass
class TurnResult:
    """What the bot did on one turn: its replies and the user's tickets afterwards."""

    replies: list[dict[str, Any]]
    tickets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every reply text, joined."""
        return "\n".join(r.get("text") or "" for r in self.replies)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button offered."""
        return [b for r in self.replies for b in r.get("buttons") or []]


def norm(text: str) -> str:
    """Lower case, single spaces (how `mentions` compares)."""
    return " ".join(str(text).lower().split())


def _pattern(template: str) -> re.Pattern[str]:
    """A copy template as a regex over normalised text (each {placeholder} matches some text)."""
    parts = re.split(r"\{[^}]*\}", norm(template))
    return re.compile(".+?".join(re.escape(p) for p in parts))


def _fixed(template: str) -> str:
    """The longest fixed part of a copy template ("{name} TERDAFTAR dengan izin AKTIF." -> " terdaftar ...")."""
    parts = re.split(r"\{[^}]*\}", template)
    return norm(max(parts, key=len))


@cache
def markers() -> dict[str, Any]:
    """Text fragments that show a behaviour, taken from the bot's copy."""
    agency, vacancy, training = load_copy("agency"), load_copy("vacancy"), load_copy("training")
    guidance, fallback = load_copy("guidance"), load_copy("fallback")
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]

    def ask(name: str) -> str:
        return norm(responses[name][0]["text"].split("?")[0])

    return {
        "verdict": {s: _fixed(agency["status"][s]["headline"]) for s in STATUSES},
        "not_found": _fixed(agency["not_found"]["text"]),
        "suggestion": _fixed(agency["suggestion"]["text"]),
        "suggestion_licence": _fixed(agency["suggestion"]["license_text"]),
        "inline_close": _fixed(agency["inline_close_match"]),
        "ask": {  # each form question, and the training form's own wording of the same slot
            "job": (ask("utter_ask_job"), ask("utter_ask_training_search_form_job")),
            "location": (ask("utter_ask_location"), ask("utter_ask_training_search_form_location")),
            "agency": (ask("utter_ask_agency_query"),),
            "cost_job": (ask("utter_ask_cost_job"),),
            "fraud": (ask("utter_ask_fraud_who"),),
        },
        "lists_vacancies": [_pattern(vacancy[k]) for k in ("header", "header_page", "header_overseas")],
        "lists_trainings": [_pattern(training[k]) for k in ("header", "header_page")],
        "nothing": [
            norm(vacancy["none_found"].split("{")[0]),
            norm(training["none_found"].split("{")[0]),
            _fixed(vacancy["none_found_overseas"]),
        ],
        "red_flag": _fixed(guidance["offer_found"]),
        # the wording of the all-clear the bot no longer gives (issue 22): it must never come back
        "all_clear": "tidak menemukan tanda bahaya",
        "fallback": [_fixed(fallback["first"]), _fixed(fallback["first_no_guess"]), _fixed(fallback["second"])],
        "privacy": [_fixed(t) for t in _optional_copy("privacy", "warning")],
        "english": [_fixed(t) for t in _optional_copy("languages", "english_note")],
    }


def _optional_copy(feature: str, key: str) -> list[str]:
    """A copy entry that may not exist yet (then the check cannot hold)."""
    try:
        value = load_copy(feature)[key]
    except (FileNotFoundError, KeyError):
        return []
    return [value] if isinstance(value, str) else list(value)


def _has(text: str, fragment: str) -> bool:
    return bool(fragment) and fragment in text


def _listed(text: str, headers: list[re.Pattern[str]]) -> bool:
    """Some reply line is a list header (the results of a search follow it)."""
    return any(h.match(line.strip()) for line in text.split("\n") for h in headers)


def _alternatives(item: str) -> list[str]:
    return [norm(a) for a in str(item).split("|") if a.strip()]


def _digits(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def verdicts(text: str) -> set[str]:
    """The licence statuses the reply states as a verdict."""
    return {s for s, marker in markers()["verdict"].items() if _has(text, marker)}


def _verdict_holds(expected: str, text: str, found: set[str]) -> bool:
    """A status verdict; "not in the registry copy"; or a "did you mean ...?" question without a verdict."""
    m = markers()
    if expected in STATUSES:
        return expected in found
    if expected == "not_found":
        return not found and _has(text, m["not_found"])
    return not found and any(_has(text, k) for k in (m["suggestion"], m["suggestion_licence"], m["inline_close"]))


def check_turn(expect: dict[str, Any], result: TurnResult) -> list[str]:
    """The expectation keys that do NOT hold for this turn (empty: the turn is right)."""
    m = markers()
    text = norm(result.text)
    lines = "\n".join(norm(line) for line in result.text.splitlines())
    first = norm(result.replies[0].get("text") or "") if result.replies else ""
    asked = {k for k, questions in m["ask"].items() if any(_has(text, q) for q in questions)}
    open_reasons = {t["reason"] for t in result.tickets if t.get("status") != "resolved"}
    found = verdicts(text)
    checks: dict[str, Callable[[Any], bool]] = {
        "mentions": lambda v: all(any(a in text for a in _alternatives(i)) for i in v),
        "mentions_any": lambda v: any(a in text for i in v for a in _alternatives(i)),
        "not_mentions": lambda v: not any(a in text for i in v for a in _alternatives(i)),
        "no_echo": lambda v: not any(norm(i) in text or _digits(str(i)) in _digits(text) for i in v),
        "verdict": lambda v: (
            (v in found)
            if v in STATUSES
            else (
                not found and _has(text, m["not_found"])
                if v == "not_found"
                else not found
                and any(_has(text, k) for k in (m["suggestion"], m["suggestion_licence"], m["inline_close"]))
            )
        ),
        "never_licensed": lambda v: "aktif" not in found,
        "hotline_first": lambda v: bool(HOTLINE.search(first[:400])),
        "asks": lambda v: v in asked if v != "yes_no" else any(b.get("payload") == "/affirm" for b in result.buttons),
        "no_form_question": lambda v: not asked,
        "lists": lambda v: (
            _listed(lines, m["lists_vacancies"])
            if v == "vacancies"
            else _listed(lines, m["lists_trainings"])
            if v == "trainings"
            else any(_has(text, k) for k in m["nothing"])
        ),
        "escalation": lambda v: (not result.tickets) if v == "none" else bool(open_reasons & TICKET_REASONS[v]),
        "tickets": lambda v: len(result.tickets) == int(v),
        "red_flag": lambda v: _has(text, m["red_flag"]),
        "not_all_clear": lambda v: not _has(text, m["all_clear"]),
        "warns_privacy": lambda v: any(_has(text, k) for k in m["privacy"]),
        "english_note": lambda v: any(_has(text, k) for k in m["english"]),
        "understood": lambda v: bool(result.replies) and not any(_has(text, k) for k in m["fallback"]),
        "max_chars": lambda v: len(result.text) <= int(v),
    }
    failed = []
    for key, value in expect.items():
        check = checks.get(key)
        if check is None or not check(value):
            failed.append(key)
    return failed
