"""The Flask extension's own work per request (run by hand).

    .venv/bin/python bench/hook.py [--rounds 7] [--number 50000]

``Secure(app, preset="strict")`` wraps ``app.wsgi_app``; when the response starts, the wrapper
looks up the endpoint's compiled policy, picks the header set (HTTPS here, so HSTS is sent),
fills in the nonce if the page made one, and appends the lines to the response's header list.

This times, inside a request context for ``GET https://bench.example/``, a trivial WSGI app
(it starts a response with ``Content-Type`` and ``Content-Length``) called directly, then the
same app called through the extension's wrapper, without and with ``csp_nonce()`` called
first. The differences are what the extension adds to a request: everything but the client,
the server and Flask's own work, which are the same with or without it. It does the same with
``report_endpoint`` set (a per-host Reporting-Endpoints line). Rounds are interleaved and each
case keeps its best round, the one least disturbed by other work on the machine. Times are
CPU time of the thread (``time.thread_time``), which leaves out moments a shared virtual
machine's host gives the core to someone else.
"""

from __future__ import annotations

import argparse
import time
import timeit
from collections.abc import Callable
from typing import Any

from flask import Flask, request

from secheaders import Secure
from secheaders.flask import csp_nonce

URL = "https://bench.example"
_PER_REQUEST = ("secheaders.request_nonce", "secheaders.headers_sent")
VIEW_HEADERS = (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "9"))


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    return None


def _trivial(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", list(VIEW_HEADERS))
    return [b"<p>x</p>"]


def _cases(label: str, **settings: Any) -> tuple[Any, dict[str, Callable[[], object]]]:
    """A request context of an app with ``settings``, and the timed cases (run inside it)."""
    app = Flask(__name__)
    Secure(app, preset="strict", **settings)

    @app.route("/")
    def index() -> str:
        return "<p>x</p>"

    emitter: Any = app.wsgi_app
    wrapped = type(emitter)(_trivial, app, app.extensions["secheaders"])
    context = app.test_request_context("/", base_url=URL)
    with context:
        environ = request.environ

    def direct() -> None:
        for key in _PER_REQUEST:
            environ.pop(key, None)
        _trivial(environ, _start_response)

    def through() -> None:
        for key in _PER_REQUEST:
            environ.pop(key, None)
        wrapped(environ, _start_response)

    def nonce_through() -> None:
        for key in _PER_REQUEST:
            environ.pop(key, None)
        csp_nonce()
        wrapped(environ, _start_response)

    with context:
        assert len(wrapped_headers(wrapped, environ)) > len(VIEW_HEADERS), "no lines added"
    return context, {
        f"{label}: direct": direct,
        f"{label}: no nonce": through,
        f"{label}: nonce": nonce_through,
    }


def wrapped_headers(wrapped: Any, environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The header list a response started through ``wrapped`` ends up with."""
    seen: list[tuple[str, str]] = []

    def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen.extend(headers)

    environ.pop("secheaders.headers_sent", None)
    wrapped(environ, keep)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=50_000, help="calls per case and round")
    args = parser.parse_args()
    apps = (_cases("strict"), _cases("reporting", report_endpoint="/_secheaders/reports"))
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for context, cases in apps:
            with context:
                for name, case in cases.items():
                    timer = timeit.Timer(case, timer=time.thread_time)
                    seconds = timer.timeit(number=args.number) / args.number
                    best[name] = min(seconds, best.get(name, seconds))
    for label in ("strict", "reporting"):
        base = best[f"{label}: direct"]
        print(f"{label:10} trivial app called directly        {base * 1e6:6.2f} µs")
        for kind in ("no nonce", "nonce"):
            extra = best[f"{label}: {kind}"] - base
            print(f"{label:10} added by secheaders, {kind:13} {extra * 1e6:+6.2f} µs")


if __name__ == "__main__":
    main()
