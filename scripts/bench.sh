#!/usr/bin/env bash
# Runs every benchmark (`cargo bench`: ledger, diff, chain, startup, keystroke, runbook, simulate), keeps each
# bench's own output, then prints one table of the figures, their floors (measured in the same
# run), the ratios and the aims. Needs `npm ci` first (the chain bench starts anvil).
# Usage: scripts/bench.sh [LOG]   (the full output is kept in LOG, default target/bench.log)
set -euo pipefail
cd "$(dirname "$0")/.."
log="${1:-${CARGO_TARGET_DIR:-target}/bench.log}"
mkdir -p "$(dirname "$log")"

cargo bench --locked 2>&1 | tee "$log"

echo
echo "| figure | value | floor | ratio | unit | aim | met |"
echo "|---|---:|---:|---:|---|---|---|"
grep '^BENCH ' "$log" | awk '
{
    id = $2; value = $3; floor = $4; ratio = $5; unit = $6; aim = $7; met = "-"
    if (aim ~ /^ratio<=/) { n = substr(aim, 8); met = (ratio + 0 <= n + 0) ? "yes" : "NO" }
    else if (aim ~ /^ratio>=/) { n = substr(aim, 8); met = (ratio + 0 >= n + 0) ? "yes" : "NO" }
    else if (aim ~ /^value<=/) { n = substr(aim, 8); met = (value + 0 <= n + 0) ? "yes" : "NO" }
    printf "| %s | %.3f | %.3f | %.3f | %s | %s | %s |\n", id, value, floor, ratio, unit, aim, met
}'
