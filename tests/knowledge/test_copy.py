"""Every message key the code reads exists in knowledge/messages/<feature>.yml (read from the source, not
from running it, so a key used only on a rare path is checked too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from knowledge.answers import MESSAGES_DIR, load_copy

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("knowledge", "bot", "actions", "helpdesk") for p in (ROOT / folder).rglob("*.py"))
FEATURES = {p.stem for p in MESSAGES_DIR.glob("*.yml")}


def _feature(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The feature a `load_copy(...)` / `copy_text(...)` argument names (a literal or a module constant)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr == "unknown_place_copy":
        return None  # a class attribute chosen per subclass; both values are checked below
    return None


def _key_paths(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(feature, key path, line) for every literal key read from the copy in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        t.id: n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
    }
    found: list[tuple[str, tuple[str, ...], int]] = []
    for func in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))]:
        bound: dict[str, tuple[str, tuple[str, ...]]] = {}  # variable -> (feature, key path so far)

        def resolve(node: ast.expr, bound: dict = bound) -> tuple[str, tuple[str, ...]] | None:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "load_copy":
                feature = _feature(node.args[0], constants) if node.args else None
                return (feature, ()) if feature else None
            if isinstance(node, ast.Name) and node.id in bound:
                return bound[node.id]
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                inner = resolve(node.value, bound)
                return (inner[0], (*inner[1], node.slice.value)) if inner else None
            return None

        body = func.body if not isinstance(func, ast.Module) else []
        for stmt in ast.walk(ast.Module(body=body, type_ignores=[])):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target = resolve(stmt.value)
                if target:
                    bound[stmt.targets[0].id] = target
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if isinstance(node, ast.Subscript):
                hit = resolve(node)
                if hit and hit[1]:
                    found.append((hit[0], hit[1], node.lineno))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "copy_text"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                feature = _feature(node.args[0], constants)
                features = [feature] if feature else ["vacancy", "training"]  # unknown_place_copy
                found += [(f, (node.args[1].value,), node.lineno) for f in features]
    return found


def _gateway_keys() -> list[tuple[str, tuple[str, ...], int]]:
    """bot/router.py answers with local_reply("<key>")."""
    out = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "local_reply"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                out.append(("gateway", (node.args[0].value,), node.lineno))
    return out


READS = [(path, *read) for path in SOURCES for read in _key_paths(path)] + [
    (ROOT / "bot" / "router.py", *read) for read in _gateway_keys()
]


def test_the_scan_finds_the_reads():
    """The scan itself works: it sees reads in every feature's module."""
    assert {feature for _, feature, _, _ in READS} >= FEATURES - {"gateway"} | {"gateway"}
    assert len(READS) > 150


@pytest.mark.parametrize(
    ("path", "feature", "keys", "line"),
    READS,
    ids=[f"{p.relative_to(ROOT)}:{line}:{'.'.join(k)}" for p, _, k, line in READS],
)
def test_every_message_key_read_exists(path, feature, keys, line):
    assert feature in FEATURES, f"{path.relative_to(ROOT)}:{line} reads unknown copy file {feature}.yml"
    node = load_copy(feature)
    for key in keys:
        assert isinstance(node, dict) and key in node, (
            f"{path.relative_to(ROOT)}:{line} reads {'.'.join(keys)} missing from messages/{feature}.yml"
        )
        node = node[key]
