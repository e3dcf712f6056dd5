#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target in fuzz/ for SECONDS each (default 60), one
# after another, and exits non-zero if any target crashes (a panic, an
# assertion, a timeout or running out of memory) or does not build.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Seeds are read from fuzz/seeds/<target> (committed); what the fuzzer learns
# accumulates in fuzz/corpus/<target>, crashing inputs land in
# fuzz/artifacts/<target>/, and the full log of each target in
# fuzz/artifacts/<target>.log (all three are git-ignored). A finding, once
# understood and fixed, is copied to fuzz/regressions/<target>/ (committed),
# which tests/fuzz_regressions.rs replays on every `cargo test`.
#
# Only a stable toolchain is installed here; cargo-fuzz builds with nightly
# flags (-Zsanitizer=address), which RUSTC_BOOTSTRAP=1 allows on stable.
# Runs niced: the machine is shared with builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1

CARGO_FUZZ_VERSION=0.13.2
ALL_TARGETS=(csv_ingest profile train manifest_import)

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${ALL_TARGETS[@]}"); fi

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked \
    || cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION"
fi

# Build every target first, so a build failure is reported as such and
# build time is not counted against the fuzzing time.
mkdir -p fuzz/artifacts
echo "fuzz: building the targets (log: fuzz/artifacts/build.log)"
if ! nice -n 19 cargo fuzz build --fuzz-dir fuzz >fuzz/artifacts/build.log 2>&1; then
  tail -n 30 fuzz/artifacts/build.log >&2
  echo "fuzz: the fuzz targets do not build (full log: fuzz/artifacts/build.log)" >&2
  exit 1
fi

failed=0
summary=()
for t in "${targets[@]}"; do
  case "$t" in
    manifest_import) dict=fuzz/dict/manifest.dict; extra=() ;;
    train) dict=fuzz/dict/csv.dict; extra=(-max_len=2048 -timeout=30) ;;
    *) dict=fuzz/dict/csv.dict; extra=() ;;
  esac
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="fuzz/artifacts/$t.log"
  before=$(find "fuzz/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l)
  echo "fuzz: $t for ${seconds}s (log: $log)"
  rc=0
  nice -n 19 cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -dict="$dict" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 "${extra[@]}" \
    -print_final_stats=1 >"$log" 2>&1 || rc=$?
  # libFuzzer also writes slow-unit-* files (inputs over 10 s); those are
  # reported, not failures: a hang is a timeout, caught above.
  after=$(find "fuzz/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l)
  slowest=$(grep -Eo 'Slowest unit: [0-9]+ s' "$log" | tail -1 || true)
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  secs=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
    verdict="no crash"
  else
    failed=1
    artifact=$(grep -Eo 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //' || true)
    if grep -q 'ERROR: libFuzzer: timeout' "$log"; then kind="TIMEOUT"
    elif grep -q 'out-of-memory' "$log"; then kind="OUT OF MEMORY"
    else kind="CRASH"; fi
    panic=$(grep -m1 -E "panicked at|assertion" "$log" || true)
    verdict="$kind: ${artifact:-see $log}${panic:+ -- $panic}"
    verdict="$verdict (reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $t ${artifact:-<input>}; minimise: cargo fuzz tmin --fuzz-dir fuzz $t ${artifact:-<input>})"
  fi
  line="$t: ${runs:-?} runs in ${seconds}s (${secs:-?} exec/s), $verdict${slowest:+ ($slowest, kept under fuzz/artifacts/$t)}"
  echo "fuzz: $line"
  summary+=("$line")
done

echo
echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit $failed
