"""SecureMiddleware for any WSGI app, and ``flask secheaders routes``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.test import Client

from secheaders import Secure, load_preset
from secheaders.wsgi import NONCE_KEY, SecureMiddleware
from tests.helpers import assert_headers

from .conftest import HTTPS


def plain_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    nonce = environ[NONCE_KEY]
    start_response("200 OK", [("Content-Type", "text/html"), ("X-Frame-Options", "SAMEORIGIN")])
    return [f'<script nonce="{nonce}"></script>'.encode()]


def test_middleware_adds_headers_and_the_nonce() -> None:
    client = Client(SecureMiddleware(plain_wsgi, preset="strict"))
    response = client.get("/", base_url=HTTPS)
    body = response.get_data(as_text=True)
    nonce = body.split('nonce="')[1].split('"')[0]
    expected = [
        (name, value)
        for name, value in load_preset("strict").to_headers(nonce)
        if name != "X-Frame-Options"
    ]
    assert_headers(
        response, [("X-Frame-Options", "SAMEORIGIN"), *expected, ("Cache-Control", "private")]
    )
    second = client.get("/", base_url=HTTPS).get_data(as_text=True)
    assert second != body


def test_middleware_without_nonce_positions_adds_no_cache_control() -> None:
    response = Client(SecureMiddleware(plain_wsgi, preset="basic")).get(
        "/", base_url="http://localhost"
    )
    assert "Cache-Control" not in response.headers
    assert "Strict-Transport-Security" not in response.headers
    assert "upgrade-insecure-requests" not in response.headers["Content-Security-Policy"]


def test_flask_routes_command(app: Flask) -> None:
    secure = Secure(app, preset="api")

    @app.route("/")
    def index() -> str:
        return "x"

    @app.route("/healthz")
    @secure.exempt
    def healthz() -> str:
        return "ok"

    result = app.test_cli_runner().invoke(args=["secheaders", "routes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "healthz  /healthz" in lines
    assert lines[lines.index("healthz  /healthz") + 1] == "    (exempt: no security headers)"
    assert "    Cache-Control: no-store" in lines
    plain = app.test_cli_runner().invoke(args=["secheaders", "routes", "--http"])
    assert "Strict-Transport-Security" not in plain.output
    nonced = app.test_cli_runner().invoke(args=["secheaders", "routes", "--nonce"])
    assert "script-src 'nonce-<nonce>'; frame-ancestors 'none'" in nonced.output
    assert "    Cache-Control: no-store" in nonced.output


def test_middleware_keeps_the_policy_cache_control_with_a_nonce() -> None:
    policy = load_preset("strict").replace(cache_control={"no-store": True})
    response = Client(SecureMiddleware(plain_wsgi, policy=policy)).get("/", base_url=HTTPS)
    assert response.headers.getlist("Cache-Control") == ["no-store"]
