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
import numbers
import os
import pathlib
from typing import Any

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
    """The CSV bytes the engine reads for ``df``: UTF-8, ``\\n`` line ends,
    a header of one line, comma-separated.

    A named or multi-level index, or a DatetimeIndex, is kept as columns
    (an unnamed DatetimeIndex as "index", as ``reset_index`` names it); any
    other unnamed index (the default 0, 1, 2, …) is left out. Column names
    are written as the engine reads them: as text, without leading or
    trailing spaces, and tuple names (MultiIndex columns) with their
    non-empty levels joined by "_" (``("a", "x")`` is "a_x"). Missing values
    become empty fields, the only fields the widget reads as missing; floats
    are written with pandas' shortest round-trip text, so no digit is lost.
    """
    return _frame_csv(df)[0]


def _column_name(name: Any) -> str:
    """A column name as the engine reads it from the CSV ``_frame_csv`` writes."""
    if isinstance(name, tuple):
        return "_".join(text for text in (_level_text(level) for level in name) if text)
    return str(name).strip()


def _level_text(level: Any) -> str:
    import pandas as pd

    if level is None or (not isinstance(level, (str, tuple)) and pd.isna(level)):
        return ""
    return str(level).strip()


def _frame_csv(df: Any) -> "tuple[bytes, list[str]]":
    """``dataframe_csv``'s bytes, and the column names the engine reads."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"Mlcycle takes a pandas DataFrame, not {type(df).__name__}")
    if df.shape[1] == 0:
        raise ValueError("the DataFrame has no columns: there is nothing to profile")
    if df.shape[0] == 0:
        raise ValueError("the DataFrame has no rows: there is nothing to profile")
    names = [_column_name(c) for c in df.columns]
    body = df.reset_index(drop=True)
    body.columns = range(len(names))
    index = df.index
    if any(n is not None for n in index.names) or isinstance(index, (pd.MultiIndex, pd.DatetimeIndex)):
        # reset_index's names for unnamed levels, without its refusal of a
        # name a column has (said below in our words).
        if isinstance(index, pd.MultiIndex):
            index_names = [f"level_{i}" if n is None else _column_name(n) for i, n in enumerate(index.names)]
        else:
            unnamed = "level_0" if "index" in names else "index"
            index_names = [unnamed if index.name is None else _column_name(index.name)]
        for given, name in zip(index.names, index_names):
            if given is not None and name in names:
                raise ValueError(
                    f'the index is named "{name}", like a column: rename the index '
                    f'(df.rename_axis("{name}_index")) or leave it out (df.reset_index(drop=True))'
                )
        levels = index.to_frame(index=False)
        levels.columns = range(len(index_names))
        body = pd.concat([levels, body], axis=1, ignore_index=True)
        names = index_names + names
    if len(set(names)) != len(names):
        repeated = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(
            f"the DataFrame repeats column names: {', '.join(repeated)} "
            "(compared as the engine reads them: as text, spaces at either end dropped, tuple levels joined by \"_\")"
        )
    body.columns = names
    return body.to_csv(index=False, lineterminator="\n").encode("utf-8"), names


class Mlcycle(anywidget.AnyWidget):
    """mlcycle's profile, training and manifest for a DataFrame, in a cell.

    ``target``: the column to predict (default: the last column; it can be
    changed in the widget), named as in ``df`` (a tuple for MultiIndex
    columns) or as the engine reads it (see ``dataframe_csv``); ``w.target``
    holds the engine's name. ``seed``: the run's seed (the page's default,
    42), any whole number (``numpy.int64`` too) from 0 to 2**53 - 1.

    A new target (``w.target = …``, or one chosen in the widget) clears
    ``manifest`` and ``manifest_text``: ``save`` then needs a new Train.
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

    def __init__(self, df: Any, target: Any = None, *, seed: int = 42,
                 file_name: str = "dataframe.csv", **kwargs: Any) -> None:
        csv, names = _frame_csv(df)
        if target is not None:
            if _column_name(target) not in names:
                raise ValueError(f'the DataFrame has no column "{target}" to predict')
            target = _column_name(target)
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or not 0 <= seed <= 2**53 - 1:
            raise ValueError(f"seed must be a whole number from 0 to {2**53 - 1}, not {seed!r}")
        seed = int(seed)
        super().__init__(
            _wasm=_static_file("mlcycle_bg.wasm").read_bytes(),
            _worker_js=_static_file("engine-worker.js").read_text(encoding="utf-8"),
            _csv=csv,
            file_name=file_name,
            target=target,
            seed=seed,
            **kwargs,
        )

    @traitlets.observe("target")
    def _target_changed(self, change: dict) -> None:
        # The run was for the old target: save() must not write it as this one's.
        if change["old"] is not None and change["new"] != change["old"]:
            self.manifest_text = ""

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
        bytes), for ``mlcycle replay MANIFEST DATA``. The run is the last
        Train's for the current target (a new target needs a new Train)."""
        if not self.manifest_text:
            if self.error:
                raise RuntimeError(f"no run to save: the widget's last error (w.error) was: {self.error}")
            raise RuntimeError("no run yet: press Train in the widget first (a new target needs a new Train)")
        pathlib.Path(manifest_path).write_text(self.manifest_text, encoding="utf-8")
        if data_path is not None:
            pathlib.Path(data_path).write_bytes(self._csv)

