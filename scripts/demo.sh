#!/usr/bin/env bash
# Runs My Pathways with a demo office on the embedded SQLite database at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export MYPATHWAYS_ENV=development
.venv/bin/python -m app migrate
.venv/bin/python -m app seed-demo
cat <<'MSG'

  My Pathways is starting at http://127.0.0.1:8000

  Texts and emails are not sent in development: they appear at
  http://127.0.0.1:8000/dev/outbox once sign-in is available.

MSG
exec .venv/bin/python -m app serve --host 127.0.0.1 --port "${PORT:-8000}"
