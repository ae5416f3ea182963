"""deploy/compose.yml validates against the vendored Compose Specification schema, and its services fit together."""

from __future__ import annotations

import copy
import hashlib
import json
import re

import jsonschema
import pytest

from tests.deploy.deployfiles import DEPLOY, compose

SCHEMA = DEPLOY / "schemas" / "compose-spec.json"
SCHEMA_SHA256 = "46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496"  # see deploy/schemas/README.md
PINNED = re.compile(r"^[a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$")
ONE_SHOT = {"migrate"}


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _services_of(image: str) -> list[str]:
    return [name for name, s in compose()["services"].items() if s.get("image", "").startswith(image)]


def test_vendored_schema_is_the_recorded_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert SCHEMA_SHA256 in (DEPLOY / "schemas" / "README.md").read_text(encoding="utf-8")


def test_compose_file_validates_against_the_compose_specification() -> None:
    errors = sorted(_validator().iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_schema_rejects_a_misspelt_key_and_a_bad_condition() -> None:
    doc = copy.deepcopy(compose())
    doc["services"]["gateway"]["restat"] = "always"
    assert list(_validator().iter_errors(doc))
    doc = copy.deepcopy(compose())
    doc["services"]["gateway"]["depends_on"]["migrate"]["condition"] = "service_done"
    assert list(_validator().iter_errors(doc))


def test_the_parts_are_there() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "gateway", "proxy"} <= set(services)
    assert len(_services_of("tanyakerja/rasa")) == 2
    commands = {n: " ".join(services[n].get("command", [])) for n in _services_of("tanyakerja/app")}
    action_servers = [n for n, command in commands.items() if "actions.server" in command]
    assert len(action_servers) == 2


def test_images_are_pinned_or_built_here() -> None:
    for name, service in compose()["services"].items():
        image = service["image"]
        if image.startswith("tanyakerja/"):
            assert "build" in service, f"{name}: our image must be built from deploy/docker"
            assert (DEPLOY.parent / service["build"]["dockerfile"]).exists()
        else:
            assert PINNED.match(image) and ":latest" not in image, f"{name}: {image} is not pinned to a version"


def test_migration_runs_once_before_the_app_starts() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["tanyakerja", "db", "init"]
    assert services["migrate"]["restart"] == "no"
    for name in ["gateway", *[n for n in _services_of("tanyakerja/app") if n.startswith("actions")]]:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_long_running_services_have_healthchecks() -> None:
    for name, service in compose()["services"].items():
        if name not in ONE_SHOT | {"proxy"}:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_only_the_proxy_is_published_and_it_serves_https() -> None:
    services = compose()["services"]
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"proxy"}
    assert "443:443" in services["proxy"]["ports"]
    caddyfile = (DEPLOY / "caddy" / "Caddyfile").read_text(encoding="utf-8")
    assert re.search(r"^\s*tls /certs/tls\.crt /certs/tls\.key$", caddyfile, re.M)
    assert "reverse_proxy gateway:8000" in caddyfile


def test_internal_services_have_no_route_out() -> None:
    doc = compose()
    assert doc["networks"]["internal"]["internal"] is True
    for name in ("postgres", "redis", "migrate", *_services_of("tanyakerja/rasa")):
        assert list(doc["services"][name]["networks"]) == ["internal"], name


@pytest.mark.parametrize("kind", ["env_file", "secrets"])
def test_every_secret_source_is_documented_and_ignored_by_git(kind: str) -> None:
    doc = compose()
    gitignore = (DEPLOY.parent / ".gitignore").read_text(encoding="utf-8")
    if kind == "env_file":
        files = {f for s in doc["services"].values() for f in s.get("env_file", [])}
        assert files
        for env_file in files:
            assert (DEPLOY / f"{env_file}.example").exists(), f"{env_file}.example is missing"
        assert "deploy/env/*.env" in gitignore
    else:
        readme = (DEPLOY / "secrets" / "README.md").read_text(encoding="utf-8")
        for secret in doc["secrets"].values():
            assert secret["file"].removeprefix("./secrets/") in readme
        assert "deploy/secrets/*.txt" in gitignore
