"""Unit tests of mlcycle_widget (no browser): the DataFrame's CSV bytes, the
checks on the arguments, what is sent to the browser, and the manifest coming
back. The browser side is tested by tests/notebook/."""

import io
import json
import math
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from ipywidgets.widgets.widget import _remove_buffers

import mlcycle_widget
from mlcycle_widget import Mlcycle, dataframe_csv

ROOT = pathlib.Path(__file__).resolve().parents[2]
IRIS = ROOT / "www" / "data" / "iris.csv"
BIN = pathlib.Path(os.environ.get("MLCYCLE_BIN", ROOT / "target" / "debug" / "mlcycle")).resolve()


def test_csv_reads_back_as_the_same_frame():
    df = pd.DataFrame({
        "x": [0.1, 1 / 3, -2.5e-300, math.nan],
        "n": [1, 2, 3, 4],
        "label": ["a", "b, with a comma", 'say "hi"', None],
    })
    csv = dataframe_csv(df)
    assert csv.startswith(b"x,n,label\n")
    back = pd.read_csv(io.BytesIO(csv))
    pd.testing.assert_frame_equal(back, df.astype({"label": back["label"].dtype}))
    # Missing values are empty fields, which the engine reads as missing.
    assert csv.splitlines()[4] == b",4,"


def test_iris_bytes_are_the_bundled_file():
    # pandas writes iris.csv back byte for byte, so its manifests match the sample's digest.
    assert dataframe_csv(pd.read_csv(IRIS)) == IRIS.read_bytes()


def test_named_index_is_kept_and_the_default_one_left_out():
    df = pd.DataFrame({"v": [1, 2]}, index=pd.Index(["r1", "r2"], name="id"))
    assert dataframe_csv(df) == b"id,v\nr1,1\nr2,2\n"
    assert dataframe_csv(df.reset_index(drop=True)) == b"v\n1\n2\n"
    # Other unnamed indexes are left out too.
    assert dataframe_csv(df.set_axis(["r1", "r2"])) == b"v\n1\n2\n"


def test_a_datetime_index_is_kept_named_or_not():
    times = pd.date_range("2021-03-01", periods=2, freq="D")
    assert dataframe_csv(pd.DataFrame({"v": [1, 2]}, index=times)) == b"index,v\n2021-03-01,1\n2021-03-02,2\n"
    assert dataframe_csv(pd.DataFrame({"v": [1, 2]}, index=times.rename("ts"))) == b"ts,v\n2021-03-01,1\n2021-03-02,2\n"
    # As reset_index names it when a column is called "index".
    assert dataframe_csv(pd.DataFrame({"index": [1, 2]}, index=times)).startswith(b"level_0,index\n")
    assert Mlcycle(pd.DataFrame({"v": [1, 2]}, index=times), target="index").target == "index"


def test_an_index_named_like_a_column_is_refused_in_words():
    df = pd.read_csv(IRIS)
    df.index.name = "species"
    with pytest.raises(ValueError, match=r'the index is named "species", like a column: rename the index .* or leave it out \(df.reset_index\(drop=True\)\)'):
        Mlcycle(df)


def test_tuple_names_are_flattened_and_the_target_follows():
    df = pd.DataFrame({("a", "x"): [1, 2], ("a", "y"): [4, 5], ("b", ""): [7, 8]})
    assert dataframe_csv(df) == b"a_x,a_y,b\n1,4,7\n2,5,8\n"
    assert Mlcycle(df, target=("a", "y")).target == "a_y"
    assert Mlcycle(df, target="a_y").target == "a_y"
    with pytest.raises(ValueError, match='no column "a"'):
        Mlcycle(df, target="a")
    # The repeated-name check is on the names written.
    with pytest.raises(ValueError, match="repeats column names: a_x"):
        Mlcycle(pd.DataFrame({("a", "x"): [1], "a_x": [2]}))


def test_names_are_trimmed_as_the_engine_trims_them():
    df = pd.DataFrame({" a ": [1, 2], "b": ["x", "y"]})
    assert dataframe_csv(df) == b"a,b\n1,x\n2,y\n"
    assert Mlcycle(df, target=" a ").target == "a"
    with pytest.raises(ValueError, match="repeats column names: a"):
        Mlcycle(pd.DataFrame({" a": [1], "a ": [2]}))


def test_numbers_as_names_are_written_as_a_header():
    # The widget tells the engine the first line is a header (www/widget.js READ_OPTIONS).
    df = pd.DataFrame(np.arange(6.0).reshape(3, 2))
    assert dataframe_csv(df) == b"0,1\n0.0,1.0\n2.0,3.0\n4.0,5.0\n"
    assert Mlcycle(df, target=1).target == "1"


@pytest.mark.parametrize("value, error, message", [
    (pd.Series([1, 2]), TypeError, "takes a pandas DataFrame, not Series"),
    ([[1, 2]], TypeError, "not list"),
    (pd.DataFrame(), ValueError, "no columns"),
    (pd.DataFrame({"a": []}), ValueError, "no rows"),
    (pd.DataFrame([[1, 2]], columns=["a", "a"]), ValueError, "repeats column names: a"),
])
def test_bad_dataframes_are_refused(value, error, message):
    with pytest.raises(error, match=message):
        Mlcycle(value)


def test_bad_target_and_seed_are_refused():
    df = pd.read_csv(IRIS)
    with pytest.raises(ValueError, match='no column "kind"'):
        Mlcycle(df, target="kind")
    for seed in (-1, 2**53, 1.5, True, np.float64(3), np.int64(-1)):
        with pytest.raises(ValueError, match="seed must be a whole number"):
            Mlcycle(df, seed=seed)
    for seed in (np.int64(3), np.uint8(3), 3):
        w = Mlcycle(df, seed=seed)
        assert w.seed == 3 and type(w.seed) is int


def test_the_engine_and_the_data_go_to_the_browser_as_binary_buffers():
    w = Mlcycle(pd.read_csv(IRIS), target="species", seed=7)
    # The package's static/, or the folder MLCYCLE_WIDGET_STATIC names (make test-notebook's test bundle).
    static = mlcycle_widget._STATIC
    assert w._wasm == (static / "mlcycle_bg.wasm").read_bytes()
    assert w._wasm[:4] == b"\0asm"
    # The worker bundle is the page's worker, waiting for the bytes' blob: URL.
    assert "globalThis.mlcycleWasmSource" in w._worker_js
    # The widget's module is one file (a blob: module resolves no import) with a default export.
    esm = str(w._esm)
    assert re.search(r"^export \{\n  widget_default as default,", esm, re.M)
    assert not re.search(r"^import ", esm, re.M)
    state, _paths, buffers = _remove_buffers(w.get_state())
    sent = {bytes(b) for b in buffers}
    assert w._wasm in sent and IRIS.read_bytes() in sent
    assert "_wasm" not in state and "_csv" not in state
    assert state["target"] == "species" and state["seed"] == 7 and state["manifest_text"] == ""
    # The read-only dict is Python's own view, never sent.
    assert "manifest" not in state


def test_the_browser_files_come_from_the_package_unless_mlcycle_widget_static_names_a_folder(tmp_path, monkeypatch):
    package = pathlib.Path(mlcycle_widget.__file__).resolve().parent / "static"
    monkeypatch.delenv("MLCYCLE_WIDGET_STATIC", raising=False)
    assert mlcycle_widget._static_dir().resolve() == package
    monkeypatch.setenv("MLCYCLE_WIDGET_STATIC", "")
    assert mlcycle_widget._static_dir().resolve() == package
    monkeypatch.setenv("MLCYCLE_WIDGET_STATIC", str(tmp_path))
    assert mlcycle_widget._static_dir() == tmp_path
    # A folder without the engine is named in the error, not the package's folder.
    for name in ("widget.js", "widget.css"):
        (tmp_path / name).write_bytes((mlcycle_widget._STATIC / name).read_bytes())
    made = subprocess.run([sys.executable, "-c", "import pandas as pd, mlcycle_widget; mlcycle_widget.Mlcycle(pd.DataFrame({'a': [1]}))"],
                          capture_output=True, text=True)
    assert made.returncode != 0
    assert f"{tmp_path / 'mlcycle_bg.wasm'} is missing: MLCYCLE_WIDGET_STATIC names {tmp_path}, which holds no built widget" in made.stderr, made.stderr


def test_target_defaults_to_none_for_the_widget_to_choose():
    w = Mlcycle(pd.read_csv(IRIS))
    assert w.target is None


def test_manifest_follows_the_text_the_widget_sends(tmp_path):
    w = Mlcycle(pd.read_csv(IRIS), target="species")
    assert w.manifest is None
    with pytest.raises(RuntimeError, match="press Train"):
        w.save(tmp_path / "run.json")
    text = '{"schema":"mlcycle.run/1","config":{"target":"species","seed":0.1}}'
    w.manifest_text = text
    assert w.manifest == {"schema": "mlcycle.run/1", "config": {"target": "species", "seed": 0.1}}
    with pytest.raises(Exception, match="read-only"):
        w.manifest = {}
    w.save(tmp_path / "run.json", tmp_path / "data.csv")
    assert (tmp_path / "run.json").read_text() == text
    assert (tmp_path / "data.csv").read_bytes() == w.csv_bytes
    w.manifest_text = ""
    assert w.manifest is None


def test_a_new_target_clears_the_last_run(tmp_path):
    w = Mlcycle(pd.read_csv(IRIS), target="species")
    w.manifest_text = '{"config":{"target":"species"}}'
    w.target = "species"
    assert w.manifest is not None
    w.target = "petal_width"
    assert w.manifest is None and w.manifest_text == ""
    with pytest.raises(RuntimeError, match="a new target needs a new Train"):
        w.save(tmp_path / "run.json")
    assert not (tmp_path / "run.json").exists()


def test_save_after_a_failed_training_says_why():
    w = Mlcycle(pd.read_csv(IRIS), target="species")
    w.error = 'target "species" has only one class ("setosa")'
    with pytest.raises(RuntimeError, match=r'no run to save: the widget\'s last error \(w.error\) was: target "species" has only one class'):
        w.save("run.json")


@pytest.mark.skipif(not BIN.exists(), reason=f"the mlcycle command is not built ({BIN})")
def test_a_manifest_of_the_widgets_bytes_replays_from_what_save_writes(tmp_path):
    # The native command trains on the bytes the widget sends; what save()
    # writes back from the manifest's text replays bit for bit.
    df = pd.read_csv(IRIS).sample(frac=1, random_state=3)
    w = Mlcycle(df, target="species")
    (tmp_path / "in.csv").write_bytes(w.csv_bytes)
    run = subprocess.run([str(BIN), "run", "in.csv", "--target", "species", "--search", "none", "--out", "made.json"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    w.manifest_text = (tmp_path / "made.json").read_text()
    assert w.manifest["config"]["target"] == "species"
    w.save(tmp_path / "run.json", tmp_path / "data.csv")
    replay = subprocess.run([str(BIN), "replay", "run.json", "data.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    # Other bytes (the same rows unshuffled) are refused: the digest is of these bytes.
    (tmp_path / "other.csv").write_bytes(IRIS.read_bytes())
    other = subprocess.run([str(BIN), "replay", "run.json", "other.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert other.returncode == 4, other.stdout + other.stderr
