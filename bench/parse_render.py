"""Time parsing and rendering on the real-world header corpus (run by hand, not in CI).

    .venv/bin/python bench/parse_render.py [--rounds 7]

Prints the median time per operation over interleaved rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from secheaders import ContentSecurityPolicy, SecurityPolicy, parse_csp

CORPUS = json.loads(
    (Path(__file__).parent.parent / "tests" / "data" / "real_world_headers.json").read_text()
)
CSP_VALUES = [e["value"] for e in CORPUS if e["header"] == "Content-Security-Policy"]
PAIRS = [(e["header"], e["value"]) for e in CORPUS]
POLICIES = [SecurityPolicy.from_headers([pair]) for pair in PAIRS]
TYPICAL_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'nonce-r4nd0mR4nd0mR4nd0m=='", "'strict-dynamic'", "https:", "'unsafe-inline'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "img-src": ["'self'", "data:", "https://images.example"],
    "frame-ancestors": ["'self'"],
    "report-to": "csp",
}


def parse_all_csp() -> None:
    for value in CSP_VALUES:
        parse_csp(value)


def read_all_headers() -> None:
    for pair in PAIRS:
        SecurityPolicy.from_headers([pair])


def render_all() -> None:
    for policy in POLICIES:
        policy.to_headers()


def validate_typical_csp() -> None:
    ContentSecurityPolicy.model_validate(TYPICAL_CSP)


CASES: dict[str, tuple[Callable[[], None], int]] = {
    f"parse_csp, per policy ({len(CSP_VALUES)} real CSP values)": (parse_all_csp, len(CSP_VALUES)),
    f"SecurityPolicy.from_headers, per header ({len(PAIRS)} values)": (
        read_all_headers,
        len(PAIRS),
    ),
    f"to_headers, per parsed header ({len(POLICIES)} policies)": (render_all, len(POLICIES)),
    "ContentSecurityPolicy.model_validate, typical 7-directive policy": (validate_typical_csp, 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, (func, per_call) in CASES.items():
            start = time.thread_time()
            for _ in range(args.repeat):
                func()
            elapsed = time.thread_time() - start
            samples[name].append(elapsed / (args.repeat * per_call) * 1e6)
    for name, values in samples.items():
        print(f"{statistics.median(values):9.1f} µs  {name}")


if __name__ == "__main__":
    main()
