#!/usr/bin/env bash
# Production: migrate, collect the static files, refuse to start unless `check --deploy` is
# clean, then run gunicorn and the task workers side by side. Ctrl-C or SIGTERM stops them all,
# and so does any one of them dying (so a supervisor such as systemd sees the failure and
# restarts the whole set).
#
# Settings come from the environment or .env (README, "Configuration and production"):
# DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL… and here:
#   HOST, PORT      where gunicorn listens (127.0.0.1:8000), behind the TLS reverse proxy
#   WEB_WORKERS     gunicorn's sync worker processes (default 2 × cores + 1)
#   TASK_WORKERS    `manage.py db_worker` processes (default 1; 0 runs none here)
#   PYTHON          the interpreter (default .venv/bin/python)
#   GUNICORN_CMD_ARGS  any other gunicorn option, e.g. "--access-logfile -"
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
web_workers=${WEB_WORKERS:-$(( 2 * $(nproc) + 1 ))}
task_workers=${TASK_WORKERS:-1}

"$py" manage.py check --deploy --fail-level WARNING
"$py" manage.py migrate --noinput -v0
# The cache table for CACHE_URL=dbcache://… (a no-op with any other cache).
"$py" manage.py createcachetable
"$py" manage.py collectstatic --noinput -v0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$py" -m gunicorn config.wsgi --workers "$web_workers" --bind "$host:$port" \
  --graceful-timeout 20 &
pids+=($!)
for _ in $(seq 1 "$task_workers"); do
  "$py" manage.py db_worker --no-reload --interval 1 &
  pids+=($!)
done
echo "Serving http://$host:$port/ with $web_workers web workers and $task_workers task workers" \
  "(pids ${pids[*]})"
# Whichever process ends first ends the set: the EXIT trap stops the others.
status=0
wait -n "${pids[@]}" || status=$?
echo "A process of the set ended (status $status): stopping the others." >&2
exit "$status"
