#!/usr/bin/env bash
# Production-like run on one machine: gunicorn, a Celery worker and Celery beat, against the
# PostgreSQL and Redis named by DATABASE_URL and REDIS_URL. In a real deployment each of the three
# runs under a process supervisor, web and worker on as many machines as needed, beat exactly once.
set -euo pipefail
: "${DATABASE_URL:?make serve needs DATABASE_URL (PostgreSQL); see .env.example}"
: "${REDIS_URL:?make serve needs REDIS_URL; see .env.example}"
export DEBUG="${DEBUG:-0}"
# The virtualenv installed from requirements-production.txt (make serve passes it).
VENV="${VENV:-.venv-production}"
PY=$VENV/bin/python
PORT="${PORT:-8000}"

$PY manage.py check --deploy --fail-level ERROR
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM
$VENV/bin/celery -A alpclusters worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" &
pids+=($!)
$VENV/bin/celery -A alpclusters beat --loglevel=INFO --schedule="${CELERY_BEAT_SCHEDULE_FILE:-/tmp/alpclusters-celerybeat-schedule}" &
pids+=($!)
# The control socket lives under $HOME by default, which a service account or CI may not have.
# No access log: the portal logs each request itself (JSON, with its id, secrets in paths masked).
$VENV/bin/gunicorn alpclusters.wsgi --bind "0.0.0.0:$PORT" --workers "${WEB_CONCURRENCY:-2}" \
  --no-control-socket &
pids+=($!)
wait -n
