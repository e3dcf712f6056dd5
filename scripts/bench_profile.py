#!/usr/bin/env python3
"""Profiling throughput: mlcycle natively and in headless Chromium, pandas
and polars, on the same file in the same run.

Generates a deterministic mixed CSV (numbers, labels, dates, quoted text,
1-20% missing) and times, each in a fresh process:
  mlcycle profile FILE --json        (release build; read + full profile)
  the page in headless Chromium      (file input -> profile shown; the wasm
                                      memory's size after, which is its peak)
  pandas read_csv + describe(include="all")
  polars read_csv + describe         (only if `import polars` works)
Prints MB/s and peak resident memory. Figures, not a test.

    make bench-profile        (sets up target/bench-venv, builds, runs this)
    python3 scripts/bench_profile.py [ROWS] [OUT.csv]      # default 1,000,000 rows
"""
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/mlcycle_bench.csv")


def generate(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > 0 and path.with_suffix(".rows").exists() and path.with_suffix(".rows").read_text() == str(rows):
        return
    rng = np.random.default_rng(20240501)
    names = [f"num{i}" for i in range(8)] + [f"int{i}" for i in range(4)] + [f"cat{i}" for i in range(4)] + ["date0", "date1", "text0", "flag"]
    words = np.array(["alpha", "beta", "gamma, delta", "epsilon \"zeta\"", "eta"])
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        # Blocks from one seeded generator: deterministic, memory bounded.
        step = 250_000
        for s in range(0, rows, step):
            n = min(step, rows - s)
            cols = {}
            for i in range(8):
                cols[f"num{i}"] = rng.normal(i * 10, 1 + i, n).round(4).astype(str)
            for i in range(4):
                cols[f"int{i}"] = rng.integers(-1000, 100000, n).astype(str)
            for i in range(4):
                labels = np.array([f"cat{j}" for j in range(5 + 20 * i)])
                cols[f"cat{i}"] = labels[rng.integers(0, len(labels), n)]
            days = rng.integers(0, 3650, n)
            cols["date0"] = (np.datetime64("2015-01-01") + days).astype(str)
            cols["date1"] = (np.datetime64("2010-06-01") + days // 2).astype(str)
            cols["text0"] = np.array(['"' + a.replace('"', '""') + " " + b + '"' for a, b in zip(words[rng.integers(0, 5, n)], rng.integers(0, 10**6, n).astype(str))])
            cols["flag"] = np.where(rng.random(n) < 0.5, "true", "false")
            for k, name in enumerate(names):
                miss = rng.random(n) < (0.01 + 0.19 * k / len(names))
                cols[name] = np.where(miss, "", cols[name])
            block = [cols[name] for name in names]
            f.write("\n".join(",".join(r) for r in zip(*block)) + "\n")
    path.with_suffix(".rows").write_text(str(rows))


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `cmd`, measured by a fresh helper
    process so each figure is that command's own."""
    helper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", helper, *cmd], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def main() -> None:
    generate(OUT, ROWS)
    mb = OUT.stat().st_size / 1e6
    print(f"{OUT}: {ROWS} rows x 20 columns, {mb:.0f} MB")
    exe = ROOT / "target/release/mlcycle"
    runs = [("mlcycle profile --json (every core)", [str(exe), "profile", str(OUT), "--json"])]
    py = sys.executable
    runs.append(("pandas read_csv + describe", [py, "-c", f"import pandas as pd; pd.read_csv({str(OUT)!r}).describe(include='all')"]))
    try:
        import polars  # noqa: F401
        runs.append(("polars read_csv + describe", [py, "-c", f"import polars as pl; pl.read_csv({str(OUT)!r}).describe()"]))
    except ImportError:
        print("polars not installed: skipped (pip install polars)")
    plain = ROOT / "target/release/examples/plain_pass"
    if plain.exists():
        # Not a profile: the yardstick a full profile could at best approach.
        runs.append(("plain csv pass, 5 stats (yardstick)", [str(plain), str(OUT)]))
    print(f"{'tool':<36} {'seconds':>8} {'MB/s':>8} {'peak MB':>8}")
    for name, cmd in runs:
        wall, peak = timed(cmd)
        print(f"{name:<36} {wall:>8.2f} {mb / wall:>8.1f} {peak:>8.0f}", flush=True)
    if os.environ.get("MLCYCLE_PKG"):
        out = subprocess.run(["node", str(ROOT / "scripts/bench-page.mjs"), "file", str(OUT)], check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        if "error" in r:
            print(f"{'mlcycle page (headless Chromium)':<36} failed after {r['seconds']:.1f} s: {r['error']}")
        else:
            wasm_mb = r["wasmMemoryBytes"] / 1e6
            col_mb = r["columnarBytes"] / 1e6
            print(f"{'mlcycle page (headless Chromium)':<36} {r['seconds']:>8.2f} {r['mbPerSecond']:>8.1f} {wasm_mb:>8.0f}  (wasm memory; typed columns {col_mb:.0f} MB, ratio {wasm_mb / col_mb:.2f}; read {'by ' + str(r.get('workers', 2)) + ' workers' if r.get('readAs') == 'parts' else 'by one worker'})")
        out = subprocess.run(["node", str(ROOT / "scripts/bench-page.mjs"), "cancel", str(OUT)], check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"page: Esc while reading -> stopped and said so in {r['cancelMs']:.0f} ms")
    else:
        print("page: skipped (set MLCYCLE_PKG and MLCYCLE_BIN, as make bench-profile does)")


if __name__ == "__main__":
    main()
