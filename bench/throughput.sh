#!/usr/bin/env bash
# Requests per second through gunicorn on 127.0.0.1 with a bounded wrk load (run by hand).
#   apt-get install -y wrk && .venv/bin/pip install gunicorn
#   bash bench/throughput.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
PORT=18731
APPS="bare constant_headers secheaders_no_nonce secheaders_nonce"
for round in $(seq "$ROUNDS"); do
  for app in $APPS; do
    .venv/bin/gunicorn --chdir bench --bind "127.0.0.1:$PORT" --workers 1 --log-level warning \
      "wsgi_apps:$app" &
    pid=$!
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
    rps=$(wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" -H "X-Forwarded-Proto: https" \
      "http://127.0.0.1:$PORT/" | awk '/Requests\/sec/ {print $2}')
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "round $round  $app  $rps req/s"
  done
done
