#!/usr/bin/env bash
# Writes the hash-locked dependency files from pyproject.toml, for Python 3.11 to 3.13 on any
# platform (uv's universal resolution): requirements-dev.lock (runtime and dev, for setup.sh)
# and requirements.lock (runtime only, for the Dockerfile), the latter held to the former's
# versions so the two never disagree. Pins already in the files are kept unless asked:
#   bash scripts/lock.sh                          # after editing pyproject.toml
#   bash scripts/lock.sh --upgrade                # move everything to the newest allowed
#   bash scripts/lock.sh --upgrade-package NAME   # move one package
set -euo pipefail
cd "$(dirname "$0")/.."

uv=.venv/bin/uv
[ -x "$uv" ] || { echo "No $uv: run scripts/setup.sh first" >&2; exit 1; }
compile() {
  "$uv" pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "bash scripts/lock.sh" --quiet "$@"
}
compile --extra dev -o requirements-dev.lock "$@"
# The dev lock's versions, without hashes, as constraints (read from stdin, so the annotations
# name no temporary file): the runtime lock takes those versions and hashes them itself.
sed -e '/^ *--hash/d' -e 's/ *\\$//' requirements-dev.lock |
  compile -c /dev/stdin -o requirements.lock "$@"
sed -i 's|^    #   -c /dev/stdin$|    #   -c requirements-dev.lock|' requirements.lock
