#!/usr/bin/env python3
"""Reference profile statistics from pandas / numpy for tests/profile_reference.rs.

Reads tests/fixtures/profile_reference.csv and writes
tests/fixtures/pandas_profile.json. Run it from the repository root after
changing the fixture:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas numpy
    /tmp/venv/bin/python scripts/pandas_reference.py

Conventions match mlcycle's: sample standard deviation (ddof=1), linear
quantiles, pandas' adjusted skewness, numpy.histogram with min(20, distinct)
equal-width bins, pairwise-complete correlations, Cramér's V without bias
correction, correlation ratio from between- and total sum of squares.
"""
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tests/fixtures/profile_reference.csv"
OUT = ROOT / "tests/fixtures/pandas_profile.json"

NA = ["", "NA", "N/A", "null", "NaN", "None", "?", "-"]
df = pd.read_csv(SRC, keep_default_na=False, na_values=NA, dtype={"colour": str, "segment": str})
numeric = ["age", "income", "score", "flag"]
labels = ["colour", "segment"]


def num(s: pd.Series) -> dict:
    x = s.dropna().to_numpy(dtype=float)
    distinct = int(s.nunique())
    counts, edges = np.histogram(x, bins=min(20, distinct))
    return {
        "count": int(s.count()),
        "missing": int(s.isna().sum()),
        "distinct": distinct,
        "min": float(s.min()),
        "max": float(s.max()),
        "mean": float(s.mean()),
        "std": float(s.std()),
        "median": float(s.median()),
        "q1": float(s.quantile(0.25)),
        "q3": float(s.quantile(0.75)),
        "skewness": float(s.skew()),
        "zeros": int((x == 0).sum()),
        "negatives": int((x < 0).sum()),
        "histogram": [int(c) for c in counts],
        "histogramEdges": [float(e) for e in edges],
    }


def lab(s: pd.Series) -> dict:
    vc = s.value_counts(sort=True)
    return {
        "count": int(s.count()),
        "missing": int(s.isna().sum()),
        "distinct": int(s.nunique()),
        "top": [[str(k), int(v)] for k, v in vc.items()][:5],
    }


def cramers_v(a: pd.Series, b: pd.Series) -> float:
    t = pd.crosstab(a, b).to_numpy(dtype=float)
    n = t.sum()
    e = np.outer(t.sum(1), t.sum(0)) / n
    chi2 = ((t - e) ** 2 / e).sum()
    return float(np.sqrt(chi2 / n / (min(t.shape) - 1)))


def eta(g: pd.Series, y: pd.Series) -> float:
    d = pd.DataFrame({"g": g, "y": y}).dropna()
    m = d.y.mean()
    between = d.groupby("g").y.agg(lambda v: len(v) * (v.mean() - m) ** 2).sum()
    total = ((d.y - m) ** 2).sum()
    return float(np.sqrt(between / total))


pairs = []
for i, a in enumerate(numeric):
    for b in numeric[i + 1:]:
        pairs.append({"a": a, "b": b, "measure": "pearson", "value": float(df[a].corr(df[b], method="pearson"))})
        # Spearman as pandas computes it (pairwise-complete, average ranks), without scipy.
        d = df[[a, b]].dropna()
        pairs.append({"a": a, "b": b, "measure": "spearman", "value": float(d[a].rank().corr(d[b].rank()))})
pairs.append({"a": "colour", "b": "segment", "measure": "cramers_v", "value": cramers_v(df.colour, df.segment)})
for c in labels:
    for n in numeric:
        pairs.append({"a": n, "b": c, "measure": "correlation_ratio", "value": eta(df[c], df[n])})

ref = {
    "source": str(SRC.relative_to(ROOT)),
    "pandas": pd.__version__,
    "numpy": np.__version__,
    "rows": len(df),
    "duplicateRows": int(df.duplicated().sum()),
    "numeric": {c: num(df[c]) for c in numeric},
    "labels": {c: lab(df[c]) for c in labels},
    "pairs": pairs,
}
OUT.write_text(json.dumps(ref, indent=1) + "\n")
print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
