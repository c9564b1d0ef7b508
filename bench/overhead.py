"""Per-request overhead of secheaders against bare Flask and its peers (run by hand).

    .venv/bin/pip install flask-talisman secure     # the peers, not dependencies
    .venv/bin/python bench/overhead.py [--rounds 20] [--requests 1000]

Every app serves the same small template through the Flask test client, in one process. The
apps take turns request by request (in another order each round), so they all meet the same
moments of a machine whose speed drifts; each app's overhead in a round is its mean time per
request minus bare Flask's in that round. Times are CPU
time of the benchmark's thread (``time.thread_time``): on a shared virtual machine, wall-clock
time also counts the moments the host gives the core to someone else. Prints the
median time per request, the median overhead over bare Flask with its quartiles, and
secheaders' overhead as a fraction of Flask-Talisman's.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, render_template
from jinja2 import DictLoader

from secheaders import Secure, load_preset
from secheaders.flask import csp_nonce

PAGE = """<!doctype html><title>bench</title>
<script nonce="{{ nonce() }}">document.title = "ok";</script><p>Hello</p>"""
STRICT_CSP = {
    "default-src": "'none'",
    "script-src": "'strict-dynamic'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "manifest-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _no_nonce() -> str:
    return ""


def _app() -> Flask:
    """The same page everywhere; ``nonce()`` is each library's nonce helper, or ""."""
    app = Flask(__name__)
    app.jinja_env.loader = DictLoader({"page.html": PAGE})
    app.add_template_global(_no_nonce, "nonce")

    @app.route("/")
    def index() -> str:
        return render_template("page.html")

    return app


def bare() -> Flask:
    return _app()


STRICT_LINES = load_preset("strict").to_headers()


def constant_headers() -> Flask:
    """Bare Flask appending the same header lines as constants when the response starts (the
    cheapest way to send them): what the lines alone cost in Werkzeug and the test client."""
    app = _app()
    inner = app.wsgi_app

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(STRICT_LINES)
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.wsgi_app = wsgi  # type: ignore[method-assign]
    return app


def secheaders_nonce() -> Flask:
    app = _app()
    Secure(app, preset="strict")
    app.add_template_global(csp_nonce, "nonce")
    return app


def secheaders_no_nonce() -> Flask:
    app = _app()
    Secure(app, preset="strict")
    return app


def talisman() -> Flask:
    from flask_talisman import Talisman

    app = _app()
    Talisman(
        app,
        force_https=False,
        content_security_policy=STRICT_CSP,
        content_security_policy_nonce_in=["script-src", "style-src"],
        strict_transport_security_max_age=63072000,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"camera": "()", "geolocation": "()", "microphone": "()"},
    )
    talisman_nonce: Callable[[], str] = app.jinja_env.globals["csp_nonce"]  # type: ignore[assignment]
    app.add_template_global(talisman_nonce, "nonce")
    return app


def secure_py() -> Flask:
    from secure import Preset
    from secure import Secure as SecurePy

    app = _app()
    headers = SecurePy.from_preset(Preset.BALANCED)

    @app.after_request
    def add(response: Response) -> Response:
        headers.set_headers(response)
        return response

    return app


APPS: dict[str, Callable[[], Flask]] = {
    "bare Flask": bare,
    "bare Flask + strict's lines as constants": constant_headers,
    "secheaders strict, nonce used": secheaders_nonce,
    "secheaders strict, no nonce": secheaders_no_nonce,
    "Flask-Talisman, nonce CSP": talisman,
    "secure.py BALANCED": secure_py,
}


def _time(client: Any, requests: int) -> float:
    """Mean µs per request of ``client`` over ``requests`` requests (warm-up)."""
    start = time.thread_time()
    for _ in range(requests):
        client.get("/", base_url="https://bench.example")
    return (time.thread_time() - start) / requests * 1e6


def _interleaved(clients: dict[str, Any], rounds: int, requests: int) -> dict[str, list[float]]:
    """Per app, the mean µs per request of each round. Within a round the apps take turns
    request by request (in another order each round), so every app meets the same moments of
    a machine whose speed drifts."""
    names = list(clients)
    means: dict[str, list[float]] = {name: [] for name in names}
    clock = time.thread_time
    gc.disable()
    try:
        for round_ in range(rounds):
            shift = round_ % len(names)
            order = [(name, clients[name]) for name in names[shift:] + names[:shift]]
            spent = dict.fromkeys(names, 0.0)
            for _ in range(requests):
                for name, client in order:
                    start = clock()
                    client.get("/", base_url="https://bench.example")
                    spent[name] += clock() - start
            for name in names:
                means[name].append(spent[name] / requests * 1e6)
    finally:
        gc.enable()
    return means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per app and round")
    args = parser.parse_args()
    clients = {}
    for name, factory in APPS.items():
        try:
            clients[name] = factory().test_client()
        except ImportError as exc:
            print(f"skipped {name}: {exc}")
    for client in clients.values():  # warm up (template compilation, caches)
        _time(client, 200)
    samples = _interleaved(clients, args.rounds, args.requests)
    bare = samples["bare Flask"]
    over: dict[str, float] = {}
    print(f"{'app':44} {'µs/request':>10} {'over bare':>10}   quartiles over rounds")
    for name, values in samples.items():
        added = [value - base for value, base in zip(values, bare, strict=True)]
        low, over[name], high = statistics.quantiles(added, n=4)
        median = statistics.median(values)
        print(f"{name:44} {median:10.1f} {over[name]:10.1f}   {low:.1f} .. {high:.1f}")
    talisman_name = "Flask-Talisman, nonce CSP"
    if talisman_name in over:
        ratio = over["secheaders strict, nonce used"] / over[talisman_name]
        print(f"secheaders (nonce used) overhead / Flask-Talisman overhead: {ratio:.3f}")


if __name__ == "__main__":
    main()
