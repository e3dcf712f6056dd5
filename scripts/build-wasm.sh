#!/usr/bin/env bash
# Builds the wasm package described by a section of wasm-pack.toml
# (`release` for the page, `test` for the end-to-end tests), with no
# downloads: wasm-pack --mode no-install uses the wasm-bindgen on PATH, and
# wasm-opt comes from the npm binaryen package.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
section="${1:-release}"

read_profile() {
  python3 - "$section" <<'PY'
import sys, tomllib
p = tomllib.load(open("wasm-pack.toml", "rb"))[sys.argv[1]]
print(p["target"]); print(p["out-dir"]); print(p["out-name"]); print(p["profile"])
print(",".join(p["features"])); print(" ".join(p["wasm-opt"]))
PY
}
mapfile -t cfg < <(read_profile)
target="${cfg[0]}" out_dir="${cfg[1]}" out_name="${cfg[2]}" profile="${cfg[3]}" features="${cfg[4]}" opt_flags="${cfg[5]}"

args=(build --mode no-install --target "$target" --out-dir "$PWD/$out_dir" --out-name "$out_name" --no-pack "--$profile")
cargo_args=()
if [ -n "$features" ]; then cargo_args=(--features "$features"); fi

echo "build-wasm: wasm-pack ${args[*]} -- ${cargo_args[*]}"
wasm-pack "${args[@]}" -- "${cargo_args[@]}"

wasm="$out_dir/${out_name}_bg.wasm"
if [ -n "$opt_flags" ]; then
  wasm_opt="node_modules/.bin/wasm-opt"
  if [ ! -x "$wasm_opt" ]; then
    echo "build-wasm: $wasm_opt is missing; run scripts/setup.sh (npm ci) first" >&2
    exit 1
  fi
  # The features rustc's wasm32 target enables by default.
  "$wasm_opt" $opt_flags --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "build-wasm: $wasm is $raw bytes ($gz gzipped)"
