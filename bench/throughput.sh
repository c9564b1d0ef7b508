#!/usr/bin/env bash
# Requests per second through gunicorn on 127.0.0.1 with a bounded wrk load (run by hand).
#   apt-get install -y wrk && .venv/bin/pip install gunicorn
#   bash bench/throughput.sh [seconds per run, default 5] [rounds, default 7]
#
# Each round runs every app once, in another order each round: gunicorn (one sync worker)
# pinned to CPU 1 and wrk (one thread, 8 connections) pinned to CPU 0, so the two do not
# trade places on the cores. Prints every run, then per app the median requests per second
# and the median of its per-round share of bare Flask's figure.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-7}
PORT=18731
APPS=(bare constant_headers secheaders_no_nonce secheaders_nonce)
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
for round in $(seq "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#APPS[@]} ))
  order=("${APPS[@]:$shift_by}" "${APPS[@]:0:$shift_by}")
  for app in "${order[@]}"; do
    taskset -c 1 .venv/bin/gunicorn --chdir bench --bind "127.0.0.1:$PORT" --workers 1 \
      --log-level warning "wsgi_apps:$app" &
    pid=$!
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
    rps=$(taskset -c 0 wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" -H "X-Forwarded-Proto: https" \
      "http://127.0.0.1:$PORT/" | awk '/Requests\/sec/ {print $2}')
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "round $round  $app  $rps req/s"
    echo "$round $app $rps" >> "$RESULTS"
  done
done
.venv/bin/python - "$RESULTS" <<'EOF'
import statistics
import sys
from collections import defaultdict

runs = defaultdict(dict)
for line in open(sys.argv[1]):
    round_, app, rps = line.split()
    runs[app][round_] = float(rps)
bare = runs["bare"]
print(f"\n{'app':22} {'median req/s':>12} {'share of bare (median of rounds)':>34}")
for app, by_round in runs.items():
    shares = [rps / bare[r] for r, rps in by_round.items()]
    print(f"{app:22} {statistics.median(by_round.values()):12.0f} {statistics.median(shares):34.1%}")
EOF
