#!/usr/bin/env bash
# Sustained load on the filtered catalog with wrk (Debian's package), on loopback, bounded in time.
# Prints requests/s and latency percentiles; fails if any request errored or was not a 200.
#   scripts/loadtest.sh [base-url]      DURATION=30s CONNECTIONS=16 THREADS=2 to change the load;
#   MISS_EVERY=5 makes every 5th request a new search (a page-cache miss); 0 for none.
# Starts `make serve` itself when nothing answers at the base URL, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-http://127.0.0.1:8000}
duration=${DURATION:-30s}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 1
  fi
fi

server_pid=""
if ! curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then
  mkdir -p var
  echo "Starting make serve (log: var/serve.log)…"
  hostport=${base#*://}
  GUNICORN_ACCESS_LOG="" setsid make serve HOST="${hostport%:*}" PORT="${hostport##*:}" >var/serve.log 2>&1 &
  server_pid=$!
  trap '[ -n "$server_pid" ] && kill -- -"$server_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -o /dev/null "$base/healthz" || { echo "the server did not come up; see var/serve.log" >&2; exit 1; }
fi

echo "wrk: ${THREADS:-2} threads, ${CONNECTIONS:-16} connections, $duration on $base/en/features/ with filters," \
  "a new search every ${MISS_EVERY:-5} requests (0: never)"
report=$(wrk --threads "${THREADS:-2}" --connections "${CONNECTIONS:-16}" --duration "$duration" \
  --timeout 5s --latency --script scripts/catalog.lua "$base" -- "${MISS_EVERY:-5}")
echo "$report"

if grep -qE "Socket errors|Non-2xx or 3xx responses" <<<"$report" \
  || ! grep -q "Responses other than 200: 0$" <<<"$report"; then
  echo "FAILED: some requests errored (see above)." >&2
  exit 1
fi
echo "OK: no errors."
