"""Readers shared by the deployment tests: manifests, the Compose file, Dockerfiles, env names the code reads."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
DOCKER = DEPLOY / "docker"
# Our code, everything that can read a variable in one of our images (nlu/ runs inside Rasa).
CODE_DIRS = ["bot", "helpdesk", "actions", "knowledge", "tanyakerja", "nlu", "deploy/docker"]
# Files Rasa reads with ${VAR} substitution.
RASA_FILES = ["endpoints.yml", "credentials.yml", "config.yml"]
ENV_REF = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::?-[^}]*)?\}")
SHELL_REF = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")


@cache
def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    """(file name, document) of every Kubernetes manifest (kustomization.yaml is kustomize's, not the API's)."""
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs.append((path.name, doc))
    return docs


def k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_documents() if doc["kind"] == kind]


@cache
def compose() -> dict[str, Any]:
    """deploy/compose.yml as Compose reads it (YAML merge keys resolved)."""
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))


def env_file_names(path: Path) -> dict[str, str]:
    """NAME=value lines of an env file (comments and blank lines skipped)."""
    out = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            out[name.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class Dockerfile:
    path: Path
    lines: list[str]  # logical lines (continuations joined)

    @classmethod
    def read(cls, name: str) -> Dockerfile:
        path = DOCKER / name
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")
        return cls(path, [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")])

    def instructions(self, keyword: str) -> list[str]:
        return [ln.split(None, 1)[1] for ln in self.lines if ln.split(None, 1)[0].upper() == keyword]

    def final_stage(self) -> list[str]:
        starts = [i for i, ln in enumerate(self.lines) if ln.upper().startswith("FROM ")]
        return self.lines[starts[-1] :]

    def env(self) -> dict[str, str]:
        """ENV names and values of the final stage (KEY=value form)."""
        out = {}
        for ln in self.final_stage():
            if ln.upper().startswith("ENV "):
                for name, value in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", ln[4:]):
                    out[name] = value
        return out


def _python_files() -> Iterator[Path]:
    for folder in CODE_DIRS:
        yield from (ROOT / folder).rglob("*.py")


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _first_str(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def names_read_in_python(source: str) -> set[str]:
    """Names read with os.environ[...] / .get / .pop / .setdefault, os.getenv, or a module's own reader helpers.

    A helper is a module-level function that touches os.environ (settings.py's _int/_str/_text): every call
    to it in the same module with a string literal first argument reads that variable.
    """
    tree = ast.parse(source)
    helpers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.args.args and any(_is_environ(n) for n in ast.walk(node))
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                names.add(node.slice.value)
        elif isinstance(node, ast.Call):
            func = node.func
            environ_call = isinstance(func, ast.Attribute) and (
                (func.attr in ("get", "pop", "setdefault") and _is_environ(func.value)) or func.attr == "getenv"
            )
            helper_call = isinstance(func, ast.Name) and func.id in helpers
            name = _first_str(node) if environ_call or helper_call else None
            if name:
                names.add(name)
    return names


@cache
def names_read_by_code() -> frozenset[str]:
    """Every environment variable our code reads (Python in our images, and Rasa's ${VAR} files)."""
    names: set[str] = set()
    for path in _python_files():
        names |= names_read_in_python(path.read_text(encoding="utf-8"))
    for name in RASA_FILES:
        names |= set(ENV_REF.findall((ROOT / name).read_text(encoding="utf-8")))
    return frozenset(names)


def rasa_file_names() -> set[str]:
    """${VAR} names in the files Rasa reads: Rasa refuses to start when one is unset."""
    out: set[str] = set()
    for name in RASA_FILES:
        out |= set(ENV_REF.findall((ROOT / name).read_text(encoding="utf-8")))
    return out
