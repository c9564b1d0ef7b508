"""Every way Flask can produce a response carries the headers, exactly once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Blueprint, Flask, Response, abort, redirect, send_file, stream_with_context
from werkzeug.exceptions import HTTPException

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
