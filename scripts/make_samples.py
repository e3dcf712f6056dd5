#!/usr/bin/env python3
"""Writes the bundled sample datasets the page offers, from the copies that
scikit-learn and palmerpenguins ship inside their packages (no download).

    pip install scikit-learn palmerpenguins==0.1.6
    python3 scripts/make_samples.py          # writes www/data/

Output is deterministic: the same bytes on every run. Floats are written with
Python's repr (the shortest text that reads back to the same double), rows in
the order scikit-learn stores them, "\\n" line endings.
"""

import csv
import io
import json
import os
import re
import sys

from sklearn import datasets

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "www", "data")


def column_name(name):
    """'mean radius' -> 'mean_radius', 'od280/od315_of_diluted_wines' -> 'od280_od315_of_diluted_wines'."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def number(v):
    return repr(float(v))


def iris():
    d = datasets.load_iris()
    names = [column_name(n.replace("(cm)", "")) for n in d.feature_names]
    labels = [str(n) for n in d.target_names]
    return names, d.data, "species", [labels[t] for t in d.target]


def wine():
    d = datasets.load_wine()
    labels = [str(n) for n in d.target_names]
    return [column_name(n) for n in d.feature_names], d.data, "cultivar", [labels[t] for t in d.target]


def breast_cancer():
    d = datasets.load_breast_cancer()
    labels = [str(n) for n in d.target_names]
    return [column_name(n) for n in d.feature_names], d.data, "diagnosis", [labels[t] for t in d.target]


def diabetes():
    try:
        d = datasets.load_diabetes(scaled=False)
        scaled = False
    except TypeError:  # scikit-learn before 1.1 ships only the scaled data
        d = datasets.load_diabetes()
        scaled = True
    return [column_name(n) for n in d.feature_names], d.data, "progression", [number(t) for t in d.target], scaled


def penguins():
    """Palmer penguins as the package ships it, species moved to the end;
    its missing values stay "NA" and its labels stay text: a sample with
    data-quality alerts to look at."""
    from importlib import resources

    text = resources.files("palmerpenguins").joinpath("data/penguins.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    t = header.index("species")
    order = [i for i in range(len(header)) if i != t] + [t]
    return [header[i] for i in order], [[r[i] for i in order] for r in body]


SAMPLES = [
    {
        "file": "iris.csv",
        "title": "Iris flowers (150 rows, 3 species)",
        "make": iris,
        "task": "classification",
        "origin": "R. A. Fisher (1936), \"The use of multiple measurements in taxonomic problems\", "
        "via the UCI Machine Learning Repository; public domain.",
    },
    {
        "file": "wine.csv",
        "title": "Wine cultivars (178 rows, 3 classes)",
        "make": wine,
        "task": "classification",
        "origin": "M. Forina et al., PARVUS (1988), via the UCI Machine Learning Repository "
        "(Wine data set), CC BY 4.0.",
    },
    {
        "file": "breast_cancer.csv",
        "title": "Breast cancer diagnosis (569 rows, 2 classes)",
        "make": breast_cancer,
        "task": "classification",
        "origin": "W. H. Wolberg, W. N. Street, O. L. Mangasarian, Breast Cancer Wisconsin "
        "(Diagnostic), via the UCI Machine Learning Repository, CC BY 4.0.",
    },
    {
        "file": "diabetes.csv",
        "title": "Diabetes progression (442 rows, regression)",
        "make": diabetes,
        "task": "regression",
        "origin": "B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), \"Least Angle "
        "Regression\", Annals of Statistics 32(2); data as distributed by the authors.",
    },
    {
        "file": "penguins.csv",
        "title": "Palmer penguins (344 rows, 3 species, missing values)",
        "raw": penguins,
        "task": "classification",
        "origin": "K. B. Gorman, T. D. Williams, W. R. Fraser (2014), Palmer Station LTER; "
        "A. M. Horst, A. P. Hill, K. B. Gorman, palmerpenguins (2020); CC0.",
    },
]


def write_csv(path, header, data, target_values):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row, t in zip(data, target_values):
        w.writerow([number(v) for v in row] + [t])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    index = []
    for s in SAMPLES:
        if "raw" in s:
            header, body = s["raw"]()
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows([header] + body)
            with open(os.path.join(OUT, s["file"]), "w", encoding="utf-8", newline="") as f:
                f.write(buf.getvalue())
            index.append({"file": s["file"], "title": s["title"], "target": header[-1], "task": s["task"],
                          "rows": len(body), "columns": len(header), "origin": s["origin"]})
            continue
        made = s["make"]()
        names, data, target, values = made[:4]
        origin = s["origin"]
        if len(made) > 4 and made[4]:
            origin += " Features are the mean-centred, scaled values scikit-learn ships."
        header = list(names) + [target]
        write_csv(os.path.join(OUT, s["file"]), header, data, values)
        index.append(
            {
                "file": s["file"],
                "title": s["title"],
                "target": target,
                "task": s["task"],
                "rows": int(data.shape[0]),
                "columns": len(header),
                "origin": origin,
            }
        )
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8", newline="") as f:
        f.write(json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8", newline="") as f:
        f.write(readme(index))
    print(f"wrote {len(index)} datasets to {os.path.normpath(OUT)}", file=sys.stderr)


def readme(index):
    lines = [
        "# Bundled sample datasets",
        "",
        "Written by `scripts/make_samples.py` from the copies that scikit-learn and",
        "palmerpenguins ship inside their packages; do not edit by hand. The page lists them",
        "from `index.json`. Floats are Python's `repr` of the stored doubles (penguins: as",
        "shipped, with its `NA`s); the last column is the target.",
        "",
        "| file | rows | columns | target | task | origin and licence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for d in index:
        lines.append(
            f"| `{d['file']}` | {d['rows']} | {d['columns']} | `{d['target']}` | {d['task']} | {d['origin']} |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
