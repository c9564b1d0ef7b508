"""The per-request work of the Flask extension alone, without the test client (run by hand).

    .venv/bin/python bench/hook.py

Times, inside one request context, building a response with and without secheaders'
``after_request`` hook, with and without a nonce; prints the difference per request.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from flask import Flask, Response, g

from secheaders import Secure
from secheaders.flask import csp_nonce


def main() -> None:
    app = Flask(__name__)
    Secure(app, preset="strict")
    hook = app.after_request_funcs[None][-1]

    @app.route("/")
    def index() -> str:
        return "x"

    with app.test_request_context("/", base_url="https://bench.example"):
        state = g._get_current_object().__dict__

        def forget_nonce() -> None:
            state.pop("_secheaders_nonce", None)
            state.pop("_secheaders_sent", None)

        def response_only() -> None:
            forget_nonce()
            Response("x")

        def without_nonce() -> None:
            forget_nonce()
            hook(Response("x"))

        def with_nonce() -> None:
            forget_nonce()
            csp_nonce()
            hook(Response("x"))

        cases: dict[str, Callable[[], None]] = {
            "response only": response_only,
            "hook, no nonce": without_nonce,
            "csp_nonce() + hook": with_nonce,
        }
        times = {
            name: min(timeit.repeat(case, number=20_000, repeat=7)) / 20_000 * 1e6
            for name, case in cases.items()
        }
    base = times["response only"]
    for name, value in times.items():
        print(f"{name:20} {value:6.2f} µs   {value - base:+6.2f} µs")


if __name__ == "__main__":
    main()
