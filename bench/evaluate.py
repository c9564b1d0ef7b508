"""CSP evaluations per second: secheaders against its Python peers (run by hand, not in CI).

    .venv/bin/pip install csp-toolkit drheader     # the peers, not dependencies
    .venv/bin/python bench/evaluate.py [--rounds 7] [--repeat 10] [--max-size 1000000]
                                       [--stat median|min]

Each evaluation takes the header value as a string, so parsing is included:

* secheaders: ``evaluate_csp(value)`` (``report_only=True`` for report-only values);
* secheaders at first sight (a third table): the same with every secheaders cache cleared
  first (``clear_caches()``), as in a new process; timed after the other tables, so the
  cleared caches slow no other case;
* csp-toolkit: ``analyze(policy) + find_bypasses(policy)`` on ``parse(value)``, its weakness
  checks and its allowlist bypasses (no live probing), as evaluate_csp's findings cover both;
* drheader: ``Drheader(headers={"Content-Security-Policy": value}).analyze(rules)`` with its
  default Content-Security-Policy rule, loaded once (a bare ``analyze()`` reads its YAML rule
  file on every call and checks every other header as well). It has no rule for the
  report-only header, so it reads every value as Content-Security-Policy.

A peer that is not installed is skipped, and the output says so. Two tables, each the median
(or with ``--stat min`` the best) of interleaved rounds (every case and library once per
round, in turn):

* steady state: every CSP value of the real-world corpus (tests/data/real_world_headers.json),
  and a typical 1 KB policy (the corpus's value nearest 1 KB: github.com's), evaluated again
  and again, as a process evaluating real headers does (secheaders' per-token caches warm);
* scaling: policies of 1 KB to 1 MB made of host sources that no library has seen before
  (every token takes the full path), with the time per KB: flat when the cost is linear.

"time ratio" is a library's time per evaluation over secheaders' time. Times are CPU time of
the benchmark's thread (``time.thread_time``): on a shared virtual machine, wall-clock time also
counts the moments the host gives the core to someone else.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from secheaders import evaluate_csp

CORPUS = json.loads(
    (Path(__file__).parent.parent / "tests" / "data" / "real_world_headers.json").read_text()
)
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
CSP_ENTRIES = [e for e in CORPUS if e["header"] in CSP_HEADERS]
#: (value, report_only) of every CSP value in the corpus.
CSP_VALUES = [(e["value"], e["header"] == CSP_HEADERS[1]) for e in CSP_ENTRIES]
TYPICAL = min(CSP_ENTRIES, key=lambda e: abs(len(e["value"]) - 1024))
SIZES = (1_000, 10_000, 100_000, 1_000_000)

Evaluate = Callable[[str, bool], object]


def secheaders_evaluator() -> Evaluate:
    def run(value: str, report_only: bool) -> object:
        return evaluate_csp(value, report_only=report_only)

    return run


def secheaders_cold_evaluator() -> Evaluate:
    """Every secheaders cache cleared before each evaluation: a first sight in a new process."""
    from secheaders.evaluation.csp import clear_caches

    def run(value: str, report_only: bool) -> object:
        clear_caches()
        return evaluate_csp(value, report_only=report_only)

    return run


def csp_toolkit_evaluator() -> Evaluate:
    from csp_toolkit import analyze, find_bypasses, parse

    def run(value: str, report_only: bool) -> object:
        policy = parse(value, report_only=report_only)
        return analyze(policy) + find_bypasses(policy)

    return run


def drheader_evaluator() -> Evaluate:
    from drheader import Drheader
    from drheader.utils import default_rules

    rules = {"Content-Security-Policy": default_rules()["Content-Security-Policy"]}

    def run(value: str, report_only: bool) -> object:
        return Drheader(headers={"Content-Security-Policy": value}).analyze(rules=rules)

    return run


EVALUATORS: dict[str, Callable[[], Evaluate]] = {
    "secheaders": secheaders_evaluator,
    "csp-toolkit": csp_toolkit_evaluator,
    "drheader": drheader_evaluator,
}


def scaled_policy(size: int, salt: int = 0) -> str:
    """A policy of ``size`` bytes: a strict core, then distinct host sources (in the forms real
    allowlists use) spread over eight fetch directives. Each ``salt`` names other hosts."""
    core = "default-src 'self'; object-src 'none'; base-uri 'none'; report-uri /csp-report"
    names = "script-src img-src connect-src style-src font-src frame-src media-src worker-src"
    lists: dict[str, list[str]] = {name: [] for name in names.split()}
    directives = list(lists)
    length, index = len(core), 0
    while length < size:
        forms = (
            f"https://cdn{index}.s{salt}.example.com",
            f"*.static{index}.s{salt}.example.net",
            f"assets{index}.s{salt}.example.org/js/",
            f"https://api{index}.s{salt}.example.com:8443",
        )
        host = forms[index % len(forms)]
        directive = directives[index % len(directives)]
        lists[directive].append(host)
        # A directive's first host adds "; name " before it; later ones add " " before them.
        length += len(host) + (1 if len(lists[directive]) > 1 else len(directive) + 3)
        index += 1
    parts = [core, *(" ".join((name, *hosts)) for name, hosts in lists.items() if hosts)]
    return "; ".join(parts)[:size].rstrip(" ;")


Values = list[tuple[str, bool]]


def _time(run: Evaluate, values: Values) -> float:
    """Seconds per evaluation, over ``values`` once."""
    gc.collect()
    start = time.thread_time()
    for value, report_only in values:
        run(value, report_only)
    return (time.thread_time() - start) / len(values)


def _rotated(names: list[str], round_: int) -> list[str]:
    """The libraries in another order each round."""
    shift = round_ % len(names)
    return names[shift:] + names[:shift]


def _row(label: str, name: str, seconds: float, ours: float) -> str:
    """One table line; the ratio is the library's time over secheaders' time."""
    ratio = f"{seconds / ours:.2f}x"
    return f"{label:34} {name:12} {1 / seconds:10,.0f} {seconds * 1e6:11.1f} {ratio:>10}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=10, help="passes over the corpus per round")
    parser.add_argument("--max-size", type=int, default=SIZES[-1], help="largest scaled policy")
    parser.add_argument(
        "--stat",
        choices=("median", "min"),
        default="median",
        help="statistic over the rounds (min: the best round, on a machine shared with others)",
    )
    args = parser.parse_args()
    stat = statistics.median if args.stat == "median" else min
    runs: dict[str, Evaluate] = {}
    for name, factory in EVALUATORS.items():
        try:
            runs[name] = factory()
        except ImportError as exc:
            print(f"skipped {name}: not installed ({exc}); .venv/bin/pip install {name}")
    names = list(runs)
    typical = (TYPICAL["value"], TYPICAL["header"] == CSP_HEADERS[1])
    steady: dict[str, Values] = {
        f"corpus ({len(CSP_VALUES)} real CSP values)": CSP_VALUES * args.repeat,
        f"typical 1 KB ({len(typical[0])} B, {TYPICAL['site']})": [typical] * 20 * args.repeat,
    }
    for run in runs.values():  # warm up (imports, caches) and check every value is accepted
        for value, report_only in [*CSP_VALUES, (scaled_policy(1_000), False)]:
            run(value, report_only)

    # Steady state: the same values again and again, as in a process that evaluates the
    # headers of real sites (secheaders' per-token caches warm).
    samples: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        for case, values in steady.items():
            for name in _rotated(names, round_):
                samples.setdefault((case, name), []).append(_time(runs[name], values))

    # Scaling at first sight: every policy names hosts that no library has seen before, so
    # every token takes the full path (per-token caches cold) and the time per KB is the same
    # at every size if the cost is linear.
    sizes = [size for size in SIZES if size <= args.max_size]
    salts = itertools.count(1)
    scaling: dict[tuple[int, str], list[float]] = {}
    for round_ in range(args.rounds):
        for size in sizes:
            count = max(1, 100_000 // size)  # a few milliseconds of work at least
            values = [(scaled_policy(size, next(salts)), False) for _ in range(count)]
            for name in _rotated(names, round_):
                scaling.setdefault((size, name), []).append(_time(runs[name], values))

    print(f"\nSteady state, {args.stat} of {args.rounds} interleaved rounds")
    print(f"{'case':34} {'library':12} {'evals/s':>10} {'µs/eval':>11} {'time ratio':>10}")
    for case in steady:
        ours = stat(samples[case, "secheaders"])
        for name in names:
            print(_row(case, name, stat(samples[case, name]), ours))

    # First sight: the steady-state values with secheaders' caches cleared before each one.
    cold = secheaders_cold_evaluator()
    first: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for case, values in steady.items():
            first.setdefault(case, []).append(_time(cold, values[: max(20, len(values) // 5)]))

    print(f"\nFirst sight (secheaders' caches cleared before each evaluation), {args.stat}")
    print(f"{'case':34} {'library':12} {'evals/s':>10} {'µs/eval':>11} {'time ratio':>10}")
    for case in steady:
        print(_row(case, "secheaders", stat(first[case]), stat(samples[case, "secheaders"])))

    print(f"\nScaling, hosts seen for the first time, {args.stat} of {args.rounds} rounds")
    print(f"{'size':34} {'library':12} {'evals/s':>10} {'µs/eval':>11} {'time ratio':>10}")
    for size in sizes:
        ours = stat(scaling[size, "secheaders"])
        for name in names:
            print(_row(f"{size:,} B", name, stat(scaling[size, name]), ours))
    print(f"\n{'size':>10} {'library':12} {'ms/eval':>10} {'µs/KB':>10}   (flat µs/KB: linear)")
    for size in sizes:
        for name in names:
            seconds = stat(scaling[size, name])
            print(f"{size:10,} {name:12} {seconds * 1e3:10.2f} {seconds * 1e6 * 1024 / size:10.1f}")


if __name__ == "__main__":
    main()
