#!/usr/bin/env bash
# Local studio: migrate, seed the demo, then web + Celery worker (with beat) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
# The demo lets visitors make an account; a real studio keeps sign-up off (the default).
export SIGNUP_ENABLED="${SIGNUP_ENABLED:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
BIN=.venv/bin

$BIN/python manage.py migrate --no-input -v0
demo=$($BIN/python manage.py seed_demo)

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A studio worker --beat --loglevel=INFO --concurrency=2 -Q celery,render \
  --hostname="local@%h" >var/worker.log 2>&1 &
pids+=($!)
$BIN/python manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

sleep 1
cat <<MSG

  Shot Studio is running at http://$HOST:$PORT/
  $demo
  Worker log: var/worker.log — press Ctrl-C to stop everything.

MSG
wait -n "${pids[@]}"
