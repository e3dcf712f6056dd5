#!/usr/bin/env bash
# Regenerates the manifests in tests/fixtures/ with the native command.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --bin mlcycle
target/debug/mlcycle run www/data/iris.csv --target species --seed 42 --out tests/fixtures/iris.run.json
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 7 --trees 50 --out tests/fixtures/diabetes.run.json
