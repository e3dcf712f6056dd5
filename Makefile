# `make serve` builds what is missing and serves the app at http://127.0.0.1:8080.
# `make test` runs every test. Both install their own tools (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080
BIN := target/debug/mlcycle
SRC := $(shell find src -name '*.rs') Cargo.toml Cargo.lock wasm-pack.toml scripts/build-wasm.sh
WIDGET := python/mlcycle_widget/static/widget.js
WIDGET_SRC := www/widget.js www/widget.css www/client.js www/protocol.js www/charts.js www/worker.js scripts/build-widget.mjs package-lock.json
# The notebook tests' widget: the test wasm build (target/pkg-test, which
# test-e2e makes anyway: the release build plus the fault-injection exports)
# bundled into target/, never into the package, so `make test` compiles the
# wasm once. The tests point mlcycle_widget at it with MLCYCLE_WIDGET_STATIC.
WIDGET_TEST_DIR := target/widget-test
WIDGET_TEST := $(WIDGET_TEST_DIR)/widget.js
NOTEBOOK_ENV := MLCYCLE_WIDGET_STATIC=$(CURDIR)/$(WIDGET_TEST_DIR) MLCYCLE_BIN=$(CURDIR)/$(BIN)

# `make bench` runs every group; `make bench BENCH=profile` one (page, profile, train).
.PHONY: bench fuzz serve test test-js setup-build setup-test test-native test-wasm test-e2e test-notebook lint wasm widget clean

serve: setup-build www/pkg/mlcycle_bg.wasm $(BIN)
	$(BIN) serve www --port $(PORT)

wasm: setup-build www/pkg/mlcycle_bg.wasm

# The Jupyter widget's browser files, bundled into the Python package (python/).
widget: setup-build $(WIDGET)

$(WIDGET): www/pkg/mlcycle_bg.wasm $(WIDGET_SRC)
	node scripts/build-widget.mjs

$(WIDGET_TEST): target/pkg-test/mlcycle_bg.wasm $(WIDGET_SRC)
	node scripts/build-widget.mjs target/pkg-test $(WIDGET_TEST_DIR)

setup-build:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

www/pkg/mlcycle_bg.wasm: $(SRC)
	scripts/build-wasm.sh release

target/pkg-test/mlcycle_bg.wasm: $(SRC)
	scripts/build-wasm.sh test

$(BIN): $(SRC)
	cargo build --bin mlcycle

test: setup-test lint test-native test-wasm test-js test-e2e test-notebook

lint:
	node scripts/lint-www.mjs

test-native:
	cargo test

test-wasm:
	wasm-pack test --node --mode no-install -- --lib --test wasm

test-js:
	node --test tests/js/

test-e2e: target/pkg-test/mlcycle_bg.wasm $(BIN)
	MLCYCLE_BIN=$(BIN) MLCYCLE_PKG=target/pkg-test node --test --test-concurrency=1 tests/e2e/

# The widget's Python unit tests, then JupyterLab driven by headless Chromium
# (target/notebook-venv, made from tests/notebook/requirements.txt), both on
# the test bundle ($(WIDGET_TEST_DIR)); `make widget` is not needed for them.
test-notebook: setup-test $(WIDGET_TEST) $(BIN)
	scripts/notebook-venv.sh
	cd python && $(NOTEBOOK_ENV) ../target/notebook-venv/bin/python -m pytest -q tests
	$(NOTEBOOK_ENV) node --test tests/notebook/

# Figures, not assertions: page speed in headless Chromium.
bench: setup-test target/pkg-test/mlcycle_bg.wasm
	scripts/bench.sh $(BENCH)

# Fuzz each target for FUZZ_SECONDS (default 60); crashes land in fuzz/artifacts/.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	cargo clean
	rm -rf www/pkg node_modules python/mlcycle_widget/static
