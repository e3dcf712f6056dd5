#!/usr/bin/env bash
# `make bench`: figures, not assertions. Groups:
#   page     navigation -> engine ready, Load -> profile, Train -> metrics per sample
#   profile  a deterministic 1,000,000 x 20 mixed CSV (~139 MB): mlcycle natively,
#            mlcycle in headless Chromium, pandas and polars describe, same run
#   big      a ~1 GB CSV (7,200,000 rows of the same kind) through the page in
#            headless Chromium: time, wasm memory, and whether the tab survived
#   train    (see scripts/bench_train.py when present)
# Python tools come from target/bench-venv, created from scripts/bench-requirements.txt.
#   scripts/bench.sh [GROUP...]     default: page profile train
set -euo pipefail
cd "$(dirname "$0")/.."
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then groups=(page profile train); fi

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/bench-requirements.txt "$venv/requirements.txt"; then
  echo "bench: creating $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/bench-requirements.txt
  cp scripts/bench-requirements.txt "$venv/requirements.txt"
fi
cargo build --release --bin mlcycle --example plain_pass --quiet
export MLCYCLE_BIN=target/release/mlcycle MLCYCLE_PKG=target/pkg-test

for g in "${groups[@]}"; do
  echo "== bench $g"
  case "$g" in
    page) node scripts/bench-page.mjs 5 ;;
    profile) "$venv/bin/python" scripts/bench_profile.py "${BENCH_ROWS:-1000000}" "target/bench/mixed.csv" ;;
    big)
      "$venv/bin/python" - <<'PY'
import sys
sys.argv = ["bench_profile.py"]
sys.path.insert(0, "scripts")
from pathlib import Path
import bench_profile
bench_profile.generate(Path("target/bench/mixed-1g.csv"), 7_200_000)
PY
      ls -l target/bench/mixed-1g.csv
      node scripts/bench-page.mjs file target/bench/mixed-1g.csv ;;
    train)
      if [ -f scripts/bench_train.py ]; then "$venv/bin/python" scripts/bench_train.py; else echo "bench: no train group yet"; fi ;;
    *) echo "bench: unknown group $g (page, profile, big, train)" >&2; exit 2 ;;
  esac
done
