"""mlcycle in a Jupyter cell.

``Mlcycle(df, target="species")`` shows the profile of a pandas DataFrame with
its data-quality alerts, and a Train button that runs mlcycle's default
search; once trained, ``w.manifest`` holds the run's manifest, which
``mlcycle replay`` reproduces bit for bit on the same CSV bytes
(``w.save(run_path, data_path)`` writes both).

The work is done in the browser by the same engine as mlcycle's page: the
WebAssembly build in a Web Worker, sent to the notebook with the widget (no
network is used). Python turns the DataFrame into CSV bytes and gets the
manifest back; it computes nothing itself.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any, Optional

import anywidget
import traitlets

__all__ = ["Mlcycle", "dataframe_csv"]

# The browser files: static/ beside this file, built by `make widget` and
# shipped by pip. MLCYCLE_WIDGET_STATIC, when set, names another folder of the
# same four files, read instead: the repository's `make test-notebook` sets it
# to target/widget-test, where the test wasm build is bundled, so the tests
# need no release build and the package's folder never holds a test build.
# Read once, at import (anywidget reads the class's _esm and _css then).
_PACKAGE_STATIC = pathlib.Path(__file__).parent / "static"


def _static_dir() -> pathlib.Path:
    named = os.environ.get("MLCYCLE_WIDGET_STATIC")
    return pathlib.Path(named) if named else _PACKAGE_STATIC


_STATIC = _static_dir()


def _static_file(name: str) -> pathlib.Path:
    path = _STATIC / name
    if not path.is_file():
        if _STATIC != _PACKAGE_STATIC:
            raise FileNotFoundError(f"{path} is missing: MLCYCLE_WIDGET_STATIC names {_STATIC}, which holds no built widget")
        raise FileNotFoundError(
            f"{path} is missing: the widget's browser files are built by `make widget` "
            "in the mlcycle repository (they are not in git)"
        )
    return path


def dataframe_csv(df: Any) -> bytes:
    """The CSV bytes the engine reads for ``df``: UTF-8, ``\\n`` line ends.

    A named or multi-level index is kept as columns (``reset_index``); the
    default 0, 1, 2, … index is left out. Missing values become empty
    fields, which the engine reads as missing; floats are written with
    pandas' shortest round-trip text, so no digit is lost.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"Mlcycle takes a pandas DataFrame, not {type(df).__name__}")
    if df.shape[1] == 0:
        raise ValueError("the DataFrame has no columns: there is nothing to profile")
    if df.shape[0] == 0:
        raise ValueError("the DataFrame has no rows: there is nothing to profile")
    if any(name is not None for name in df.index.names) or isinstance(df.index, pd.MultiIndex):
        df = df.reset_index()
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names):
        repeated = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"the DataFrame repeats column names: {', '.join(repeated)}")
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


class Mlcycle(anywidget.AnyWidget):
    """mlcycle's profile, training and manifest for a DataFrame, in a cell.

    ``target``: the column to predict (default: the last column; it can be
    changed in the widget). ``seed``: the run's seed (the page's default, 42).
    """

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"

    # The engine, sent with the widget (Jupyter serves no files of ours).
    _wasm = traitlets.Bytes(b"").tag(sync=True)
    _worker_js = traitlets.Unicode("").tag(sync=True)
    # The data as the engine reads it.
    _csv = traitlets.Bytes(b"").tag(sync=True)
    file_name = traitlets.Unicode("dataframe.csv").tag(sync=True)
    target = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    seed = traitlets.Int(42).tag(sync=True)
    #: The manifest's exact text (canonical JSON), set by the widget after a training.
    manifest_text = traitlets.Unicode("").tag(sync=True)
    #: The last error the widget showed ("" when none).
    error = traitlets.Unicode("").tag(sync=True)
    #: The manifest as a dict (None until a training finishes).
    manifest = traitlets.Instance(dict, allow_none=True, read_only=True)

    def __init__(self, df: Any, target: Optional[str] = None, *, seed: int = 42,
                 file_name: str = "dataframe.csv", **kwargs: Any) -> None:
        csv = dataframe_csv(df)
        if target is not None and str(target) not in {str(c) for c in _columns(df)}:
            raise ValueError(f'the DataFrame has no column "{target}" to predict')
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 2**53 - 1:
            raise ValueError(f"seed must be a whole number from 0 to {2**53 - 1}, not {seed!r}")
        super().__init__(
            _wasm=_static_file("mlcycle_bg.wasm").read_bytes(),
            _worker_js=_static_file("engine-worker.js").read_text(encoding="utf-8"),
            _csv=csv,
            file_name=file_name,
            target=None if target is None else str(target),
            seed=seed,
            **kwargs,
        )

    @traitlets.observe("manifest_text")
    def _manifest_changed(self, change: dict) -> None:
        text = change["new"]
        self.set_trait("manifest", json.loads(text) if text else None)

    @property
    def csv_bytes(self) -> bytes:
        """The exact bytes the engine read (the manifest's data digest is theirs)."""
        return self._csv

    def save(self, manifest_path: "os.PathLike[str] | str", data_path: "os.PathLike[str] | str | None" = None) -> None:
        """Writes the manifest's exact text (and, with ``data_path``, the CSV
        bytes), for ``mlcycle replay MANIFEST DATA``."""
        if not self.manifest_text:
            raise RuntimeError("no run yet: press Train in the widget first")
        pathlib.Path(manifest_path).write_text(self.manifest_text, encoding="utf-8")
        if data_path is not None:
            pathlib.Path(data_path).write_bytes(self._csv)


def _columns(df: Any) -> list:
    import pandas as pd

    if any(name is not None for name in df.index.names) or isinstance(df.index, pd.MultiIndex):
        df = df.reset_index()
    return list(df.columns)
