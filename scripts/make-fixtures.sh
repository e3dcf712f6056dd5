#!/usr/bin/env bash
# Regenerates the manifests in tests/fixtures/ with the native command.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --bin mlcycle
target/debug/mlcycle run www/data/iris.csv --target species --seed 42 --search none --out tests/fixtures/iris.run.json
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 7 --search none --trees 50 --out tests/fixtures/diabetes.run.json
target/debug/mlcycle run www/data/iris.csv --target species --seed 42 --search random --trials 12 --folds 3 --out tests/fixtures/iris-search.run.json
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 7 --search halving --trials 12 --models ridge,knn,tree,gbt --out tests/fixtures/diabetes-halving.run.json
