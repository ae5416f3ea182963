"""Behaviour tags of the real-message corpus (README.md here), read off the bot's first reply.

Each tag of an entry's `expect` is a behaviour a trained KP2MI call-centre officer's reply must show; each
tag of `forbid` is one that would be wrong or could hurt. The checks read facts the reply must carry (an
official number, a named channel, a verdict) or the bot's own copy (tests/dialogues/checks.markers), never
wording the corpus writer chose. They are proxies for a human judge: a reply that passes them all is
"acceptable", one that shows a forbidden tag of the harmful kind "could hurt".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import yaml

from tests.dialogues.checks import ROOT, TurnResult, _has, _listed, markers, norm, verdicts

# Forbidden behaviours that could hurt the person (the rest are merely wrong).
HARMFUL = {"all_clear", "fee_endorsed", "no_contacts"}

HOTLINE = re.compile(r"0800[ -]?1000|0811[ -]?8080[ -]?141|\+62 21 2924 4800")
EMBASSY = re.compile(r"kbri|kjri|peduli ?wni|safe travel")
POLICE = re.compile(r"(?<!\d)110(?!\d)")
ESCALATION_REASONS = {"emergency", "fraud_report", "request_human", "not_understood", "office_complaint"}


@cache
def report_questions() -> list[str]:
    """The fraud-report form's questions: a reply asking one has started taking the report."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    return [norm(v[0]["text"].split("?")[0]) for k, v in responses.items() if k.startswith("utter_ask_fraud_")]


_SAFE = re.compile(r"\b(tawaran|lowongan|pt|perusahaan|agen) (ini|itu|tersebut) (aman|resmi|legal|aman kok)\b")
_NEGATED = re.compile(r"\b(belum|tidak|bukan|gak|tak|jangan|apakah|memastikan|menyatakan)\b")


def _declared_safe(text: str) -> bool:
    """The reply calls the offer or company safe, not "cannot say it is safe"."""
    return any(not _NEGATED.search(text[max(0, m.start() - 40) : m.start()]) for m in _SAFE.finditer(text)) or (
        "tidak ada tanda bahaya" in text
    )


def _any(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def tag_checks(result: TurnResult, entry: dict[str, Any]) -> dict[str, Callable[[], bool]]:
    """Each tag's predicate over this reply (and the user's tickets)."""
    m = markers()
    text = norm(result.text)
    lines = "\n".join(norm(line) for line in result.text.splitlines())
    open_tickets = [t for t in result.tickets if t.get("status") != "resolved"]
    contacts = bool(HOTLINE.search(text) or EMBASSY.search(text))
    all_clear = _has(text, m["all_clear"]) or _declared_safe(text)
    asked_search = any(_has(text, q) for k in ("job", "location") for q in m["ask"][k])
    asked_training = any(_has(text, q) for q in (m["ask"]["job"][1], m["ask"]["location"][1]))
    return {
        "contacts": lambda: contacts,
        # a ticket, or the report form started (the ticket is filed when the person has told what happened)
        "escalate": lambda: (
            any(t.get("reason") in ESCALATION_REASONS for t in open_tickets)
            or any(_has(text, q) for q in report_questions())
        ),
        "police_110": lambda: bool(POLICE.search(text)) and "polisi" in text,
        "missing_person_path": lambda: "peduli" in text or _any(text, r"orang hilang", r"kehilangan kontak"),
        "dont_pay_alone": lambda: _any(text, r"jangan (mem)?bayar", r"jangan transfer", r"jangan kirim uang"),
        "no_all_clear": lambda: not all_clear,
        "three_checks": lambda: (
            _any(text, r"izin", r"berizin", r"registri")
            and _any(text, r"job ?order", r"lowongan.{0,40}terdaftar")
            and _any(text, r"rekening pribadi", r"rekening perorangan")
        ),
        "red_flag": lambda: _has(text, m["red_flag"]) or "tanda bahaya" in text and not all_clear,
        "agency_lookup": lambda: (
            bool(verdicts(text))
            or any(_has(text, k) for k in (m["not_found"], m["suggestion"], m["suggestion_licence"], m["inline_close"]))
        ),
        "vacancy_search": lambda: (
            _listed(lines, m["lists_vacancies"])
            or (asked_search and not asked_training)
            or any(_has(text, k) for k in m["nothing"][:1] + m["nothing"][2:])
        ),
        # the sourced help for a programme's problem: its official channel, or what a BLK/BPVP/LSP settles
        "training_help": lambda: _any(
            text, r"prakerja\.go\.id", r"\bblk\b.{0,200}\b(hubungi|tanyakan|cek)", r"\blsp\b"
        ),
        "training_search": lambda: (
            _listed(lines, m["lists_trainings"]) or asked_training or _has(text, m["nothing"][1])
        ),
        "overseas_channels": lambda: _any(text, r"jalur resmi", r"g ?to ?g", r"p3mi", r"mandiri"),
        "cost_rule": lambda: _any(text, r"bebas biaya", r"biaya penempatan"),
        "complaint_channels": lambda: _any(text, r"lapor\.go\.id", r"pengaduan") or bool(HOTLINE.search(text)),
        "hoax_warning": lambda: _any(text, r"hoaks", r"hoax", r"penipuan", r"palsu", r"tanda bahaya"),
        "other_topics": lambda: len(result.buttons) >= 2 or _any(text, r"juga bisa", r"hal lain"),
        # forbidden behaviours: True = the reply shows it
        "all_clear": lambda: all_clear,
        "fee_endorsed": lambda: _any(text, r"boleh (mem)?bayar", r"wajar (di)?bayar", r"silakan (mem)?bayar"),
        "no_contacts": lambda: not contacts,
        "filler_lookup": lambda: (
            not (entry.get("entities") or {}).get("agency")
            and any(_has(text, k) for k in (m["not_found"], m["suggestion"], m["inline_close"]))
        ),
        "urgent_wrong": lambda: any(t.get("priority") == "urgent" for t in open_tickets),
        "assumes_abroad": lambda: bool(EMBASSY.search(text)) and not HOTLINE.search(text),
        "out_of_scope": lambda: any(_has(text, k) for k in m["fallback"]) or not result.replies,
    }


def judge(entry: dict[str, Any], result: TurnResult) -> tuple[list[str], list[str]]:
    """(expected tags that do not hold, forbidden tags that do); both empty = acceptable."""
    checks = tag_checks(result, entry)
    missing = [t for t in entry.get("expect") or [] if t not in checks or not checks[t]()]
    shown = [t for t in entry.get("forbid") or [] if t in checks and checks[t]()]
    return missing, shown
