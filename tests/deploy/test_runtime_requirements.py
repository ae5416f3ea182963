"""requirements/runtime.txt (what the application image installs) stays the runtime part of requirements.txt."""

from __future__ import annotations

import ast
import importlib.util
import sys
import tomllib
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["bot", "helpdesk", "actions", "knowledge", "tanyakerja"]
# Tools that must never be in the image (they are in requirements.txt for tests, lint and benchmarks).
DEV_ONLY = {"pytest", "pytest-asyncio", "pytest-timeout", "mypy", "ruff", "playwright", "hypothesis", "schemathesis"}
DEV_ONLY |= {"py-spy", "kubernetes-validate", "types-pyyaml", "types-requests"}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("runtime_requirements", ROOT / "scripts" / "runtime_requirements.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runtime_file_is_up_to_date() -> None:
    script = _script()
    current = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    assert current == script.render(), "requirements/runtime.txt is out of date: run scripts/runtime_requirements.py"


def test_every_runtime_pin_is_identical_in_requirements_txt() -> None:
    script = _script()
    full = script.read_pins(ROOT / "requirements.txt")
    runtime = script.read_pins(ROOT / "requirements" / "runtime.txt")
    for name, line in runtime.items():
        if name in script.FREEZE_OMITS:
            assert line == f"{name}=={metadata.version(name)}"
            continue
        assert full.get(name) == line, f"{line} differs from requirements.txt ({full.get(name)})"


def test_no_test_or_lint_tool_in_the_runtime_set() -> None:
    script = _script()
    runtime = script.read_pins(ROOT / "requirements" / "runtime.txt")
    assert not DEV_ONLY & runtime.keys()


def test_every_third_party_import_of_the_app_is_in_the_runtime_set() -> None:
    script = _script()
    runtime = script.read_pins(ROOT / "requirements" / "runtime.txt")
    owners = metadata.packages_distributions()
    imported: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in PACKAGES}
    assert third_party, "the scan found no imports"
    for module in sorted(third_party):
        dists = {script.canonical(d) for d in owners.get(module, [])}
        assert dists & runtime.keys(), f"'{module}' is imported by the app but no runtime pin provides it"


def test_the_package_ships_every_file_the_image_needs() -> None:
    """The image installs the package (not the checkout): every file must be a module or match package-data."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data: dict[str, list[str]] = project["tool"]["setuptools"]["package-data"]
    # setuptools' find with namespaces (its default) also takes folders without __init__.py
    namespaces = project["tool"]["setuptools"]["packages"]["find"].get("namespaces", True)
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(ROOT / package).as_posix()
            if path.suffix == ".py":
                assert namespaces or (path.parent / "__init__.py").exists(), f"{path.relative_to(ROOT)}: not a package"
            elif path.name != "README.md":
                assert any(fnmatch(rel, pattern) for pattern in package_data.get(package, [])), (
                    f"{path.relative_to(ROOT)} is not in [tool.setuptools.package-data]: the image would lack it"
                )
