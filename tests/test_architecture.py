"""The house rules, checked on the source: dependency direction, no import cycles, short files."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "actions", "bot", "helpdesk", "tanyakerja")
DOMAINS = ("registry", "vacancies", "trainings", "guidance", "escalations")
MAX_LINES = 300
# Frameworks of the outer layers: the domain never sees them.
OUTER = ("rasa_sdk", "fastapi", "starlette", "telegram", "uvicorn", "actions", "bot", "helpdesk", "tanyakerja")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if "migrations/versions" not in str(p)
}


def _imports(path: Path) -> set[str]:
    """Modules imported anywhere in a file (absolute names)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
    return out


IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "knowledge" and parts[1] in DOMAINS else None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("knowledge")))
def test_the_domain_never_imports_the_outer_layers(module):
    bad = {i for i in IMPORTS[module] if i.split(".")[0] in OUTER}
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("knowledge")))
def test_domains_never_import_each_other_and_the_lower_layer_never_imports_a_domain(module):
    own = _domain(module)
    for imported in IMPORTS[module]:
        other = _domain(imported)
        assert other is None or other == own, f"{module} imports {imported} (sideways or upward)"


def test_there_is_no_import_cycle():
    graph = {m: {i for i in imports if i in MODULES and i != m} for m, imports in IMPORTS.items()}
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for nxt in sorted(graph[module]):
            # a package's __init__ importing its own submodules is not a cycle of the design
            if nxt.startswith(module + "."):
                continue
            if state[nxt] == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if state[nxt] == 0:
                visit(nxt)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if state[module] == 0:
            visit(module)


@pytest.mark.parametrize("path", sorted(MODULES.values()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_is_longer_than_300_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by responsibility"


def test_actions_talk_to_the_domain_only_through_services_and_shared_types():
    """An action module imports services (and the shared answer/turn types), never search or lookup internals."""
    allowed = ("knowledge.turns", "knowledge.answers", "knowledge.db", "knowledge.requests", "knowledge.fallback")
    for module in (m for m in MODULES if m.startswith("actions.")):
        for imported in IMPORTS[module]:
            if _domain(imported):
                is_package = imported == f"knowledge.{_domain(imported)}"
                assert is_package or imported.endswith(".service"), f"{module} imports {imported}"
            elif imported.startswith("knowledge"):
                assert imported.startswith(allowed) or imported == "knowledge", f"{module} imports {imported}"
