"""`make eval-dialogues`: play the held-out dialogue corpus against the real stack and print the rate of
turns right, overall, per topic and per expectation key.

The stack runs on a fresh database with the fictional demo data (what the corpus was written against).
Each dialogue gets its own web-chat user id; tickets are read through the staff API. Failed turns are
written to results/dialogues-failed.yml for reading the failure classes; the corpus is for measuring,
not for tuning sentence by sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.dialogues.checks import TurnResult, check_turn
from tests.support.stackctl import REPO_ROOT, staffed_stack

CORPUS = Path(__file__).resolve().parent / "corpus"
STAFF = ("penilai", "kata-sandi-penilai-123")


def load_corpus(folder: Path = CORPUS) -> list[dict[str, Any]]:
    """Every dialogue of every corpus file."""
    dialogues: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yml")):
        dialogues += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("dialogues") or []
    return dialogues


def _tickets(client: httpx.Client, base: str, user: str) -> list[dict[str, Any]]:
    r = client.get(f"{base}/api/escalations", auth=STAFF, timeout=30)
    r.raise_for_status()
    return [e for e in r.json() if e["user_id"] == user and e["channel"] == "web"]


def play(client: httpx.Client, base: str, dialogue: dict[str, Any], run_id: str) -> list[dict[str, Any]]:
    """One dialogue, turn by turn; returns per-turn outcomes."""
    user = f"eval-{run_id}-{dialogue['id']}"
    outcomes, previous_buttons = [], []
    for turn in dialogue["turns"]:
        text = turn.get("user")
        if "button" in turn:
            wanted = str(turn["button"]).lower()
            match = next((b for b in previous_buttons if b["title"].lower().startswith(wanted)), None)
            text = match["payload"] if match else None
        if text is None:
            outcomes.append({"turn": turn, "failed": ["button"], "replies": []})
            continue
        r = client.post(f"{base}/api/chat", json={"user_id": user, "text": text}, timeout=90)
        replies = (
            r.json().get("replies", []) if r.headers.get("content-type", "").startswith("application/json") else []
        )
        expect = turn.get("expect") or {}
        tickets = _tickets(client, base, user) if {"escalation", "tickets"} & set(expect) else []
        result = TurnResult(replies, tickets)
        outcomes.append({"turn": turn, "failed": check_turn(expect, result), "replies": replies})
        previous_buttons = result.buttons
    return outcomes


def report(dialogues: list[dict[str, Any]], results: list[list[dict[str, Any]]], out: Path) -> float:
    """Print the figures; write the failed turns; return the overall rate."""
    per_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_key: Counter[str] = Counter()
    key_total: Counter[str] = Counter()
    failed_turns = []
    for dialogue, outcomes in zip(dialogues, results, strict=True):
        for outcome in outcomes:
            right = not outcome["failed"]
            per_topic[dialogue["topic"]][0] += right
            per_topic[dialogue["topic"]][1] += 1
            key_total.update((outcome["turn"].get("expect") or {}).keys())
            per_key.update(outcome["failed"])
            if not right:
                failed_turns.append(
                    {
                        "id": dialogue["id"],
                        "user": outcome["turn"].get("user"),
                        "failed": outcome["failed"],
                        "reply": "\n".join(r.get("text") or "" for r in outcome["replies"])[:600],
                    }
                )
    right = sum(v[0] for v in per_topic.values())
    total = sum(v[1] for v in per_topic.values())
    print(f"dialogues: {len(dialogues)}   turns: {total}   right: {right}   rate: {right / total:.1%}")
    print("per topic:")
    for topic, (ok, n) in sorted(per_topic.items(), key=lambda kv: kv[1][0] / kv[1][1]):
        print(f"   {topic:16s} {ok:4d}/{n:<4d} {ok / n:6.1%}")
    print("failed checks by expectation key (failures / uses):")
    for key, n in per_key.most_common():
        print(f"   {key:18s} {n:4d} / {key_total[key]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(failed_turns, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"failed turns written to {out}")
    return right / total


def main() -> int:
    """Start the stack (or use --base-url), play the corpus, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", help="an already running stack (with the demo data and the staff account)")
    parser.add_argument("--workers", type=int, default=4, help="dialogues played at once")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "results" / "dialogues-failed.yml")
    args = parser.parse_args()
    dialogues = load_corpus()
    run_id = time.strftime("%H%M%S")

    def run(base: str) -> float:
        with httpx.Client() as client:
            with ThreadPoolExecutor(args.workers) as pool:
                results = list(pool.map(lambda d: play(client, base, d, run_id), dialogues))
        return report(dialogues, results, args.out)

    if args.base_url:
        run(args.base_url)
        return 0
    with staffed_stack("tk-dialogues-", STAFF) as stack:
        run(stack.base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
