#!/usr/bin/env bash
# Everything My Pathways needs, on a fresh Debian machine with Python 3.11 and Node:
# a virtualenv with the Python packages, the npm packages, the built front end and the
# compiled translations. With --test, also Debian's Chromium and PostgreSQL binaries.
# Safe to run again: each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_tools=false
[ "${1:-}" = "--test" ] && want_test_tools=true

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v python3.11 >/dev/null || missing+=(python3.11)
# Debian splits venv/ensurepip out of python3.11, and npm out of nodejs.
python3.11 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3.11-venv)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if $want_test_tools; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp() { sha256sum "$@" | sha256sum | cut -c1-16; }

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtualenv in .venv"
  python3.11 -m venv .venv
fi
# The lock files pin every package with its hashes (scripts/lock.sh writes them); the
# project itself goes in editable, without dependencies, so nothing unpinned slips in.
py_stamp=$(stamp pyproject.toml requirements-dev.lock)
if [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$py_stamp" ]; then
  echo "==> Installing Python packages (requirements-dev.lock)"
  # pip's output only when it fails: setuptools' notes on editable installs are noise here.
  quiet_pip() {
    local out
    out=$(.venv/bin/python -m pip --quiet "$@" 2>&1) || { echo "$out" >&2; return 1; }
  }
  quiet_pip install --upgrade pip
  quiet_pip install --require-hashes -r requirements-dev.lock
  quiet_pip install --no-deps --no-build-isolation -e .
  .venv/bin/python -c "import fastapi, sqlmodel, playwright" # fail loudly if the install did not work
  echo "$py_stamp" > .venv/.setup-stamp
fi

npm_stamp=$(stamp pwa/package.json pwa/package-lock.json)
if [ "$(cat pwa/node_modules/.setup-stamp 2>/dev/null)" != "$npm_stamp" ]; then
  echo "==> Installing npm packages"
  (cd pwa && npm ci --no-audit --no-fund --loglevel=error)
  echo "$npm_stamp" > pwa/node_modules/.setup-stamp
fi

echo "==> Building the front end"
(cd pwa && node build.mjs)

echo "==> Compiling translations"
.venv/bin/pybabel compile -d app/translations 2>&1 | grep -v "^compiling catalog" || true
