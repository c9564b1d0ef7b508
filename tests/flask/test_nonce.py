"""The per-request nonce: lazy, unique, the same in header and template, never late."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask, render_template_string, stream_template_string

from secheaders import Secure
from secheaders.flask import NonceTooLateError, csp_nonce

from .conftest import HTTPS

PAGE = '<script nonce="{{ csp_nonce() }}">run()</script><style nonce="{{ csp_nonce() }}"></style>'


def make(app: Flask, **options: object) -> Flask:
    Secure(app, **options)  # type: ignore[arg-type]

    @app.route("/page")
    def page() -> str:
        return render_template_string(PAGE)

    @app.route("/plain")
    def plain() -> str:
        return "no scripts"

    return app


def test_header_nonce_equals_template_nonce(app: Flask) -> None:
    make(app, preset="strict")
    response = app.test_client().get("/page", base_url=HTTPS)
    body_nonces = set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))
    assert len(body_nonces) == 1
    nonce = body_nonces.pop()
    assert len(nonce) >= 22  # >= 128 bits of base64url
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'nonce-{nonce}' 'strict-dynamic'" in csp
    assert f"style-src 'self' 'nonce-{nonce}'" in csp
    assert response.headers["Cache-Control"] == "private"


def test_no_nonce_when_the_page_never_asked(app: Flask) -> None:
    make(app, preset="strict")
    response = app.test_client().get("/plain", base_url=HTTPS)
    assert "nonce" not in response.headers["Content-Security-Policy"]
    assert "Cache-Control" not in response.headers


def test_view_cache_control_is_kept_with_a_nonce(app: Flask) -> None:
    make(app, preset="strict")

    @app.route("/cached")
    def cached() -> tuple[str, dict[str, str]]:
        return render_template_string(PAGE), {"Cache-Control": "no-store"}

    response = app.test_client().get("/cached", base_url=HTTPS)
    assert response.headers.getlist("Cache-Control") == ["no-store"]


def test_nonce_reaches_script_src_inherited_from_default_src(app: Flask) -> None:
    policy = {"content-security-policy": {"default-src": ["'self'"], "img-src": ["data:"]}}
    make(app, policy=policy)
    response = app.test_client().get("/page", base_url=HTTPS)
    (nonce,) = set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))
    assert response.headers["Content-Security-Policy"] == (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; img-src data:"
    )
    plain = app.test_client().get("/plain", base_url=HTTPS)
    assert plain.headers["Content-Security-Policy"] == "default-src 'self'; img-src data:"


def test_nonce_goes_into_report_only_policies_too(app: Flask) -> None:
    policy = {
        "content-security-policy": {"object-src": ["'none'"]},
        "content-security-policy-report-only": {"script-src": ["'self'"]},
    }
    make(app, policy=policy)
    response = app.test_client().get("/page", base_url=HTTPS)
    (nonce,) = set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))
    assert response.headers["Content-Security-Policy"] == "object-src 'none'"
    assert response.headers["Content-Security-Policy-Report-Only"] == (
        f"script-src 'self' 'nonce-{nonce}'"
    )


def test_nonce_is_unique_across_10000_requests_on_16_threads(app: Flask) -> None:
    make(app, preset="strict")

    def fetch(_: int) -> tuple[str, str]:
        response = app.test_client().get("/page", base_url=HTTPS)
        (body,) = set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))
        header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert header is not None
        return body, header.group(1)

    with ThreadPoolExecutor(max_workers=16) as pool:
        pairs = list(pool.map(fetch, range(10_000)))
    assert all(body == header for body, header in pairs)
    assert len({body for body, _ in pairs}) == 10_000


def test_asking_after_the_headers_were_produced_raises(app: Flask) -> None:
    make(app, preset="strict")

    @app.route("/late")
    def late() -> Any:
        return stream_template_string("{% for i in range(2) %}{{ csp_nonce() }}{% endfor %}")

    with pytest.raises(NonceTooLateError, match="after the response headers were sent"):
        app.test_client().get("/late", base_url=HTTPS).get_data()


def test_outside_a_request() -> None:
    with pytest.raises(RuntimeError, match="needs an active request"):
        csp_nonce()
