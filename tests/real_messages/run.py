"""`make eval-real`: send every message of a real-message corpus as the first message of a new chat to the
real stack, judge each first reply by its behaviour tags (checks.py) and print the rate of acceptable
answers and of answers that could hurt, overall and per class.

`--set dev` (default) is for error analysis: its failures are written to results/real-messages-<set>.yml.
`--set blind` is for measuring only: read its per-class figures, not its sentences.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.dialogues.checks import TurnResult
from tests.real_messages.checks import HARMFUL, judge
from tests.support.stackctl import REPO_ROOT, staffed_stack

HERE = Path(__file__).resolve().parent
STAFF = ("penilai", "kata-sandi-penilai-123")


def load(name: str) -> list[dict[str, Any]]:
    """The entries of one corpus file (dev or blind)."""
    return yaml.safe_load((HERE / f"{name}.yml").read_text(encoding="utf-8")) or []


def play(client: httpx.Client, base: str, entry: dict[str, Any], run_id: str) -> dict[str, Any]:
    """One message in a fresh chat; its replies, the user's tickets and the verdict."""
    user = f"real-{run_id}-{entry['id']}"
    r = client.post(f"{base}/api/chat", json={"user_id": user, "text": entry["text"]}, timeout=120)
    replies = r.json().get("replies", []) if r.headers.get("content-type", "").startswith("application/json") else []
    t = client.get(f"{base}/api/escalations", auth=STAFF, timeout=30)
    tickets = [e for e in t.json() if e["channel"] == "web" and e["user_id"] == user] if t.status_code == 200 else []
    result = TurnResult(replies, tickets)
    missing, shown = judge(entry, result)
    return {"missing": missing, "shown": shown, "text": result.text, "tickets": [e["reason"] for e in tickets]}


def report(entries: list[dict[str, Any]], outcomes: list[dict[str, Any]], out: Path) -> float:
    """Print the per-class table; write every unacceptable answer; return the acceptable share."""
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, acceptable, hurt
    failures = []
    for entry, outcome in zip(entries, outcomes, strict=True):
        row = per_class[entry["class"]]
        hurt = bool(set(outcome["shown"]) & HARMFUL)
        ok = not outcome["missing"] and not outcome["shown"]
        row[0] += 1
        row[1] += ok
        row[2] += hurt
        if not ok:
            failures.append(
                {
                    "id": entry["id"],
                    "class": entry["class"],
                    "text": entry["text"],
                    "missing": outcome["missing"],
                    "shown": outcome["shown"],
                    "tickets": outcome["tickets"],
                    "reply": outcome["text"][:700],
                }
            )
    n = sum(r[0] for r in per_class.values())
    ok = sum(r[1] for r in per_class.values())
    hurt = sum(r[2] for r in per_class.values())
    print(f"{'class':18s} {'n':>4s} {'acceptable':>11s} {'wrong':>6s} {'could hurt':>11s}")
    for name, (cn, cok, churt) in sorted(per_class.items(), key=lambda kv: kv[1][1] / kv[1][0]):
        print(f"{name:18s} {cn:4d} {cok / cn:10.0%} {cn - cok:6d} {churt:11d}")
    print(f"{'all':18s} {n:4d} {ok / n:10.0%} {n - ok:6d} {hurt:11d}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(failures, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"unacceptable answers written to {out}")
    return ok / n


def main() -> int:
    """Start the stack on the demo data (or use --base-url), play one corpus, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="dev", choices=["dev", "blind"])
    parser.add_argument("--base-url", help="an already running stack (with the demo data and the staff account)")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    entries = load(args.set)
    out = REPO_ROOT / "results" / f"real-messages-{args.set}.yml"
    run_id = time.strftime("%H%M%S")

    def run(base: str) -> None:
        with httpx.Client() as client, ThreadPoolExecutor(args.workers) as pool:
            outcomes = list(pool.map(lambda e: play(client, base, e, run_id), entries))
        report(entries, outcomes, out)

    if args.base_url:
        run(args.base_url)
        return 0
    with staffed_stack("tk-real-", STAFF) as stack:
        run(stack.base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
