"""Every way Flask can produce a response carries the headers, exactly once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    redirect,
    render_template_string,
    send_file,
    session,
    stream_with_context,
)
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import EnvironBuilder

from secheaders import Secure, load_preset
from tests.helpers import assert_headers

from .conftest import HTTPS

EXPECTED = load_preset("strict").to_headers()


def build(app: Flask, tmp_path: Path) -> Flask:
    Secure(app, preset="strict")
    bp = Blueprint("shop", __name__, url_prefix="/shop")

    @app.route("/")
    def index() -> str:
        return "hello"

    @app.route("/redirect")
    def go() -> Response:
        return redirect("/")  # type: ignore[return-value]

    @app.route("/forbidden")
    def forbidden() -> str:
        abort(403)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    @app.route("/post-only", methods=["POST"])
    def post_only() -> str:
        return "posted"

    @app.route("/stream")
    def stream() -> Response:
        def chunks() -> Iterator[str]:
            yield "a"
            yield "b"

        return Response(stream_with_context(chunks()))

    @app.route("/file")
    def file() -> Response:
        return send_file(io.BytesIO(b"data"), mimetype="application/octet-stream")

    @app.route("/early")
    def early() -> str:
        return "never reached"

    @app.before_request
    def short_circuit() -> str | None:
        from flask import request

        return "from before_request" if request.path == "/early" else None

    @bp.route("/item")
    def item() -> str:
        abort(404)

    @bp.errorhandler(404)
    def shop_missing(error: HTTPException) -> tuple[str, int]:
        return "no such item", 404

    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/redirect", 302),
        ("GET", "/forbidden", 403),
        ("GET", "/missing", 404),
        ("GET", "/post-only", 405),
        ("GET", "/boom", 500),
        ("GET", "/stream", 200),
        ("GET", "/file", 200),  # send_file sets its own Cache-Control: no-cache
        ("GET", "/static/app.js", 200),
        ("GET", "/early", 200),
        ("HEAD", "/", 200),
        ("OPTIONS", "/", 200),
        ("GET", "/shop/item", 404),
    ],
)
def test_every_response_path(
    app: Flask, tmp_path: Path, method: str, path: str, status: int
) -> None:
    build(app, tmp_path)
    response = app.test_client().open(path, method=method, base_url=HTTPS)
    assert response.status_code == status
    own = [("Cache-Control", "no-cache")] if path in ("/file", "/static/app.js") else []
    assert_headers(response, [*own, *EXPECTED])


def test_unhandled_error_with_a_custom_500_handler(app: Flask, tmp_path: Path) -> None:
    build(app, tmp_path)

    @app.errorhandler(500)
    def oops(error: Exception) -> tuple[str, int]:
        return "sorry", 500

    response = app.test_client().get("/boom", base_url=HTTPS)
    assert (response.status_code, response.get_data(as_text=True)) == (500, "sorry")
    assert_headers(response, EXPECTED)


def test_headers_the_view_set_are_kept_not_duplicated(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/own")
    def own() -> tuple[str, dict[str, str]]:
        return "x", {"X-Frame-Options": "SAMEORIGIN", "content-security-policy": "default-src *"}

    response = app.test_client().get("/own", base_url=HTTPS)
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Content-Security-Policy") == ["default-src *"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_view_headers_can_be_replaced_instead(app: Flask) -> None:
    Secure(app, preset="strict", keep_view_headers=False)

    @app.route("/own")
    def own() -> tuple[str, dict[str, str]]:
        return "x", {"X-Frame-Options": "SAMEORIGIN"}

    response = app.test_client().get("/own", base_url=HTTPS)
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert_headers(response, EXPECTED)


def test_headers_set_by_hooks_that_run_after_ours_are_kept_too(app: Flask) -> None:
    @app.after_request  # registered before Secure, so Flask runs it after the extension's hook
    def late(response: Response) -> Response:
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.add("Cache-Control", "no-store")
        return response

    Secure(app, preset="strict")

    @app.route("/")
    def index() -> str:
        return render_template_string('<script nonce="{{ csp_nonce() }}"></script>')

    response = app.test_client().get("/", base_url=HTTPS)
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert "'nonce-" in response.headers["Content-Security-Policy"]


def test_the_lines_are_added_as_the_response_starts_not_in_after_request(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/")
    def index() -> str:
        return "x"

    with app.test_request_context("/", base_url=HTTPS):
        processed = app.process_response(app.make_response("x"))
    assert "Content-Security-Policy" not in processed.headers
    assert_headers(app.test_client().get("/", base_url=HTTPS), EXPECTED)


def test_session_cookies_set_after_every_hook_are_hardened_with_all(app: Flask) -> None:
    app.secret_key = "test"
    Secure(app, preset="strict", harden_cookies="all")
    app.config["SESSION_COOKIE_HTTPONLY"] = False
    app.config["SESSION_COOKIE_SAMESITE"] = None

    @app.route("/")
    def index() -> str:
        session["seen"] = True
        return "x"

    cookie = app.test_client().get("/", base_url=HTTPS).headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in cookie.split(";")}


def test_proxy_fix_wrapped_after_secure_is_seen(app: Flask) -> None:
    Secure(app, preset="strict")
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]

    @app.route("/")
    def index() -> str:
        return "x"

    client = app.test_client()
    behind = client.get("/", headers={"X-Forwarded-Proto": "https"}, base_url="http://app.example")
    assert_headers(behind, EXPECTED)
    plain = client.get("/", base_url="http://app.example")
    assert "Strict-Transport-Security" not in plain.headers


def test_the_wsgi_app_called_directly_sends_each_line_once(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/")
    def index() -> str:
        return "x"

    calls: list[list[tuple[str, str]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Any:
        calls.append(list(headers))
        return lambda data: None

    environ = EnvironBuilder("/", base_url=HTTPS).get_environ()
    b"".join(app.wsgi_app(environ, start_response))
    names = [name.lower() for name, _ in calls[0]]
    assert names.count("content-security-policy") == 1
    assert len(names) == len(set(names))
