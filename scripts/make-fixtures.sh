#!/usr/bin/env bash
# Regenerates the manifests in tests/fixtures/ with the native command. The
# wasm tests replay them in Node: a native run must reproduce bit for bit.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --bin mlcycle
# The default: a grid search over every classification model.
target/debug/mlcycle run www/data/iris.csv --target species --seed 42 --threads 2 --out tests/fixtures/iris.run.json
# One model, no search.
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 7 --search none --trees 50 --out tests/fixtures/diabetes.run.json
# A seeded random search over every regression model, ranked by RMSE.
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 3 --search random --trials 8 --folds 4 --metric rmse --threads 2 --out tests/fixtures/diabetes-random.run.json
# Every classification model on wider data.
target/debug/mlcycle run www/data/breast_cancer.csv --target diagnosis --seed 5 --threads 2 --out tests/fixtures/breast_cancer.run.json
# Successive halving over every regression model (SVR, GBT, extra trees,
# elastic net and plain least squares among them), two rungs.
target/debug/mlcycle run www/data/diabetes.csv --target progression --seed 11 --search halving --trials 24 --threads 2 --out tests/fixtures/diabetes-halving.run.json
# Spaces from a configuration, ranked by log loss (class probabilities).
target/debug/mlcycle run www/data/iris.csv --target species --seed 8 --config tests/fixtures/iris-search.json --threads 2 --out tests/fixtures/iris-search.run.json
