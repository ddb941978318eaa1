#!/usr/bin/env bash
# PostgreSQL restarted during a short load, on a private cluster (the shared server is left alone):
# clients must get 503 + Retry-After (JSON), nothing half written, and service resumes by itself.
#   bash bench/fault_pg_restart.sh [--seconds 20] [--restart-at 5] [--clients 10]
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/fault_pg_restart.py "$@"
