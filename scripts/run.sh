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

# A pool per kind of work, as docker-compose.yml runs them (studio/settings.py QUEUES): status
# reads never wait behind sends or downloads, nor anything behind a render or a burst of
# e-mails. Beat rides along with the first.
worker() {  # worker NAME QUEUES CONCURRENCY [EXTRA...]
  local name=$1 queues=$2 concurrency=$3; shift 3
  $BIN/celery -A studio worker -Q "$queues" --concurrency="$concurrency" --loglevel=INFO \
    --hostname="$name@%h" "$@" >>var/worker.log 2>&1 &
  pids+=($!)
}
: >var/worker.log
worker sends submit,housekeeping 2 --beat
worker status follow 2
worker mail email 1
worker bytes download 2
worker render render 1
$BIN/python manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

sleep 1
cat <<MSG

  Shot Studio is running at http://$HOST:$PORT/
  $demo
  Worker log: var/worker.log — press Ctrl-C to stop everything.

MSG
wait -n "${pids[@]}"
