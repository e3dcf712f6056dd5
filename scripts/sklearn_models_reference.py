"""Writes tests/fixtures/sklearn_models.json: held-out accuracy / R² of
scikit-learn's counterpart of each mlcycle model, with the same
hyperparameters, fitted on the identical split and prepared matrices
(exported by `mlcycle run --dump-split`). tests/models_reference.rs
compares mlcycle's figures with these.

Run: cargo build --bin mlcycle && python3 scripts/sklearn_models_reference.py
(needs scikit-learn and numpy; scikit-learn 1.9.1 made the committed file).
"""
import json
import os
import pathlib
import subprocess
import tempfile

import numpy as np
import sklearn
from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(os.environ.get("MLCYCLE_BIN", ROOT / "target" / "debug" / "mlcycle"))
SEED = 42
FOREST_SEEDS = 20


def scaled(model):
    # mlcycle's SVC, SVR and k-NN standardise their input themselves.
    return make_pipeline(StandardScaler(), model)


def forest(n):
    return {"kind": "random_forest", "n_trees": n, "max_depth": None, "min_samples_leaf": 1, "min_samples_split": 2}


CLASSIFIERS = [
    # smartcore's penalty alpha is scikit-learn's 1 / C.
    ({"kind": "logistic", "alpha": 1.0}, lambda: LogisticRegression(C=1.0, max_iter=100000)),
    ({"kind": "decision_tree", "max_depth": 5, "min_samples_leaf": 1, "min_samples_split": 2},
     lambda: DecisionTreeClassifier(max_depth=5, random_state=0)),
    (forest(100), lambda: RandomForestClassifier(n_estimators=100, max_features="sqrt", random_state=0)),
    ({"kind": "knn", "k": 5}, lambda: scaled(KNeighborsClassifier(5))),
    ({"kind": "gaussian_nb"}, lambda: GaussianNB()),
    ({"kind": "svc", "kernel": "linear", "c": 1.0, "gamma": None}, lambda: scaled(SVC(kernel="linear", C=1.0))),
    ({"kind": "svc", "kernel": "rbf", "c": 1.0, "gamma": None}, lambda: scaled(SVC(kernel="rbf", C=1.0, gamma="scale"))),
]
REGRESSORS = [
    ({"kind": "linear"}, lambda: LinearRegression()),
    ({"kind": "ridge", "alpha": 1.0}, lambda: Ridge(alpha=1.0)),
    ({"kind": "lasso", "alpha": 0.1}, lambda: Lasso(alpha=0.1, max_iter=100000)),
    ({"kind": "elastic_net", "alpha": 0.1, "l1_ratio": 0.5}, lambda: ElasticNet(alpha=0.1, l1_ratio=0.5, max_iter=100000)),
    ({"kind": "decision_tree", "max_depth": 4, "min_samples_leaf": 1, "min_samples_split": 2},
     lambda: DecisionTreeRegressor(max_depth=4, random_state=0)),
    (forest(100), lambda: RandomForestRegressor(n_estimators=100, max_features="sqrt", random_state=0)),
    ({"kind": "extra_trees", "n_trees": 100, "max_depth": None, "min_samples_leaf": 1, "min_samples_split": 2},
     lambda: ExtraTreesRegressor(n_estimators=100, max_features="sqrt", random_state=0)),
    ({"kind": "knn", "k": 5}, lambda: scaled(KNeighborsRegressor(5))),
    ({"kind": "svr", "kernel": "rbf", "c": 100.0, "epsilon": 0.1, "gamma": None},
     lambda: scaled(SVR(kernel="rbf", C=100.0, epsilon=0.1, gamma="scale"))),
    ({"kind": "svr", "kernel": "linear", "c": 1.0, "epsilon": 0.1, "gamma": None},
     lambda: scaled(SVR(kernel="linear", C=1.0, epsilon=0.1))),
    ({"kind": "gbt", "n_estimators": 100, "max_depth": 3, "learning_rate": 0.1, "lambda": 0.0, "subsample": 1.0},
     lambda: GradientBoostingRegressor(n_estimators=100, max_depth=3, learning_rate=0.1, random_state=0)),
]
DATASETS = [
    ("iris.csv", "species", CLASSIFIERS),
    ("wine.csv", "cultivar", CLASSIFIERS),
    ("breast_cancer.csv", "diagnosis", CLASSIFIERS),
    ("diabetes.csv", "progression", REGRESSORS),
]

cases = []
for data, target, models in DATASETS:
    with tempfile.TemporaryDirectory() as tmp:
        dump = pathlib.Path(tmp) / "split.json"
        subprocess.run([str(BIN), "run", str(ROOT / "www" / "data" / data), "--target", target, "--seed", str(SEED),
                        "--search", "none", "--trees", "1", "--dump-split", str(dump), "--out", str(pathlib.Path(tmp) / "run.json")],
                       check=True, capture_output=True)
        split = json.loads(dump.read_text())
    x_train, x_test = np.array(split["x_train"]), np.array(split["x_test"])
    y_train, y_test = np.array(split["y_train"]), np.array(split["y_test"])
    for spec, make in models:
        model = make().fit(x_train, y_train)
        pred = model.predict(x_test)
        if split["task"] == "classification":
            metric, value = "accuracy", accuracy_score(y_test, pred)
        else:
            metric, value = "r2", r2_score(y_test, pred)
        case = {"data": data, "target": target, "seed": SEED, "spec": spec, "metric": metric, "sklearn": value}
        if spec["kind"] == "random_forest":
            # A forest's held-out score on a few dozen rows moves by a row
            # with its random draws: the mean over model seeds 0..19 on the
            # same split is what two implementations of it should share.
            scores = []
            for rs in range(FOREST_SEEDS):
                m = make().set_params(random_state=rs).fit(x_train, y_train)
                p = m.predict(x_test)
                scores.append(accuracy_score(y_test, p) if metric == "accuracy" else r2_score(y_test, p))
            case["sklearn_mean_over_seeds"] = float(np.mean(scores))
            case["seeds"] = FOREST_SEEDS
        cases.append(case)
        print(f"{data:<18} {json.dumps(spec):<100} {metric} {value:.4f}")

out = ROOT / "tests" / "fixtures" / "sklearn_models.json"
out.write_text(json.dumps({"sklearn": sklearn.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} cases, scikit-learn {sklearn.__version__})")
