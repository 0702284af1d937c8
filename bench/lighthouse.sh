#!/usr/bin/env bash
# Lighthouse (mobile) on pages of a running app; prints scores and bytes transferred.
# Usage: bash bench/lighthouse.sh [BASE_URL] [PATH ...]   (default: a fresh demo on port 8130)
set -euo pipefail
cd "$(dirname "$0")/.."
tools=bench/.tools/lighthouse
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tools" && (cd "$tools" && printf "{\"name\":\"lighthouse-runner\",\"private\":true}" > package.json && npm install --no-audit --no-fund --loglevel=error lighthouse)
fi
base=${1:-}
server_pid=""
if [ -z "$base" ]; then
  db=$(mktemp -d)/lighthouse.db
  export MYPATHWAYS_DATABASE_URL="sqlite:///$db"
  .venv/bin/python -m app migrate >/dev/null 2>&1
  .venv/bin/python -m app seed-demo >/dev/null
  .venv/bin/python -m app serve --port 8130 >/dev/null 2>&1 &
  server_pid=$!
  trap '[ -n "$server_pid" ] && kill $server_pid' EXIT
  base=http://127.0.0.1:8130
  for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
fi
shift || true
paths=("$@"); [ ${#paths[@]} -gt 0 ] || paths=(/ /about /urgent-help /sign-in)
flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"
printf '%-16s %6s %6s %6s %10s %8s\n' page perf a11y bp bytes requests
for path in "${paths[@]}"; do
  out=$(mktemp)
  CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "$base$path" --quiet \
    --chrome-flags="$flags" --only-categories=performance,accessibility,best-practices \
    --form-factor=mobile --output=json --output-path="$out" >/dev/null 2>&1
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const c = r.categories;
    const items = r.audits["network-requests"].details.items;
    const bytes = items.reduce((sum, i) => sum + (i.transferSize || 0), 0);
    console.log([process.argv[2].padEnd(16), c.performance.score.toFixed(2).padStart(6),
      c.accessibility.score.toFixed(2).padStart(6), c["best-practices"].score.toFixed(2).padStart(6),
      String(bytes).padStart(10), String(items.length).padStart(8)].join(" "));
  ' "$out" "$path"
  rm -f "$out"
done
