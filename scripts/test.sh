#!/usr/bin/env bash
# The whole test suite on a fresh machine: a virtualenv with docgate and its dev tools,
# then lint (ruff), types (mypy) and the tests (pytest, against the embedded SecantusDB).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k rest -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[embedded,dev]'
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
