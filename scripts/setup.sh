#!/usr/bin/env bash
# Installs every tool the build and the tests need, pinned, and only what is missing.
# Called by `make serve` (build tools only) and `make test` (everything).
#   scripts/setup.sh build   wasm32 target, wasm-bindgen-cli, wasm-pack, npm packages
#   scripts/setup.sh test    the above plus Debian's chromium
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin of wasm-bindgen in Cargo.toml
WASM_PACK_VERSION=0.15.1
what="${1:-build}"

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # Its own Cargo.lock pins webpki-roots 1.0.11, which the registry may not serve;
  # fall back to resolving within its semver ranges.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION\$"; then
  echo "setup: installing wasm-pack $WASM_PACK_VERSION (about 5 minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "$what" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
  fi
fi
