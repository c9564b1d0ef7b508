"""Per-request overhead of secheaders against bare Flask and its peers (run by hand).

    .venv/bin/pip install flask-talisman secure     # the peers, not dependencies
    .venv/bin/python bench/overhead.py [--rounds 15] [--requests 2000]

Every app serves the same small template through the Flask test client, in one process,
interleaved over several rounds. Prints the median time per request, the overhead over bare
Flask, and secheaders' overhead as a fraction of Flask-Talisman's.
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
    """Bare Flask sending the same header lines as constants: the cost of the lines alone."""
    app = _app()

    @app.after_request
    def add(response: Response) -> Response:
        response.headers.extend(STRICT_LINES)
        return response

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
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(requests):
            client.get("/", base_url="https://bench.example")
        return (time.perf_counter() - start) / requests * 1e6
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    clients = {}
    for name, factory in APPS.items():
        try:
            clients[name] = factory().test_client()
        except ImportError as exc:
            print(f"skipped {name}: {exc}")
    for client in clients.values():  # warm up (template compilation, caches)
        _time(client, 200)
    samples: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(args.rounds):
        for name, client in clients.items():
            samples[name].append(_time(client, args.requests))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["bare Flask"]
    lines = medians["bare Flask + strict's lines as constants"]
    print(f"{'app':42} {'µs/request':>11} {'over bare':>10} {'over constant lines':>20}")
    for name, median in medians.items():
        print(f"{name:42} {median:11.1f} {median - base:10.1f} {median - lines:20.1f}")
    talisman_name = "Flask-Talisman, nonce CSP"
    if talisman_name in medians:
        ours = medians["secheaders strict, nonce used"] - base
        theirs = medians[talisman_name] - base
        print(f"secheaders (nonce used) overhead / Talisman overhead: {ours / theirs:.3f}")


if __name__ == "__main__":
    main()
