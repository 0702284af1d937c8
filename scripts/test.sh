#!/usr/bin/env bash
# The whole test suite: lint, types, Dockerfile lint, then pytest on SQLite and PostgreSQL
# (a throwaway cluster the tests start themselves) with real-browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export MYPATHWAYS_ENV=test

echo "==> ruff"
.venv/bin/ruff check .
echo "==> mypy"
.venv/bin/mypy
echo "==> hadolint"
.venv/bin/hadolint Dockerfile
echo "==> pytest"
exec .venv/bin/pytest "$@"
