#!/usr/bin/env bash
# Development server with the background worker beside it; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8000}
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker --interval 1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo "Open http://$host:$port/ (background worker pid $worker)"
.venv/bin/python manage.py runserver "$host:$port"
