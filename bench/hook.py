"""The per-request work of the Flask extension alone, without the test client (run by hand).

    .venv/bin/python bench/hook.py

Times, inside one request context, building a response with and without secheaders'
``after_request`` hook, with and without a nonce, and with reporting wired
(``report_endpoint``); prints the difference per request.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from flask import Flask, Response, request

from secheaders import Secure
from secheaders.flask import csp_nonce

_PER_REQUEST = ("secheaders.request_nonce", "secheaders.headers_sent")


def _app(**settings: object) -> tuple[Flask, Callable[[Response], Response]]:
    app = Flask(__name__)
    Secure(app, preset="strict", **settings)  # type: ignore[arg-type]

    @app.route("/")
    def index() -> str:
        return "x"

    hook: Callable[[Response], Response] = app.after_request_funcs[None][-1]  # type: ignore[assignment]
    return app, hook


def _time(app: Flask, hook: Callable[[Response], Response]) -> dict[str, float]:
    with app.test_request_context("/", base_url="https://bench.example"):
        environ = request.environ

        def forget_nonce() -> None:
            for key in _PER_REQUEST:
                environ.pop(key, None)

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

        cases = {"response only": response_only, "hook": without_nonce, "nonce": with_nonce}
        return {
            name: min(timeit.repeat(case, number=20_000, repeat=7)) / 20_000 * 1e6
            for name, case in cases.items()
        }


def main() -> None:
    apps = (_app(), _app(report_endpoint="/_secheaders/reports"))
    plain: dict[str, float] = {}
    reporting: dict[str, float] = {}
    for _ in range(3):  # interleaved rounds; the best of each case
        for (app, hook), best in zip(apps, (plain, reporting), strict=True):
            for case, value in _time(app, hook).items():
                best[case] = min(value, best.get(case, value))
    rows = {
        "hook, no nonce": plain["hook"] - plain["response only"],
        "csp_nonce() + hook": plain["nonce"] - plain["response only"],
        "reporting, no nonce": reporting["hook"] - reporting["response only"],
        "reporting, nonce": reporting["nonce"] - reporting["response only"],
    }
    print(f"response only        {plain['response only']:6.2f} µs")
    for name, extra in rows.items():
        print(f"{name:20} {extra:+6.2f} µs")


if __name__ == "__main__":
    main()
