#!/usr/bin/env bash
# `make bench`: figures, not assertions. Groups:
#   page     navigation -> engine ready, Load -> profile, Train -> metrics per sample
#   profile  a deterministic 1,000,000 x 20 mixed CSV (~139 MB): mlcycle natively,
#            mlcycle in headless Chromium, pandas and polars describe, same run
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
cargo build --release --bin mlcycle --quiet
export MLCYCLE_BIN=target/release/mlcycle MLCYCLE_PKG=target/pkg-test

for g in "${groups[@]}"; do
  echo "== bench $g"
  case "$g" in
    page) node scripts/bench-page.mjs 5 ;;
    profile) "$venv/bin/python" scripts/bench_profile.py "${BENCH_ROWS:-1000000}" "target/bench/mixed.csv" ;;
    train)
      if [ -f scripts/bench_train.py ]; then "$venv/bin/python" scripts/bench_train.py; else echo "bench: no train group yet"; fi ;;
    *) echo "bench: unknown group $g (page, profile, train)" >&2; exit 2 ;;
  esac
done
