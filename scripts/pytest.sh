#!/usr/bin/env bash
# The whole suite on the database DATABASE_URL names (SQLite when unset), browser tests included.
# Usage: scripts/pytest.sh LABEL [PYTEST ARGS...]
set -uo pipefail
label=$1; shift
cd "$(dirname "$0")/.."
echo "== test suite on $label =="
start=$(date +%s)
.venv/bin/pytest -n 2 -q "$@"
status=$?
echo "== $label: exit $status in $(( $(date +%s) - start )) s =="
if [ $status -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
fi
exit $status
