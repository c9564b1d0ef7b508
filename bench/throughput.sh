#!/usr/bin/env bash
# Requests per second through gunicorn on 127.0.0.1 with a bounded wrk load (run by hand).
#   apt-get install -y wrk && .venv/bin/pip install gunicorn
#   bash bench/throughput.sh [seconds per run, default 5] [rounds, default 7]
#
# Each round runs every app once, in another order each round: gunicorn (one sync worker)
# pinned to CPU 1 and wrk (one thread, 8 connections) pinned to CPU 0, so the two do not
# trade places on the cores. Besides wrk's requests per second it reads the worker's CPU time
# (/proc/PID/stat) before and after the load: CPU time per request leaves out the moments a
# shared virtual machine's host gives the core to someone else, which move requests per
# second by tens of percent from run to run there. Prints every run, then per app the
# medians of both figures and of their per-round shares of bare Flask's.
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
    worker=$(pgrep -P "$pid" | head -1)
    before=$(awk '{print $14 + $15}' "/proc/$worker/stat")
    out=$(taskset -c 0 wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" -H "X-Forwarded-Proto: https" \
      "http://127.0.0.1:$PORT/")
    after=$(awk '{print $14 + $15}' "/proc/$worker/stat")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    cpu_us=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
      'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    echo "round $round  $app  $rps req/s  $cpu_us µs CPU/request"
    echo "$round $app $rps $cpu_us" >> "$RESULTS"
  done
done
.venv/bin/python - "$RESULTS" <<'EOF'
import statistics
import sys
from collections import defaultdict

runs = defaultdict(dict)
cpu = defaultdict(dict)
for line in open(sys.argv[1]):
    round_, app, rps, cpu_us = line.split()
    runs[app][round_] = float(rps)
    cpu[app][round_] = float(cpu_us)
print(f"\n{'':22} {'req/s':>8} {'share':>7}   {'CPU µs/req':>10} {'bare/app':>9}")
for app, by_round in runs.items():
    shares = [rps / runs["bare"][r] for r, rps in by_round.items()]
    cpu_shares = [cpu["bare"][r] / us for r, us in cpu[app].items()]
    print(
        f"{app:22} {statistics.median(by_round.values()):8.0f} {statistics.median(shares):7.1%}"
        f"   {statistics.median(cpu[app].values()):10.1f} {statistics.median(cpu_shares):9.1%}"
    )
EOF
