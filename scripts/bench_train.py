#!/usr/bin/env python3
"""`make bench BENCH=train`: model fit + predict time on deterministic
100,000 x 20 classification and regression sets, natively (the `mlcycle`
command), in headless Chromium (the page's engine) and scikit-learn in the
same run, one thread each, with accuracy / R^2 beside each; then the search
speed-up with 1 vs 2 workers (native threads and the page's worker pool).
Figures only, never assertions.

Each model runs with its default hyperparameters (the first point of its
search space, read back from the run's manifest); scikit-learn gets the same
hyperparameters, the same split and the same prepared matrices (dumped by
`mlcycle run --dump-split`).

    scripts/bench.sh train       (sets up target/bench-venv, builds, runs this)
    BENCH_TRAIN_ROWS=20000 scripts/bench.sh train     (a quicker look)
    BENCH_TRAIN_MODELS=knn,gbt scripts/bench.sh train  (some models only)
    BENCH_TRAIN_MODELS=speedup scripts/bench.sh train  (the search speed-up only)

Jobs the product refuses by default (estimated over 600 s) are run here up
to BENCH_TRAIN_MAX_SECONDS (default 3600) so every model gets a figure;
support-vector models past 5,000 training rows stay refused (a hard limit).
At 100,000 rows the whole group takes about 90 minutes.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.datasets import make_classification, make_regression  # noqa: E402
from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor  # noqa: E402
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge  # noqa: E402
from sklearn.metrics import accuracy_score, r2_score  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC, SVR  # noqa: E402
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("MLCYCLE_BIN", ROOT / "target/release/mlcycle"))
ROWS = int(os.environ.get("BENCH_TRAIN_ROWS", "100000"))
SEED = 42
MAX_SECONDS = float(os.environ.get("BENCH_TRAIN_MAX_SECONDS", "3600"))
ONLY = {m for m in os.environ.get("BENCH_TRAIN_MODELS", "").split(",") if m}
CLASSIFIERS = ["logistic", "decision_tree", "random_forest", "knn", "gaussian_nb", "svc"]
REGRESSORS = ["linear", "ridge", "lasso", "elastic_net", "decision_tree", "random_forest", "extra_trees", "knn", "svr", "gbt"]


def sklearn_model(spec: dict):
    """scikit-learn's counterpart of an mlcycle model spec, or None."""
    k = spec["kind"]
    depth = spec.get("max_depth")
    leaf = spec.get("min_samples_leaf", 1)
    split = spec.get("min_samples_split", 2)
    if k == "logistic":
        return LogisticRegression(C=1.0 / spec["alpha"] if spec["alpha"] > 0 else 1e12, max_iter=10000)
    if k == "decision_tree":
        return (DecisionTreeClassifier if CLASSIFY else DecisionTreeRegressor)(max_depth=depth, min_samples_leaf=leaf, min_samples_split=split, random_state=0)
    if k == "random_forest":
        cls = RandomForestClassifier if CLASSIFY else RandomForestRegressor
        return cls(n_estimators=spec["n_trees"], max_depth=depth, min_samples_leaf=leaf, min_samples_split=split, max_features="sqrt", random_state=0, n_jobs=1)
    if k == "extra_trees":
        return ExtraTreesRegressor(n_estimators=spec["n_trees"], max_depth=depth, min_samples_leaf=leaf, min_samples_split=split, max_features="sqrt", random_state=0, n_jobs=1)
    if k == "knn":
        # mlcycle's k-NN standardises its features, as SVC and SVR do.
        return make_pipeline(StandardScaler(), (KNeighborsClassifier if CLASSIFY else KNeighborsRegressor)(spec["k"], n_jobs=1))
    if k == "gaussian_nb":
        return GaussianNB()
    if k == "linear":
        return LinearRegression()
    if k == "ridge":
        return Ridge(alpha=spec["alpha"])
    if k == "lasso":
        return Lasso(alpha=spec["alpha"], max_iter=100000)
    if k == "elastic_net":
        return ElasticNet(alpha=spec["alpha"], l1_ratio=spec["l1_ratio"], max_iter=100000)
    if k == "svc":
        return make_pipeline(StandardScaler(), SVC(kernel=spec["kernel"], C=spec["c"], gamma=spec.get("gamma") or "scale"))
    if k == "svr":
        return make_pipeline(StandardScaler(), SVR(kernel=spec["kernel"], C=spec["c"], epsilon=spec["epsilon"], gamma=spec.get("gamma") or "scale"))
    if k == "gbt":
        return GradientBoostingRegressor(n_estimators=spec["n_estimators"], max_depth=spec["max_depth"], learning_rate=spec["learning_rate"], subsample=spec.get("subsample", 1.0), random_state=0)
    return None


def generate(tmp: Path):
    xc, yc = make_classification(n_samples=ROWS, n_features=20, n_informative=10, n_redundant=4, n_classes=3, random_state=7)
    xr, yr = make_regression(n_samples=ROWS, n_features=20, n_informative=12, noise=10.0, random_state=7)
    out = {}
    for name, x, y, labels in [("classification", xc, yc, True), ("regression", xr, yr, False)]:
        path = tmp / f"{name}.csv"
        with open(path, "w") as f:
            f.write(",".join(f"f{i}" for i in range(20)) + ",y\n")
            for row, t in zip(np.round(x, 6), y):
                f.write(",".join(repr(float(v)) for v in row) + "," + (f"c{t}" if labels else repr(round(float(t), 6))) + "\n")
        out[name] = path
    return out


def native(path: Path, model: str, tmp: Path, dump: Path | None):
    run = tmp / f"run-{model}.json"
    cmd = [str(BIN), "run", str(path), "--target", "y", "--seed", str(SEED), "--search", "none", "--models", model, "--max-seconds", str(MAX_SECONDS), "--out", str(run)]
    if dump is not None:
        cmd += ["--dump-split", str(dump)]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        return {"error": (p.stderr or p.stdout).strip().splitlines()[-1]}
    m = json.loads(run.read_text())
    seconds = m.get("durations_ms", {}).get("train", wall * 1000) / 1000
    metrics = {x["name"]: x["value"] for x in m["result"]["metrics"]}
    return {"seconds": seconds, "metric": metrics.get("accuracy", metrics.get("r2")), "spec": m["config"]["model"], "manifest": run}


def page(path: Path, spec: dict):
    env = dict(os.environ)
    env["BENCH_MAX_SECONDS"] = str(MAX_SECONDS)
    p = subprocess.run(["node", str(ROOT / "scripts/bench-page.mjs"), "train", str(path), "y", json.dumps(spec)], capture_output=True, text=True, env=env)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (p.stderr or p.stdout).strip()[-200:]}


def fmt(r, key="seconds"):
    if r is None:
        return f"{'-':>9} {'':>7}"
    if "error" in r:
        return f"{'refused':>9} {'':>7}"
    m = r.get("metric")
    return f"{r[key]:>8.2f}s {m if m is None else round(m, 4):>7}"


def main():
    global CLASSIFY
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        data = generate(tmp)
        print(f"train bench: {ROWS} rows x 20 features, seed {SEED}; fit + predict, one thread each")
        print(f"{'task':<15} {'model':<14} {'native':>17} {'headless Chromium':>17} {'scikit-learn':>17}")
        notes = []
        tasks = [] if ONLY == {"speedup"} else [("classification", CLASSIFIERS), ("regression", REGRESSORS)]
        for task, models in tasks:
            CLASSIFY = task == "classification"
            dump = tmp / f"{task}-split.json"
            split = None
            for model in models:
                if ONLY and model not in ONLY and split is not None:
                    continue
                n = native(data[task], model, tmp, dump if split is None else None)
                if split is None and dump.exists():
                    split = json.loads(dump.read_text())
                w = None
                s = None
                if "error" in n:
                    notes.append(f"{task} {model}: {n['error']}")
                else:
                    w = page(data[task], n["spec"])
                    if "error" in w:
                        notes.append(f"{task} {model} in the page: {w['error']}")
                    est = sklearn_model(n["spec"])
                    if est is not None and split is not None:
                        xtr, xte = np.array(split["x_train"]), np.array(split["x_test"])
                        ytr, yte = np.array(split["y_train"]), np.array(split["y_test"])
                        t = time.perf_counter()
                        pred = est.fit(xtr, ytr).predict(xte)
                        secs = time.perf_counter() - t
                        metric = accuracy_score(yte, pred) if CLASSIFY else r2_score(yte, pred)
                        s = {"seconds": secs, "metric": metric}
                print(f"{task:<15} {model:<14} {fmt(n)} {fmt(w)} {fmt(s)}", flush=True)
        if ONLY and "speedup" not in ONLY:
            for n in notes:
                print("note:", n)
            return
        # Search speed-up: the default grid of two quick models on 5,000 rows.
        small = tmp / "small.csv"
        with open(data["classification"]) as src, open(small, "w") as dst:
            for i, line in enumerate(src):
                if i > 5000:
                    break
                dst.write(line)
        print("search speed-up (default grid of decision_tree and knn, 5,000 rows):")
        for threads in [1, 2]:
            t = time.perf_counter()
            subprocess.run([str(BIN), "run", str(small), "--target", "y", "--models", "decision_tree,knn", "--threads", str(threads), "--out", str(tmp / "s.json")], check=True, capture_output=True)
            print(f"  native --threads {threads}: {time.perf_counter() - t:.2f} s")
        for workers in [1, 2]:
            r = page(small, {"search": "grid", "models": ["decision_tree", "knn"], "workers": workers})
            print(f"  page, {workers} worker(s): {r.get('seconds', float('nan')):.2f} s" if "error" not in r else f"  page, {workers} worker(s): {r['error']}")
        for n in notes:
            print("note:", n)


if __name__ == "__main__":
    CLASSIFY = True
    sys.exit(main())
