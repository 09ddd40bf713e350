#!/usr/bin/env bash
# The Python client's tests (clients/python/tests) in .venv/ (made by scripts/python-venv.sh), against the real
# service. Without the venv: fails under CI=true; elsewhere says how to make it and skips. Extra arguments go to
# pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  echo "test-python.sh: no .venv/: run scripts/python-venv.sh first" >&2
  [ "${CI:-}" = "true" ] && exit 1
  echo "test-python.sh: Python client tests SKIPPED" >&2
  exit 0
fi
# Reinstall the client from the working tree (no dependencies, no download) so the tests see the current code.
"$PY" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation --no-index ./clients/python
cd clients/python
../../"$PY" -m mypy
../../.venv/bin/ruff check src tests bench
../../.venv/bin/ruff format --check src tests bench
exec ../../"$PY" -m pytest -q -p no:cacheprovider "$@"
