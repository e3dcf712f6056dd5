"""Writes tests/fixtures/sklearn_metrics.json: metric reference values from
scikit-learn on deterministic cases, compared by tests/metrics_reference.rs.

Run: python3 scripts/sklearn_reference.py (needs scikit-learn and numpy).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, f1_score, mean_squared_error, r2_score

rng = np.random.default_rng(20261128)
cases = []
for i, (n, k, noise) in enumerate([(20, 2, 0.3), (150, 3, 0.1), (97, 5, 0.5), (40, 4, 0.9), (12, 3, 1.0)]):
    truth = rng.integers(0, k, n)
    pred = np.where(rng.random(n) < noise, rng.integers(0, k, n), truth)
    if i == 4:
        pred[:] = 0  # a model that predicts one class: zero-division F1 terms
    cases.append({
        "kind": "classification",
        "truth": truth.tolist(),
        "pred": pred.tolist(),
        "accuracy": accuracy_score(truth, pred),
        "macro_f1": f1_score(truth, pred, average="macro", zero_division=0),
    })
for n, scale in [(10, 1.0), (111, 50.0), (500, 1e-3)]:
    truth = rng.normal(0, scale, n)
    pred = truth + rng.normal(0, scale / 3, n)
    cases.append({
        "kind": "regression",
        "truth": truth.tolist(),
        "pred": pred.tolist(),
        "rmse": float(np.sqrt(mean_squared_error(truth, pred))),
        "r2": r2_score(truth, pred),
    })

out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sklearn_metrics.json"
out.write_text(json.dumps({"sklearn": sklearn.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} cases, scikit-learn {sklearn.__version__})")
