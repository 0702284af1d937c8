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

  Sign in as a client:  http://127.0.0.1:8000/sign-in with 07700 900101 (or 900100 ... 900139;
                        900100 is a Welsh speaker and sees everything in Welsh).
                        Texts are not sent in development: read the code at
                        http://127.0.0.1:8000/dev/outbox
  Sign in as an adviser: http://127.0.0.1:8000/adviser/sign-in
                        adviser1@example.org, password demo-adviser-password, and the
                        authenticator code shown at http://127.0.0.1:8000/dev/outbox
  Sign in as an admin:  admin@example.org, same password and code.

MSG
exec .venv/bin/python -m app serve --host 127.0.0.1 --port "${PORT:-8000}"
