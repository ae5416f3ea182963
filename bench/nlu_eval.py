"""NLU evaluation (`make eval-nlu`) on the project's held-out file and the blind set written independently,
beside Rasa's out-of-the-box pipeline trained on the same data in the same run; and the pipeline
comparison (`make compare-nlu`).

Rasa is used only through its command line and HTTP API (it lives in .venv-rasa): each pipeline is
trained NLU-only with Rasa's cache off (training time), served with `rasa run --enable-api`, and every
held-out sentence is sent to /model/parse (parse latency, and the intents and entities the bot really
receives, after synonyms). Entity F1 counts an entity as right only with the exact span, type and value.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from bench.stats import percentile
from tests.support.stackctl import REPO_ROOT, free_port

RASA = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"
TEST_FILE = REPO_ROOT / "tests" / "nlu" / "test_nlu.yml"
BLIND_FILE = REPO_ROOT / "tests" / "nlu" / "blind.yml"
# A second independent set (issue 12), for error analysis: its sentences may be read, the blind set's never.
DEV_FILE = REPO_ROOT / "tests" / "nlu" / "dev.yml"
DEFAULT_CONFIG = REPO_ROOT / "bench" / "nlu_configs" / "rasa_default.yml"
# The entity types of CONTRACTS.md (the only ones the sets annotate).
CONTRACT_ENTITIES = ("agency", "license_number", "job", "location", "country", "education")
CONFIG_DIR = REPO_ROOT / "bench" / "nlu_configs"
RASA_ENV = dict(
    os.environ,
    RASA_MAX_CACHE_SIZE="0",
    RASA_TELEMETRY_ENABLED="false",
    PYTHONWARNINGS="ignore",
    SQLALCHEMY_SILENCE_UBER_WARNING="1",
    TF_CPP_MIN_LOG_LEVEL="2",
)
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<paren>[^)]+)\)|(?P<json>\{[^}]+\}))")


@dataclass(frozen=True)
class Example:
    """One held-out sentence with its intent and entities (start, end, type, value)."""

    text: str
    intent: str
    entities: tuple[tuple[int, int, str, str], ...]


def parse_annotated(line: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """'loker [las](job) di [btm](location)' -> clean text and entity spans (Rasa's markup)."""
    out, entities, pos = [], [], 0
    for m in _ANNOTATION.finditer(line):
        out.append(line[pos : m.start()])
        start = sum(len(p) for p in out)
        text = m.group("text")
        if m.group("paren"):
            etype, _, value = m.group("paren").partition(":")
        else:
            spec = json.loads(m.group("json"))
            etype, value = spec["entity"], spec.get("value", "")
        out.append(text)
        entities.append((start, start + len(text), etype.strip(), (value or text).strip()))
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), entities


def load_examples(path: Path = TEST_FILE) -> list[Example]:
    """Every example of a Rasa YAML NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for raw in str(block["examples"]).splitlines():
            raw = raw.strip()
            if raw.startswith("- "):
                text, ents = parse_annotated(raw[2:].strip())
                examples.append(Example(text, block["intent"], tuple(ents)))
    return examples


def synonyms() -> dict[str, str]:
    """Synonym values of the training data (what EntitySynonymMapper turns a value into), lower-cased keys."""
    out: dict[str, str] = {}
    for path in (REPO_ROOT / "nlu").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []) or []:
            if "synonym" in block:
                for raw in str(block["examples"]).splitlines():
                    if raw.strip().startswith("- "):
                        out[raw.strip()[2:].strip().lower()] = block["synonym"]
    return out


@dataclass
class Result:
    """Figures of one pipeline."""

    name: str
    train_s: float = 0.0
    intent_macro_f1: float = 0.0
    intent_f1: dict[str, float] = field(default_factory=dict)
    entity_f1: dict[str, float] = field(default_factory=dict)
    entity_micro_f1: float = 0.0
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (confidence, top-2 margin, prediction was right) per held-out example: for fallback thresholds
    confidences: list[tuple[float, float, bool]] = field(default_factory=list)
    parse_ms: list[float] = field(default_factory=list)
    cv_intent_macro_f1: float | None = None
    cv_entity_f1: float | None = None


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts (0 when nothing was expected or predicted)."""
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def train(config: Path, out: Path) -> float:
    """Train NLU-only with the cache off; returns the wall time in seconds."""
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(RASA),
            "train",
            "nlu",
            "--nlu",
            "nlu",
            "--config",
            str(config),
            "--domain",
            "domain.yml",
            "--out",
            str(out),
            "--fixed-model-name",
            "nlu",
        ],
        cwd=REPO_ROOT,
        env=RASA_ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def parse_all(model: Path, examples: list[Example], workdir: Path) -> tuple[list[dict], list[float]]:
    """Serve the model and parse every example over HTTP; returns parses and latencies (ms)."""
    port = free_port()
    log = (workdir / "rasa.log").open("wb")
    endpoints = workdir / "endpoints.yml"  # none: parsing needs no action server or tracker store
    endpoints.write_text("{}\n", encoding="utf-8")
    credentials = workdir / "credentials.yml"  # no channel: the repository's one needs RASA_TOKEN
    credentials.write_text("{}\n", encoding="utf-8")
    proc = subprocess.Popen(
        [
            str(RASA),
            "run",
            "--enable-api",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
        ],
        cwd=REPO_ROOT,
        env=RASA_ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=30) as client:
            deadline = time.monotonic() + 240
            while True:
                try:
                    if client.get(f"{base}/status").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"rasa did not start: {(workdir / 'rasa.log').read_text()[-2000:]}")
                time.sleep(0.5)
            client.post(f"{base}/model/parse", json={"text": "halo"})  # warm up
            parses, latencies = [], []
            for _ in range(2):  # two rounds: steadier latency figures
                parses = []
                for ex in examples:
                    t0 = time.perf_counter()
                    r = client.post(f"{base}/model/parse", json={"text": ex.text})
                    latencies.append((time.perf_counter() - t0) * 1000)
                    parses.append(r.json())
            return parses, latencies
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()


def score(result: Result, examples: list[Example], parses: list[dict]) -> None:
    """Intent and entity figures of parses against the held-out annotations."""
    syn = synonyms()
    counts: dict[str, list[int]] = {}
    confusion: Counter = Counter()
    for ex, parse in zip(examples, parses, strict=True):
        predicted = (parse.get("intent") or {}).get("name") or "none"
        ranking = [r.get("confidence") or 0.0 for r in parse.get("intent_ranking") or []] + [0.0, 0.0]
        result.confidences.append((ranking[0], ranking[0] - ranking[1], predicted == ex.intent))
        for intent in {ex.intent, predicted}:
            counts.setdefault(intent, [0, 0, 0])
        if predicted == ex.intent:
            counts[ex.intent][0] += 1
        else:
            counts[predicted][1] += 1
            counts[ex.intent][2] += 1
            confusion[(ex.intent, predicted)] += 1
            confidence = (parse.get("intent") or {}).get("confidence") or 0.0
            result.errors.append(f"intent {ex.intent} -> {predicted} ({confidence:.2f}): {ex.text}")
    gold_intents = {ex.intent for ex in examples}
    result.intent_f1 = {i: f1(*counts[i]) for i in sorted(gold_intents)}
    result.intent_macro_f1 = statistics.mean(result.intent_f1.values())
    result.confusions = [(a, b, n) for (a, b), n in confusion.most_common(10)]
    ent: dict[str, list[int]] = {}
    for ex, parse in zip(examples, parses, strict=True):
        gold = {(s, e, t, syn.get(v.lower(), v).lower()) for s, e, t, v in ex.entities}
        pred = {
            (p["start"], p["end"], p["entity"], str(p.get("value", "")).lower()) for p in parse.get("entities") or []
        }
        for item in gold | pred:
            ent.setdefault(item[2], [0, 0, 0])
        for item in gold & pred:
            ent[item[2]][0] += 1
        for item in pred - gold:
            ent[item[2]][1] += 1
        for item in gold - pred:
            ent[item[2]][2] += 1
        if gold != pred:
            result.errors.append(f"entities {sorted(gold)} -> {sorted(pred)}: {ex.text}")
    gold_types = {t for ex in examples for _, _, t, _ in ex.entities}
    result.entity_f1 = {t: f1(*ent[t]) for t in sorted(gold_types)}
    total = [sum(ent[t][k] for t in gold_types) for k in range(3)]
    result.entity_micro_f1 = f1(*total)


def cross_validate(config: Path, out: Path, folds: int = 5) -> tuple[float, float]:
    """Rasa's k-fold cross-validation on the training data: (intent macro-F1, best extractor's entity F1)."""
    subprocess.run(
        [
            str(RASA),
            "test",
            "nlu",
            "--nlu",
            "nlu",
            "--config",
            str(config),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        env=RASA_ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    intent = json.loads((out / "intent_report.json").read_text())["macro avg"]["f1-score"]
    entity = 0.0
    for report in out.glob("*Extractor_report.json"):
        entity = max(entity, json.loads(report.read_text())["micro avg"]["f1-score"])
    for report in out.glob("DIETClassifier_report.json"):
        entity = max(entity, json.loads(report.read_text())["micro avg"]["f1-score"])
    return intent, entity


def without_fallback(config: Path, work: Path) -> Path:
    """The pipeline without FallbackClassifier: we score what the classifier predicts, not its refusals."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    pipeline = [c for c in data.get("pipeline") or [] if c.get("name") != "FallbackClassifier"]
    if len(pipeline) == len(data.get("pipeline") or []):
        return config
    data["pipeline"] = pipeline
    data["policies"] = []
    out = work / "config.yml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def evaluate(config: Path, *, name: str, cv: bool, test_file: Path = TEST_FILE) -> Result:
    """Train, serve, parse one test file, score (and cross-validate when asked)."""
    return evaluate_files(config, name=name, cv=cv, test_files=(test_file,))[0]


def evaluate_files(config: Path, *, name: str, cv: bool, test_files: tuple[Path, ...]) -> list[Result]:
    """Train once, serve once, and score each test file separately (one Result per file)."""
    sets = [load_examples(path) for path in test_files]
    results = [Result(name=f"{name} on {path.name}") for path in test_files]
    work = Path(tempfile.mkdtemp(prefix="tk-nlu-"))
    try:
        config = without_fallback(config, work)
        train_s = train(config, work)
        everything = [ex for examples in sets for ex in examples]
        parses, parse_ms = parse_all(work / "nlu.tar.gz", everything, work)
        offset = 0
        for result, examples in zip(results, sets, strict=True):
            result.train_s, result.parse_ms = train_s, parse_ms
            score(result, examples, parses[offset : offset + len(examples)])
            offset += len(examples)
        if cv:
            results[0].cv_intent_macro_f1, results[0].cv_entity_f1 = cross_validate(config, work / "cv")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def print_report(r: Result, n: int | None = None) -> None:
    """The figures `make eval-nlu` prints for one pipeline on one file."""
    print(f"pipeline: {r.name}   examples: {n if n is not None else len(load_examples())}")
    print(f"intent macro-F1: {r.intent_macro_f1:.4f}   entity F1 (exact span, micro): {r.entity_micro_f1:.4f}")
    print(f"training time (NLU, cache off): {r.train_s:.1f} s")
    print(
        f"parse latency over HTTP: p50 {statistics.median(r.parse_ms):.1f} ms   "
        f"p95 {percentile(r.parse_ms, 95):.1f} ms   (n={len(r.parse_ms)})"
    )
    print("per-intent F1:")
    for intent, value in sorted(r.intent_f1.items(), key=lambda kv: kv[1]):
        print(f"   {intent:28s} {value:.3f}")
    print("entity F1 per type:")
    for etype, value in r.entity_f1.items():
        print(f"   {etype:28s} {value:.3f}")
    print("ten worst confusions (true -> predicted: count):")
    for true, pred, count in r.confusions:
        print(f"   {true} -> {pred}: {count}")
    if r.cv_intent_macro_f1 is not None:
        print(f"5-fold cross-validation: intent macro-F1 {r.cv_intent_macro_f1:.3f}, entity F1 {r.cv_entity_f1:.3f}")


def print_threshold_sweep(r: Result) -> None:
    """What each FallbackClassifier threshold would do on the held-out file (the model's own fallback off)."""
    right = sum(1 for _, _, ok in r.confidences if ok)
    wrong = len(r.confidences) - right
    print(f"fallback threshold sweep (held-out: {right} right, {wrong} wrong):")
    print("   threshold  right answers refused  wrong answers caught")
    for t in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        refused = sum(1 for c, _, ok in r.confidences if ok and c < t)
        caught = sum(1 for c, _, ok in r.confidences if not ok and c < t)
        print(
            f"   {t:9.2f}  {refused:4d} ({refused / max(right, 1):5.1%})"
            f"        {caught:4d} ({caught / max(wrong, 1):5.1%})"
        )


def print_side_by_side(ours: list[Result], default: list[Result], files: tuple[Path, ...]) -> None:
    """Our pipeline beside Rasa's default, per file, with the ratio of the error rates."""
    types = " | ".join(CONTRACT_ENTITIES)
    print(f"\n| test file | pipeline | intent macro-F1 | entity F1 | {types} | training (s) |")
    print("|---|---|---|---|" + "---|" * len(CONTRACT_ENTITIES) + "---|")
    for path, a, b in zip(files, ours, default, strict=True):
        for label, r in (("ours (config.yml)", a), ("Rasa default", b)):
            per_type = " | ".join(f"{r.entity_f1.get(t, 0.0):.3f}" for t in CONTRACT_ENTITIES)
            print(
                f"| {path.name} | {label} | {r.intent_macro_f1:.4f} | {r.entity_micro_f1:.4f} | {per_type} | "
                f"{r.train_s:.0f} |"
            )
    for path, a, b in zip(files, ours, default, strict=True):
        intent_ratio = (1 - b.intent_macro_f1) / max(1 - a.intent_macro_f1, 1e-9)
        entity_ratio = (1 - b.entity_micro_f1) / max(1 - a.entity_micro_f1, 1e-9)
        print(
            f"{path.name}: the default pipeline makes {intent_ratio:.1f}x our intent error and "
            f"{entity_ratio:.1f}x our entity error"
        )


def compare(out_file: Path) -> None:
    """Every candidate in bench/nlu_configs plus config.yml; writes the comparison table."""
    rows = []
    for config in [REPO_ROOT / "config.yml", *sorted(CONFIG_DIR.glob("*.yml"))]:
        name = "config.yml (chosen)" if config.name == "config.yml" else config.stem
        print(f"== {name}", flush=True)
        r = evaluate(config, name=name, cv=True)
        print_report(r)
        rows.append(r)
    lines = [
        "| pipeline | intent macro-F1 (held-out) | entity F1 (held-out) | intent macro-F1 (5-fold CV) | "
        "entity F1 (5-fold CV) | training (s) | parse p50 / p95 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.intent_macro_f1:.3f} | {r.entity_micro_f1:.3f} | {r.cv_intent_macro_f1:.3f} | "
            f"{r.cv_entity_f1:.3f} | {r.train_s:.0f} | {statistics.median(r.parse_ms):.0f} / "
            f"{percentile(r.parse_ms, 95):.0f} |"
        )
    table = "\n".join(lines)
    print(table)
    text = out_file.read_text(encoding="utf-8") if out_file.exists() else ""
    start, end = "<!-- comparison:start -->", "<!-- comparison:end -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + table + "\n" + text[text.index(end) :]
    else:
        text += f"\n{start}\n{table}\n{end}\n"
    out_file.write_text(text, encoding="utf-8")


def main() -> None:
    """`make eval-nlu` (config.yml) or `make compare-nlu` (every candidate, with cross-validation)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compare", action="store_true", help="evaluate every candidate pipeline")
    parser.add_argument("--cv", action="store_true", help="also run 5-fold cross-validation")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yml")
    parser.add_argument("--sweep", action="store_true", help="print a fallback-threshold sweep")
    parser.add_argument("--errors", type=Path, help="write every wrong parse to this file")
    parser.add_argument("--no-default", action="store_true", help="skip Rasa's out-of-the-box pipeline")
    args = parser.parse_args()
    if args.compare:
        compare(REPO_ROOT / "docs" / "nlu-pipelines.md")
        return
    files = (TEST_FILE, DEV_FILE, BLIND_FILE)
    ours = evaluate_files(args.config, name=args.config.name, cv=args.cv, test_files=files)
    for result, path in zip(ours, files, strict=True):
        print(f"\n== {result.name}")
        print_report(result, len(load_examples(path)))
    if args.sweep:
        print_threshold_sweep(ours[0])  # thresholds are chosen on our own held-out file, never on the blind set
    if args.errors:
        # Confusion classes only: which intent pairs and entity types fail, never the sentences of the blind set.
        args.errors.write_text("\n".join(ours[0].errors) + "\n", encoding="utf-8")
    if not args.no_default:
        default = evaluate_files(
            DEFAULT_CONFIG, name="Rasa default (rasa init, language: id)", cv=False, test_files=files
        )
        for result, path in zip(default, files, strict=True):
            print(f"\n== {result.name}")
            print_report(result, len(load_examples(path)))
        print_side_by_side(ours, default, files)


if __name__ == "__main__":
    main()
