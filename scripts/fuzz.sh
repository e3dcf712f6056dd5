#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another,
# and exits non-zero if any finds a crash. Installs cargo-fuzz (pinned) if
# missing. Only a stable toolchain exists here; cargo-fuzz needs nightly
# flags (-Zsanitizer), which RUSTC_BOOTSTRAP=1 allows on stable.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
CARGO_FUZZ_VERSION=0.13.2
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(csv_ingest profile train manifest_import); fi

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  log="fuzz/corpus/$t.log"
  echo "fuzz: $t for ${seconds}s"
  if cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
      -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
    verdict="no crash"
  else
    verdict="CRASH (see $log and fuzz/artifacts/$t/)"
    failed=1
  fi
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  rate=$(grep -Eo 'exec/s: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  echo "fuzz: $t: ${runs:-?} runs in ${seconds}s (${rate:-?} exec/s), $verdict"
done
exit $failed
