"""deploy/k8s: every manifest validates against the Kubernetes schemas (kubernetes-validate ships them, strict:
unknown fields fail), and the pieces fit: probes, resources, selectors, autoscalers, budgets, the migrate Job."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from bot.asgi import create_app
from knowledge.settings import Settings
from tests.deploy.deployfiles import K8S, k8s_documents, k8s_kind

# The oldest Kubernetes minor still commonly run by managed clusters, and the newest the validator knows.
VERSIONS = ["1.30", kubernetes_validate.latest_version()]
# Resident memory measured here (MiB; docs/deploy.md "Memory"): requests must cover it.
MEASURED_MIB = {"gateway": 96, "actions": 86, "rasa": 541}
AUTOSCALED = {"gateway", "actions"}


def _mib(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * factor
    return float(quantity) / 2**20


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    (container,) = doc["spec"]["template"]["spec"]["containers"]
    return container


def _deployments() -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in k8s_kind("Deployment")}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("name", "doc"), k8s_documents(), ids=lambda v: v if isinstance(v, str) else v["kind"])
def test_manifest_validates_strictly(name: str, doc: dict[str, Any], version: str) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_rejects_a_misspelt_field() -> None:
    doc = yaml.safe_load((K8S / "actions.yaml").read_text(encoding="utf-8").split("\n---\n")[0])
    doc["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = doc["spec"]["template"]["spec"]["containers"][
        0
    ].pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, VERSIONS[0], strict=True)


def test_one_namespace_for_everything() -> None:
    (namespace,) = k8s_kind("Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for name, doc in k8s_documents():
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"], name


def test_deployments_have_probes_resources_and_run_as_non_root() -> None:
    deployments = _deployments()
    assert set(deployments) == {"gateway", "rasa", "actions"}
    for name, doc in deployments.items():
        pod = doc["spec"]["template"]["spec"]
        container = _container(doc)
        assert container.get("readinessProbe") and container.get("livenessProbe"), name
        requests, limits = container["resources"]["requests"], container["resources"]["limits"]
        assert "cpu" in requests, f"{name}: the autoscaler and the scheduler need a CPU request"
        assert _mib(requests["memory"]) >= MEASURED_MIB[name], f"{name}: request below the measured memory"
        assert _mib(limits["memory"]) >= 1.5 * MEASURED_MIB[name], f"{name}: no headroom over the measured memory"
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert pod["automountServiceAccountToken"] is False
        assert doc["spec"]["replicas"] >= 2, f"{name}: one replica is an outage during a rollout"


def test_gateway_probes_use_routes_the_gateway_has() -> None:
    """Readiness is /healthz (all parts answer); liveness must not depend on Rasa, so it is the web-chat page."""
    container = _container(_deployments()["gateway"])
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] != "/healthz"
    routes = {getattr(route, "path", None) for route in create_app(Settings()).routes}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] in routes, probe


def test_rasa_readiness_asks_for_a_loaded_model_and_liveness_needs_no_token() -> None:
    container = _container(_deployments()["rasa"])
    assert container["readinessProbe"]["exec"]["command"] == ["python", "/app/probe.py", "--rasa-model"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/"
    assert container["startupProbe"]["periodSeconds"] * container["startupProbe"]["failureThreshold"] >= 180


def test_action_server_probes_use_rasa_sdk_health() -> None:
    container = _container(_deployments()["actions"])
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    spec = importlib.util.find_spec("rasa_sdk")
    assert spec and spec.origin
    assert '@app.get("/health")' in (Path(spec.origin).parent / "endpoint.py").read_text(encoding="utf-8")


def test_services_budgets_and_autoscalers_select_existing_pods() -> None:
    deployments = _deployments()
    pod_labels = {name: doc["spec"]["template"]["metadata"]["labels"] for name, doc in deployments.items()}

    def selects(selector: dict[str, str]) -> set[str]:
        return {name for name, labels in pod_labels.items() if selector.items() <= labels.items()}

    for service in k8s_kind("Service"):
        assert selects(service["spec"]["selector"]) == {service["metadata"]["name"]}
        ports = {p["name"] for p in _container(deployments[service["metadata"]["name"]])["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports
    budgets = {doc["metadata"]["name"]: doc for doc in k8s_kind("PodDisruptionBudget")}
    assert set(budgets) == set(deployments)
    for name, budget in budgets.items():
        assert selects(budget["spec"]["selector"]["matchLabels"]) == {name}
        assert budget["spec"]["minAvailable"] < deployments[name]["spec"]["replicas"], f"{name}: drains would block"
    autoscalers = {doc["spec"]["scaleTargetRef"]["name"]: doc for doc in k8s_kind("HorizontalPodAutoscaler")}
    assert set(autoscalers) == AUTOSCALED
    for name, hpa in autoscalers.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["minReplicas"] >= budgets[name]["spec"]["minAvailable"] + 1


def test_ingress_terminates_tls_in_front_of_the_gateway() -> None:
    (ingress,) = k8s_kind("Ingress")
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts <= {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}
    backends = {p["backend"]["service"]["name"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]}
    assert backends == {"gateway"}


def test_rasa_is_reachable_only_from_the_gateway() -> None:
    policies = {doc["metadata"]["name"]: doc for doc in k8s_kind("NetworkPolicy")}
    assert policies["default-deny-ingress"]["spec"]["podSelector"] == {}
    rasa = policies["rasa-from-gateway"]["spec"]
    assert rasa["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "rasa"
    (rule,) = rasa["ingress"]
    assert [peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for peer in rule["from"]] == ["gateway"]


def test_migrate_job_runs_db_init_with_the_app_image() -> None:
    (job,) = k8s_kind("Job")
    container = _container(job)
    assert container["command"] == ["tanyakerja", "db", "init"]
    assert container["image"] == _container(_deployments()["gateway"])["image"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    rollout = (K8S / "rollout.sh").read_text(encoding="utf-8")
    assert rollout.index("migrate-job.yaml") < rollout.index("kubectl kustomize")


def test_kustomization_lists_every_long_running_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml", "migrate-job.yaml"}
    assert set(kustomization["resources"]) == files


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_offline() -> None:
    out = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True)
    kinds = [doc["kind"] for doc in yaml.safe_load_all(out.stdout) if doc]
    assert kinds.count("Deployment") == 3 and "Job" not in kinds and "Secret" not in kinds


def test_rollout_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(K8S / "rollout.sh")], check=True, timeout=30)
