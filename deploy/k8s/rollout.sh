#!/usr/bin/env bash
# Roll out one version: migrate the database first, then the Deployments, then wait for them.
#   deploy/k8s/rollout.sh REGISTRY TAG      e.g. deploy/k8s/rollout.sh registry.example.com/tanyakerja 3f2c1ab
# Needs: kubectl with access to the cluster, the images REGISTRY/app:TAG and REGISTRY/rasa:TAG pushed, and the
# Secret tanyakerja-secrets created once (secret.example.yaml). Stops at the first failure.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 REGISTRY TAG" >&2; exit 2; }
registry=$1
tag=$2
ns=tanyakerja
here=$(cd "$(dirname "$0")" && pwd)
placeholder='registry\.example\.com/tanyakerja'
images=(-e "s|${placeholder}/app:[^\"[:space:]]*|${registry}/app:${tag}|g"
        -e "s|${placeholder}/rasa:[^\"[:space:]]*|${registry}/rasa:${tag}|g")

kubectl apply -f "$here/namespace.yaml"
if ! kubectl -n "$ns" get secret tanyakerja-secrets >/dev/null 2>&1; then
  echo "error: Secret tanyakerja-secrets is missing: fill in a copy of secret.example.yaml and apply it" >&2
  exit 1
fi

echo "==> 1/3 database schema (tanyakerja db init) with ${registry}/app:${tag}"
kubectl -n "$ns" delete job tanyakerja-migrate --ignore-not-found --wait=true
sed "${images[@]}" "$here/migrate-job.yaml" | kubectl apply -f -
deadline=$((SECONDS + 660))
while :; do
  state=$(kubectl -n "$ns" get job tanyakerja-migrate \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
  case " $state " in
    *" Complete "*) echo "migration complete"; break ;;
    *" Failed "*)
      kubectl -n "$ns" logs job/tanyakerja-migrate --tail=50 >&2 || true
      echo "error: migration failed; nothing was rolled out" >&2
      exit 1 ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then echo "error: migration did not finish in time" >&2; exit 1; fi
  sleep 3
done

echo "==> 2/3 apply the Deployments, Services, autoscalers, budgets, policies, Ingress"
kubectl kustomize "$here" | sed "${images[@]}" | kubectl apply -f -

echo "==> 3/3 wait for the rollout"
for deployment in actions rasa gateway; do
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout=15m
done
echo "rolled out ${tag}"
