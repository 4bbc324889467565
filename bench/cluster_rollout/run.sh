#!/usr/bin/env bash
# One ClusterTelemetryRollout against the same fleet under one TelemetryRollout per namespace:
# N namespaces of D Deployments each, setWeight 100 and no analysis, on a fresh kubesim and
# operator per case. Prints, per case, the seconds from the apply to the last rollout Succeeded,
# the operator's peak RSS (VmHWM), RSS and threads once done, and kubesim's request count from
# the operator; and the ratios cluster/namespaced. Usage (after the build):
#   bench/cluster_rollout/run.sh [NAMESPACES=50] [DEPLOYMENTS_PER_NAMESPACE=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
namespaces=${1:-50}
per=${2:-4}
build=${BUILD_DIR:-build}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fleet_yaml() {
  for ((n = 0; n < namespaces; n++)); do
    printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: bench-%d, labels: {telemetry: bench}}\n' "$n"
    for ((d = 0; d < per; d++)); do
      printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-%d, namespace: bench-%d, labels: {app.kubernetes.io/part-of: shop}}\n' "$d" "$n"
      printf 'spec:\n  replicas: 1\n  selector: {matchLabels: {app: app-%d}}\n  template:\n    metadata: {labels: {app: app-%d}}\n' "$d" "$d"
      printf '    spec: {containers: [{name: app, image: "example.test/app:1", env: [{name: FEATURE_OTEL, value: "false"}]}]}\n'
    done
  done
}

spec='  selector: {matchLabels: {app.kubernetes.io/part-of: shop}}
  flag: {name: FEATURE_OTEL}
  strategy: {steps: [{setWeight: 100}]}'

run_case() {  # $1: cluster | namespaced
  local dir="$work/$1" kc
  mkdir -p "$dir"
  kc="$dir/kubeconfig"
  "$build/kubesim/http/kubesim" --kubeconfig-out "$kc" --pod-ready-delay 100ms >"$dir/kubesim.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$kc" ] && kubectl --kubeconfig "$kc" get ns >/dev/null 2>&1 && break; sleep 0.1; done
  local k=(kubectl --kubeconfig "$kc")
  "${k[@]}" apply -f crds/ >/dev/null
  "${k[@]}" wait --for=condition=Established crd --all --timeout=30s >/dev/null
  fleet_yaml >"$dir/fleet.yaml"
  "${k[@]}" apply -f "$dir/fleet.yaml" >/dev/null
  for ((n = 0; n < namespaces; n++)); do
    "${k[@]}" -n "bench-$n" wait --for=condition=Available deployment --all --timeout=120s >/dev/null
  done
  "$build/operator/telemetry-rollout-operator" --kubeconfig "$kc" --metrics-bind-address 0 \
    --health-probe-bind-address 0 --log-level warn >"$dir/operator.log" 2>&1 &
  local op=$!
  pids+=($op)
  "${k[@]}" get --raw /kubesim/requests >/dev/null
  if [ "$1" = cluster ]; then
    printf 'apiVersion: rollout.telemetry.io/v1alpha1\nkind: ClusterTelemetryRollout\nmetadata: {name: bench}\nspec:\n  namespaceSelector: {matchLabels: {telemetry: bench}}\n%s\n' "$spec" >"$dir/rollouts.yaml"
  else
    : >"$dir/rollouts.yaml"
    for ((n = 0; n < namespaces; n++)); do
      printf -- '---\napiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\nmetadata: {name: bench, namespace: bench-%d}\nspec:\n%s\n' "$n" "$spec" >>"$dir/rollouts.yaml"
    done
  fi
  local start end done_count
  start=$(date +%s.%N)
  "${k[@]}" apply -f "$dir/rollouts.yaml" >/dev/null
  while :; do
    if [ "$1" = cluster ]; then
      done_count=$("${k[@]}" get ctro bench -o jsonpath='{.status.phase}' | grep -c Succeeded || true)
      [ "$done_count" = 1 ] && break
    else
      done_count=$("${k[@]}" get tro -A -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c Succeeded || true)
      [ "$done_count" = "$namespaces" ] && break
    fi
    sleep 0.2
  done
  end=$(date +%s.%N)
  local hwm rss threads requests
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$op/status")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$op/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$op/status")
  requests=$("${k[@]}" get --raw /kubesim/requests | python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows.get("requests", rows) if isinstance(rows, dict) else rows
print(sum(r.get("count", 0) for r in rows if "telemetry-rollout-operator" in (r.get("userAgent", "") + r.get("fieldManager", ""))))' 2>/dev/null || echo "?")
  echo "$1 $(echo "$end - $start" | bc) $hwm $rss $threads $requests"
  kill "$op" 2>/dev/null || true
}

echo "fleet: $namespaces namespaces x $per Deployments; setWeight 100, no analysis"
printf '%-11s %9s %11s %10s %8s %9s\n' case seconds "VmHWM KiB" "RSS KiB" threads requests
results=()
for c in cluster namespaced; do
  line=$(run_case "$c")
  results+=("$line")
  read -r name secs hwm rss threads requests <<<"$line"
  printf '%-11s %9.2f %11s %10s %8s %9s\n' "$name" "$secs" "$hwm" "$rss" "$threads" "$requests"
done
read -r _ cs ch _ _ _ <<<"${results[0]}"
read -r _ ns nh _ _ _ <<<"${results[1]}"
printf "ratios cluster/namespaced: time %.2f, VmHWM %.2f\n" "$(echo "scale=4; $cs / $ns" | bc)" "$(echo "scale=4; $ch / $nh" | bc)"
