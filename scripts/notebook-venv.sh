#!/usr/bin/env bash
# Makes target/notebook-venv for the Jupyter tests: JupyterLab and the rest
# pinned in tests/notebook/requirements.txt, then python/ (mlcycle_widget),
# editable, so the kernel imports the package from the work tree. Redone only
# when the requirements change.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/notebook-venv
req=tests/notebook/requirements.txt
if [ ! -x "$venv/bin/jupyter-lab" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
  echo "notebook-venv: creating $venv (about a minute)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$venv/requirements.txt"
fi
if ! "$venv/bin/pip" show --quiet mlcycle-widget 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -e python
fi
