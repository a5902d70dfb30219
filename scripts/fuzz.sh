#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS each (default 20), from its seeds in fuzz/seeds/,
# and fails on the first crash, hang or contract broken. Installs cargo-fuzz (pinned) if missing.
# The targets need nightly features, which the stable toolchain gives under RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-20}"
cargo_fuzz_version="0.13.1"
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
    cargo install --locked cargo-fuzz --version "$cargo_fuzz_version"
fi

export RUSTC_BOOTSTRAP=1
target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
# No sanitizer: the code is safe Rust, and ASan would double the build. Debug assertions catch
# overflow; the contracts in fuzz/src/contracts.rs catch wrong answers.
build_flags=(-s none -a --target-dir "$target_dir")

cargo fuzz build "${build_flags[@]}"
for target in $(cargo fuzz list); do
    corpus="corpus/$target"
    mkdir -p "$corpus"
    echo "fuzz: $target for ${seconds}s"
    log="$(mktemp)"
    if ! cargo fuzz run "${build_flags[@]}" "$target" "$corpus" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/"
        exit 1
    fi
    grep -E "^stat::(number_of_executed_units|new_units_added)" "$log" || true
    rm -f "$log"
done
echo "fuzz: every target ran ${seconds}s without a crash"
