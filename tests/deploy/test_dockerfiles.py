"""deploy/docker: pinned base images, non-root users, the right requirements, and everything Rasa imports copied."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml

from tests.deploy.deployfiles import DOCKER, ROOT, Dockerfile

IMAGES = ["app.Dockerfile", "rasa.Dockerfile"]
# python:<major.minor.patch>-slim-<debian release>: an exact version, never a moving tag
PINNED_BASE = re.compile(r"^python:(\d+\.\d+)\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?$")
PYTHON_OF = {"app.Dockerfile": "3.11", "rasa.Dockerfile": "3.10"}


@pytest.mark.parametrize("name", IMAGES)
def test_base_images_are_pinned_to_an_exact_python(name: str) -> None:
    bases = [line.split()[0] for line in Dockerfile.read(name).instructions("FROM")]
    assert bases
    for base in bases:
        match = PINNED_BASE.match(base)
        assert match, f"{name}: FROM {base} is not pinned to an exact python:X.Y.Z-slim-<release>"
        assert match.group(1) == PYTHON_OF[name]


@pytest.mark.parametrize("name", IMAGES)
def test_final_stage_runs_as_a_numeric_non_root_user(name: str) -> None:
    users = [line.split()[1] for line in Dockerfile.read(name).final_stage() if line.upper().startswith("USER ")]
    assert users, f"{name}: the final stage never leaves root"
    user = users[-1].split(":")[0]
    assert user.isdigit() and int(user) >= 1000, f"{name}: USER {users[-1]} (numeric, not root, for runAsNonRoot)"
    k8s = (ROOT / "deploy" / "k8s" / ("rasa.yaml" if name.startswith("rasa") else "gateway.yaml")).read_text()
    assert f"runAsUser: {user}" in k8s, "the manifests run as the image's user"


def test_app_image_installs_only_the_runtime_pins() -> None:
    dockerfile = Dockerfile.read("app.Dockerfile")
    runs = " ".join(dockerfile.instructions("RUN"))
    assert "--no-deps -r requirements/runtime.txt" in runs
    assert "requirements.txt" not in runs.replace("requirements/runtime.txt", "")
    assert "pip check" in runs
    assert "-e " not in runs, "never an editable install in an image"


def test_rasa_image_installs_the_rasa_pins_and_bakes_a_chosen_model() -> None:
    dockerfile = Dockerfile.read("rasa.Dockerfile")
    runs = " ".join(dockerfile.instructions("RUN"))
    assert "--no-deps -r /tmp/rasa.txt" in runs and "pip check" in runs
    assert any(c.startswith("requirements/rasa.txt ") for c in dockerfile.instructions("COPY"))
    assert "ARG MODEL" in dockerfile.final_stage()
    assert any(c.startswith("${MODEL} /app/models/") for c in dockerfile.instructions("COPY"))
    final = " ".join(dockerfile.final_stage())
    assert "build-essential" not in final, "the compiler stays in the build stage"


def _copied(dockerfile: Dockerfile) -> list[str]:
    """Repository paths the final stage copies from the build context (dirs end with /)."""
    out = []
    for line in dockerfile.final_stage():
        if line.upper().startswith("COPY ") and "--from=" not in line:
            *sources, _dest = line.split()[1:]
            out += [s for s in sources if not s.startswith("$")]
    return out


def _module_file(module: str) -> Path | None:
    path = ROOT / module.replace(".", "/")
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.exists():
            return candidate
    return None


def _rasa_side_closure() -> set[Path]:
    """Our files Rasa imports: custom components in config.yml, custom stores in endpoints.yml and channels in
    credentials.yml, transitively."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    roots = {c["name"].rsplit(".", 1)[0] for c in config["pipeline"] + config["policies"] if "." in c["name"]}
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
    stores = [v.get("type", "") for v in endpoints.values() if isinstance(v, dict)]
    roots |= {store.rsplit(".", 1)[0] for store in stores if "." in store}
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    roots |= {channel.rsplit(".", 1)[0] for channel in credentials if "." in channel}  # custom input channels
    assert roots, "config.yml names no custom component?"
    ours = {"nlu", "knowledge", "actions", "bot", "helpdesk", "tanyakerja"}
    seen: set[Path] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            path = _module_file(".".join(parts[:i]))
            if path is None or path in seen:
                continue
            seen.add(path)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                todo += [n for n in names if n.split(".")[0] in ours]
    return seen


def _data_next_to(path: Path) -> Iterator[Path]:
    """Files and folders a module names by a string that exists beside it (`Path(__file__).parent / "data"`)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"[\w.-]+", node.value):
            candidate = path.parent / node.value
            if candidate.exists() and candidate.suffix != ".py" and candidate.name != "__pycache__":
                yield candidate


def _paths_in_globals(path: Path) -> Iterator[Path]:
    """Module-level Path constants inside the repository (PLACES = ROOT / "knowledge" / ...), for the modules
    this interpreter can import (those importing rasa itself cannot be imported here and are read statically)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return
    for value in vars(loaded).values():
        if isinstance(value, Path) and value.is_relative_to(ROOT) and value.exists() and value != ROOT:
            yield value


def test_rasa_image_copies_everything_the_custom_components_import() -> None:
    copied = _copied(Dockerfile.read("rasa.Dockerfile"))

    def covered(path: Path) -> bool:
        rel = path.relative_to(ROOT).as_posix() + ("/" if path.is_dir() else "")
        return any(rel == c or (c.endswith("/") and rel.startswith(c)) for c in copied)

    closure = _rasa_side_closure()
    assert ROOT / "nlu" / "normalizer.py" in closure and ROOT / "nlu" / "channels.py" in closure
    needed = closure | {d for module in closure for d in _data_next_to(module)}
    needed |= {d for module in closure for d in _paths_in_globals(module)}
    assert ROOT / "knowledge" / "places" / "data" in needed, "the lexicon's data folder is found"
    missing = sorted(p.relative_to(ROOT).as_posix() for p in needed if not covered(p))
    assert not missing, f"rasa.Dockerfile does not copy {missing}"
    for name in ("config.yml", "domain.yml", "endpoints.yml", "credentials.yml"):
        assert name in " ".join(copied)


def test_dockerignore_lets_in_what_the_images_copy_and_nothing_secret() -> None:
    rules = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines() if ln.strip()[:1] not in "#"]
    assert rules[0] == "*", ".dockerignore is an allow-list"
    allowed = [r[1:].rstrip("/") for r in rules if r.startswith("!")]
    for name in IMAGES:
        dockerfile = Dockerfile.read(name)
        sources = [s for line in dockerfile.instructions("COPY") if "--from=" not in line for s in line.split()[:-1]]
        for source in sources:
            if source.startswith("$"):
                assert "models/*.tar.gz" in allowed
                continue
            assert any(source.rstrip("/") == a or source.startswith(a + "/") for a in allowed), source
    assert not [a for a in allowed if a.startswith(("deploy/env", "deploy/secrets", "deploy/certs", ".env", "var"))]


# --- the probe the images' health checks run -------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    answers: dict[str, tuple[int, bytes]] = {}

    def do_GET(self) -> None:
        status, body = self.answers.get(self.path, (404, b""))
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _probe(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(
        [sys.executable, str(DOCKER / "probe.py"), *args], env=env or {}, timeout=30, capture_output=True
    ).returncode


def test_probe_url(server: HTTPServer) -> None:
    port = server.server_address[1]
    _Handler.answers = {"/healthz": (200, b"{}"), "/down": (503, b"")}
    assert _probe(f"http://127.0.0.1:{port}/healthz") == 0
    assert _probe(f"http://127.0.0.1:{port}/down") == 1
    server.server_close()
    assert _probe("http://127.0.0.1:9/") == 1  # nothing listens
    assert _probe() == 2


def test_probe_rasa_model_needs_a_loaded_model(server: HTTPServer) -> None:
    env = {"RASA_PORT": str(server.server_address[1]), "RASA_TOKEN": "t&k"}
    _Handler.answers = {"/status?token=t%26k": (200, b'{"model_id": "m1"}')}
    assert _probe("--rasa-model", env=env) == 0
    _Handler.answers = {"/status?token=t%26k": (200, b'{"model_id": null}')}
    assert _probe("--rasa-model", env=env) == 1
    _Handler.answers = {"/status?token=t%26k": (409, b"")}
    assert _probe("--rasa-model", env=env) == 1
