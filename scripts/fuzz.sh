#!/usr/bin/env bash
# cargo-fuzz on the pinned nightly, every target in fuzz/:
#   scripts/fuzz.sh [SECONDS]   each target for SECONDS (default 30: the
#                               smoke that `npm test` runs; `npm run fuzz`
#                               passes 300)
# Each target starts from its committed seeds (fuzz/seeds/<target>) and
# grows a scratch corpus under fuzz/target/corpus/, so a run leaves the tree
# clean. A crash fails the run and leaves its input in fuzz/artifacts/.
# Prints the executions per target and their total.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:-30}
toolchain=$(cat ../scripts/nightly-toolchain)
total=0
build_log=$(mktemp)
if ! cargo "+$toolchain" fuzz build >"$build_log" 2>&1; then
  echo "fuzz: the targets do not build:" >&2
  grep -E -A12 '^error' "$build_log" | head -n 60 >&2
  rm -f "$build_log"
  exit 1
fi
tail -n 1 "$build_log"
rm -f "$build_log"
for target in $(cargo "+$toolchain" fuzz list); do
  corpus="target/corpus/$target"
  mkdir -p "$corpus"
  log=$(mktemp)
  if ! cargo "+$toolchain" fuzz run "$target" "$corpus" "seeds/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz: $target FAILED; its output:" >&2
    tail -n 40 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rm -f "$log"
  printf 'fuzz: %-16s %12s executions in %ss, 0 crashes\n' "$target" "${runs:-?}" "$seconds"
  total=$((total + ${runs:-0}))
done
echo "fuzz: $total executions in all"
