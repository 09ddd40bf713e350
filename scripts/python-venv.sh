#!/usr/bin/env bash
# Create .venv/ at the repository root with the Python client (clients/python) and what its tests need:
# pytest, mypy, torch (CPU), transformers, trl, datasets, tensorboard. Fails, printing the pip command, when
# pip cannot install them: the Python tests must never be skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=.venv

# pip's configured extra indexes (a local package index on CI machines) become the index itself, so a package
# that is missing there fails at once instead of after slow retries against the public index.
index_args=()
extra=$("$PYTHON" -m pip config list 2>/dev/null | sed -n "s/^[a-z:]*\.extra-index-url='\(.*\)'$/\1/p" | head -n 1)
if [ -n "$extra" ]; then
  first=1
  for url in $extra; do
    if [ -n "$first" ]; then index_args+=(--index-url "$url"); first=; else index_args+=(--extra-index-url "$url"); fi
  done
fi

run() {
  echo "+ $*"
  if ! "$@"; then
    echo "python-venv.sh: FAILED: $*" >&2
    exit 1
  fi
}

[ -x "$VENV/bin/python" ] || run "$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
run "${PIP[@]}" install -q "${index_args[@]}" setuptools pytest mypy ruff torch transformers trl datasets tensorboard
run "${PIP[@]}" install -q "${index_args[@]}" ./clients/python
echo "python-venv.sh: $VENV ready ($("$VENV/bin/python" --version))"
