#!/usr/bin/env bash
# schemathesis against /api/v1/openapi.json of the app under gunicorn on 127.0.0.1, with demo data
# in a scratch SQLite database: no 5xx, status codes, content types and bodies as documented.
# Bounded: SCHEMATHESIS_MAX_EXAMPLES per operation (default 15), --max-time per pass.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORK=$(mktemp -d)
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export TRACKER_INSTANCE_PATH="$WORK" TRACKER_DATABASE_URL="sqlite:///$WORK/api.sqlite3"
.venv/bin/tracker demo --no-serve > /dev/null
SUPPORTER=$(.venv/bin/tracker users token insider.b | tail -1)
OFFICER=$(.venv/bin/tracker users token officer.b | tail -1)

TRACKER_BIND="127.0.0.1:$PORT" TRACKER_WORKERS=2 TRACKER_ACCESS_LOG=off TRACKER_LOG_LEVEL=WARNING \
  .venv/bin/tracker serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  $PY -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.2
done

# positive_data_acceptance is excluded: a schema-valid wing or staff name that does not exist here
# is rightly refused (422), and no schema can list a prison's wings.
run_pass() {
  local who=$1 token=$2; shift 2
  echo "-- as $who"
  .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" --checks all --exclude-checks positive_data_acceptance \
    -n "${SCHEMATHESIS_MAX_EXAMPLES:-15}" --generation-deterministic --max-time 40 \
    --request-timeout 10 --warnings off --no-color "$@"
}
status=0
run_pass supporter "$SUPPORTER" --exclude-path /queue --exclude-path-regex '/actions$' || status=1
run_pass officer "$OFFICER" --include-path /queue --include-path-regex '/actions$' || status=1
if [ "$status" -ne 0 ]; then
  echo "schemathesis found problems; server log tail:"; tail -40 "$WORK/server.log"
fi
exit $status
