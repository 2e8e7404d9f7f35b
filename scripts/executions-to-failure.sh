#!/usr/bin/env bash
# Executions to the first violation, median and 90th percentile over 100
# exploration seeds, for every (variant, mode, property) the expected matrix
# (properties/src/kv/expected.rs) predicts to fail,
# plus the size of the shrunk counterexample. Prints a Markdown table.
# Usage: scripts/executions-to-failure.sh [SEEDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-100}
cargo build --release --quiet
bin=target/release/kvsim
rows=(
  "unmonitored spec no-dead-lookup" "unmonitored instant no-dead-lookup"
  "unmonitored spec registry-survives" "unmonitored instant registry-survives"
  "unmonitored spec clean-at-rest" "unmonitored instant clean-at-rest"
  "unmonitored spec create-visible" "unmonitored instant create-visible"
  "linked spec registry-survives" "linked instant registry-survives"
  "linked spec no-dead-lookup" "linked instant no-dead-lookup"
  "linked spec create-visible" "linked instant create-visible"
  "monitored spec no-dead-lookup" "monitored instant no-dead-lookup"
  "monitored spec create-visible" "monitored instant create-visible"
  "unmonitored spec linearizable" "unmonitored instant linearizable"
  "linked spec linearizable" "linked instant linearizable"
  "monitored spec linearizable" "monitored instant linearizable"
)
echo "| variant | mode | property | median executions | p90 executions | shrunk ops (max) |"
echo "| --- | --- | --- | ---: | ---: | ---: |"
for row in "${rows[@]}"; do
  read -r variant mode property <<<"$row"
  for seed in $(seq 0 $((seeds - 1))); do
    "$bin" check --variant "$variant" --mode "$mode" --property "$property" --seed "$seed" --json | tail -n 1 || true
  done | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin]
found = sorted(r["executions_to_failure"] for r in rows if r["verdict"] == "violation")
ops = max(r["ops"] for r in rows if r["verdict"] == "violation")
def q(p): return found[min(len(found) - 1, int(p * len(found)))]
missing = len(rows) - len(found)
note = f" ({missing} seeds found none)" if missing else ""
print(f"| {sys.argv[1]} | {sys.argv[2]} | {sys.argv[3]} | {q(0.5)} | {q(0.9)}{note} | {ops} |")
' "$variant" "$mode" "$property"
done
