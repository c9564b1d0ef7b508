"""The report receiver and the reporting wiring of the Flask integration."""

from __future__ import annotations

import io
import json
import logging
import random
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, session
from flask_wtf import CSRFProtect  # type: ignore[import-untyped]

from secheaders.flask import Secure, csp_nonce
from secheaders.reports import Violation

from .conftest import HTTPS

PATH = "/_secheaders/reports"
DATA = Path(__file__).parent.parent / "data" / "reports"
LEGACY = (DATA / "chrome-csp-report.json").read_bytes()
BATCH = (DATA / "chrome-reports.json").read_bytes()


def reporting_app(app: Flask, **settings: Any) -> tuple[Flask, Secure]:
    secure = Secure(app, preset="strict", report_endpoint=PATH, **settings)

    @app.route("/")
    def index() -> str:
        return "page"

    @app.route("/nonced")
    def nonced() -> str:
        return f"<script nonce='{csp_nonce()}'></script>"

    return app, secure


def post(app: Flask, data: bytes | str, content_type: str = "application/csp-report") -> Any:
    return app.test_client().post(PATH, data=data, content_type=content_type, base_url=HTTPS)


# --- wiring --------------------------------------------------------------------------------


def test_https_responses_report_with_report_to_and_an_absolute_endpoint(app: Flask) -> None:
    app, _ = reporting_app(app)
    response = app.test_client().get("/", base_url=HTTPS)
    csp = response.headers["Content-Security-Policy"]
    assert csp.endswith(f"; report-uri {PATH}; report-to secheaders")
    assert response.headers["Cross-Origin-Opener-Policy"] == 'same-origin;report-to="secheaders"'
    assert response.headers.getlist("Reporting-Endpoints") == [
        f'secheaders="https://app.example{PATH}"'
    ]
    nonced = app.test_client().get("/nonced", base_url="https://other.example:8443")
    assert "'nonce-" in nonced.headers["Content-Security-Policy"]
    assert nonced.headers["Content-Security-Policy"].endswith("report-to secheaders")
    assert nonced.headers["Reporting-Endpoints"] == (
        f'secheaders="https://other.example:8443{PATH}"'
    )


def test_plain_http_sends_report_uri_only(app: Flask) -> None:
    app, _ = reporting_app(app)
    response = app.test_client().get("/", base_url="http://app.example")
    assert response.headers["Content-Security-Policy"].endswith(f"report-uri {PATH}")
    assert "Reporting-Endpoints" not in response.headers
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_localhost_gets_report_uri_only_too(app: Flask) -> None:
    """Chromium sends no Reporting API reports from plain-HTTP pages, loopback included, and
    ignores report-uri beside report-to: so report-uri alone keeps reports coming."""
    app, _ = reporting_app(app)
    response = app.test_client().get("/", base_url="http://127.0.0.1:5000")
    assert response.headers["Content-Security-Policy"].endswith(f"report-uri {PATH}")
    assert "Reporting-Endpoints" not in response.headers


def test_a_forged_host_header_gives_the_relative_endpoint(app: Flask) -> None:
    app, _ = reporting_app(app)
    response = app.test_client().get("/", base_url=HTTPS, headers={"Host": 'a"b'})
    assert response.headers["Reporting-Endpoints"] == f'secheaders="{PATH}"'


def test_staged_roll_out_reports_from_both_policies(app: Flask) -> None:
    app.config["SECHEADERS_CONFIG"] = None
    secure = Secure(
        app,
        policy={
            "content-security-policy": {"default-src": ["'self'"]},
            "content-security-policy-report-only": {"default-src": ["'none'"]},
        },
        report_endpoint=PATH,
    )
    got: list[Violation] = []
    secure.on_report(got.append)

    @app.route("/")
    def index() -> str:
        return "page"

    response = app.test_client().get("/", base_url=HTTPS)
    assert response.headers["Content-Security-Policy"] == (
        f"default-src 'self'; report-uri {PATH}; report-to secheaders"
    )
    assert response.headers["Content-Security-Policy-Report-Only"] == (
        f"default-src 'none'; report-uri {PATH}; report-to secheaders"
    )
    assert post(app, BATCH, "application/reports+json").status_code == 204
    assert secure.receiver_for(app).flush()
    assert [v.disposition for v in got if v.type == "csp-violation"] == ["enforce", "report"]


def test_report_only_mode_reports_too(app: Flask) -> None:
    app, _ = reporting_app(app, report_only=True)
    response = app.test_client().get("/", base_url=HTTPS)
    assert response.headers["Content-Security-Policy-Report-Only"].endswith("report-to secheaders")


@pytest.mark.parametrize("rate", [0.0, 0.5])
def test_sampling_sends_reporting_on_a_share_of_responses(app: Flask, rate: float) -> None:
    app, _ = reporting_app(app, report_sample_rate=rate)
    random.seed(7)
    client = app.test_client()
    responses = [client.get("/", base_url=HTTPS) for _ in range(200)]
    reporting = [r for r in responses if "Reporting-Endpoints" in r.headers]
    quiet = [r for r in responses if "Reporting-Endpoints" not in r.headers]
    if rate == 0:
        assert not reporting
    else:
        assert 60 < len(reporting) < 140
        assert "report-to" in reporting[0].headers["Content-Security-Policy"]
    assert "report-" not in quiet[0].headers["Content-Security-Policy"]
    # the policy itself is the same either way
    assert quiet[0].headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_settings_come_from_app_config(app: Flask) -> None:
    app.config.update(
        SECHEADERS_REPORT_ENDPOINT="/r",
        SECHEADERS_REPORT_GROUP="csp",
        SECHEADERS_REPORT_HEADERS="csp, permissions-policy, default",
        SECHEADERS_REPORT_SAMPLE_RATE="1",
        SECHEADERS_REPORT_MAX_BODY="100",
    )
    Secure(app, report_max_reports=3)

    @app.route("/")
    def index() -> str:
        return "page"

    response = app.test_client().get("/", base_url=HTTPS)
    assert response.headers["Content-Security-Policy"].endswith("report-uri /r; report-to csp")
    assert response.headers["Reporting-Endpoints"] == (
        'csp="https://app.example/r", default="https://app.example/r"'
    )
    assert response.headers["Permissions-Policy"].startswith("accelerometer=();report-to=csp")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    big = app.test_client().post("/r", data=LEGACY, content_type="application/csp-report")
    assert big.status_code == 413


def test_an_absolute_endpoint_is_wired_without_a_receiver(app: Flask) -> None:
    secure = Secure(app, preset="basic", report_endpoint="https://reports.example/csp")

    @app.route("/")
    def index() -> str:
        return "page"

    response = app.test_client().get("/", base_url=HTTPS)
    assert response.headers["Reporting-Endpoints"] == 'secheaders="https://reports.example/csp"'
    assert "report-uri https://reports.example/csp" in response.headers["Content-Security-Policy"]
    assert "secheaders_reports" not in app.blueprints
    with pytest.raises(RuntimeError, match="no report receiver"):
        secure.receiver_for(app)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"report_endpoint": "reports"}, "absolute URL"),
        ({"report_endpoint": "/r\nx"}, "report_endpoint"),
        ({"report_endpoint": PATH, "report_sample_rate": 2}, "from 0 to 1"),
        ({"report_endpoint": PATH, "report_sample_rate": "half"}, "must be a number"),
        ({"report_endpoint": PATH, "report_max_body": 0}, "report_max_body"),
        ({"report_endpoint": PATH, "report_max_body": 1.5}, "whole number"),
        ({"report_endpoint": PATH, "report_max_reports": -1}, "report_max_reports"),
        ({"report_endpoint": PATH, "report_dedupe_window": -1}, "report_dedupe_window"),
        ({"report_endpoint": PATH, "report_group": "Bad"}, "report_group"),
        ({"report_endpoint": PATH, "report_headers": ["csp", "hsts"]}, "unknown hsts"),
        ({"report_endpoint": PATH, "report_headers": 5}, "report_headers must be names"),
        ({"report_endpoint": PATH, "report_headers": ["csp", 5]}, "report_headers must be"),
        (
            {"report_endpoint": PATH, "policy": {"content-security-policy": {"report-to": "x"}}},
            "already reports to 'x'",
        ),
    ],
)
def test_bad_settings_fail_at_set_up(app: Flask, settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Secure(app, **settings)


def test_routes_command_shows_the_reporting_headers(app: Flask) -> None:
    app, _ = reporting_app(app)
    result = app.test_cli_runner().invoke(args=["secheaders", "routes"])
    assert f'    Reporting-Endpoints: secheaders="https://localhost{PATH}"' in result.output
    assert f"secheaders_reports.receive  {PATH}" in result.output


# --- the receiver --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "content_type", "data", "status"),
    [
        ("POST", "application/csp-report", LEGACY, 204),
        ("POST", "application/json", LEGACY, 204),
        ("POST", "application/reports+json", BATCH, 204),
        ("POST", "application/json; charset=utf-8", BATCH, 204),
        ("GET", None, b"", 405),
        ("PUT", "application/csp-report", LEGACY, 405),
        ("DELETE", None, b"", 405),
        ("POST", "text/plain", LEGACY, 415),
        ("POST", "application/x-www-form-urlencoded", b"a=b", 415),
        ("POST", None, LEGACY, 415),
        ("POST", "application/json", b"x" * (64 * 1024 + 1), 413),
        ("POST", "application/json", LEGACY[:40], 400),
        ("POST", "application/json", b"\xc3\x28" + LEGACY, 400),
        ("POST", "application/json", b"[" * 60_000, 400),
        ("POST", "application/json", b"{}", 400),
        ("POST", "application/reports+json", b'[{"type": "csp-violation"}]', 400),
        ("POST", "application/csp-report", b'{"csp-report": {"document-uri": 1}}', 400),
    ],
)
def test_statuses(
    app: Flask, method: str, content_type: str | None, data: bytes, status: int
) -> None:
    app, _ = reporting_app(app)
    response = app.test_client().open(
        PATH, method=method, data=data, content_type=content_type, base_url=HTTPS
    )
    assert response.status_code == status
    if status != 405:  # Flask's own 405 page is fixed text
        assert response.data == b""
    assert "Set-Cookie" not in response.headers


def test_a_batch_over_the_limit_is_cut_and_counted(app: Flask) -> None:
    app, secure = reporting_app(app, report_max_reports=2)
    assert post(app, BATCH, "application/reports+json").status_code == 204
    stats = secure.receiver_for(app).delivery.stats
    assert stats["delivered"] == 2
    assert stats["truncated"] == 6


class Endless(io.RawIOBase):
    """A request body that never ends, counting what was read of it."""

    given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        buffer[:size] = b" " * size
        self.given += size
        return size


def post_endless(app: Flask, content_type: str) -> tuple[int, int]:
    """POST a chunked, endless body; the status and how many bytes were read of it."""
    stream = Endless()
    response = app.test_client().post(
        PATH,
        base_url=HTTPS,
        content_type=content_type,
        environ_overrides={"wsgi.input": stream, "wsgi.input_terminated": True},
        headers={"Transfer-Encoding": "chunked"},
    )
    return response.status_code, stream.given


def test_the_body_limit_is_enforced_while_reading(app: Flask) -> None:
    """A chunked body (no Content-Length) is read only up to the limit."""
    app, secure = reporting_app(app, report_max_body=1000)
    status, read = post_endless(app, "application/json")
    assert status == 413
    assert read < 100_000
    assert secure.receiver_for(app).delivery.stats["rejected_413"] == 1


def test_a_wrong_content_type_is_refused_before_the_body_is_read(app: Flask) -> None:
    app, _ = reporting_app(app)
    assert post_endless(app, "text/plain") == (415, 0)


def test_no_cookie_is_set_even_with_a_refreshed_permanent_session(app: Flask) -> None:
    app.secret_key = "test"
    app, _ = reporting_app(app)

    @app.before_request
    def touch_session() -> None:
        session.permanent = True
        session["seen"] = True

    assert "Set-Cookie" in app.test_client().get("/", base_url=HTTPS).headers  # the control
    response = post(app, LEGACY)
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("csrf_first", [True, False])
def test_the_receiver_is_exempt_from_flask_wtf_csrf(app: Flask, csrf_first: bool) -> None:
    app.secret_key = "test"
    if csrf_first:
        CSRFProtect(app)
    app, _ = reporting_app(app)
    if not csrf_first:
        CSRFProtect(app)

    @app.route("/form", methods=["POST"])
    def form() -> str:
        return "posted"

    assert app.test_client().post("/form", base_url=HTTPS).status_code == 400  # the control
    assert post(app, LEGACY).status_code == 204


def test_callbacks_registered_before_and_after_set_up_get_every_report(app: Flask) -> None:
    secure = Secure(preset="strict", report_endpoint=PATH)
    early: list[Violation] = []
    late: list[Violation] = []
    secure.on_report(early.append)
    secure.init_app(app)
    secure.on_report(late.append)
    post(app, BATCH, "application/reports+json")
    assert secure.receiver_for(app).flush()
    assert len(early) == len(late) == 7
    with pytest.raises(TypeError, match="takes a function"):
        secure.on_report("nope")  # type: ignore[type-var]


def test_identical_reports_are_delivered_once_and_counted(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app, secure = reporting_app(app)
    got: list[Violation] = []
    secure.on_report(got.append)
    with caplog.at_level(logging.INFO, "secheaders.reports"):
        for _ in range(5):
            post(app, LEGACY)
        secure.receiver_for(app).flush()
    assert len(got) == 1
    assert secure.receiver_for(app).delivery.stats["duplicates"] == 4
    delivered = [r for r in caplog.records if getattr(r, "count", None) == 1]
    assert len(delivered) == 1
    assert delivered[0].report["directive"] == "script-src-elem"  # type: ignore[attr-defined]


def test_hostile_fields_cannot_forge_log_lines(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = reporting_app(app)
    report = json.loads(LEGACY)
    report["csp-report"]["blocked-uri"] = "https://x.example/\r\n2026-01-01 CRITICAL forged\x1b[2J"
    with caplog.at_level(logging.INFO, "secheaders.reports"):
        assert post(app, json.dumps(report)).status_code == 204
    (record,) = [r for r in caplog.records if hasattr(r, "report")]
    message = record.getMessage()
    assert "\n" not in message
    assert "\r" not in message
    assert "\x1b" not in message
    assert "\\x0d\\x0a2026-01-01 CRITICAL forged\\x1b[2J" in message


def test_receiver_for_an_unknown_app(app: Flask) -> None:
    secure = Secure(preset="strict", report_endpoint=PATH)
    with pytest.raises(RuntimeError, match="init_app"):
        secure.receiver_for(app)


def test_an_untrusted_host_gets_flasks_400_with_headers_not_a_500(app: Flask) -> None:
    app.config["TRUSTED_HOSTS"] = ["app.example"]
    app, _ = reporting_app(app)
    response = app.test_client().get("/", base_url="http://evil.example")
    assert response.status_code == 400
    assert response.headers["Content-Security-Policy"].endswith(f"report-uri {PATH}")


def test_an_app_mounted_under_a_prefix_reports_under_it(app: Flask) -> None:
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.test import Client

    app, secure = reporting_app(app, report_only=True)
    client = Client(DispatcherMiddleware(Flask("root"), {"/shop": app}))
    for base in (HTTPS, "http://app.example"):
        response = client.get("/shop/", base_url=base)
        csp = response.headers["Content-Security-Policy-Report-Only"]
        assert f"report-uri /shop{PATH}" in csp
        assert f" {PATH}" not in csp
    assert response.headers.get("Reporting-Endpoints") is None  # plain HTTP, public host
    secure_response = client.get("/shop/", base_url=HTTPS)
    assert secure_response.headers["Reporting-Endpoints"] == (
        f'secheaders="https://app.example/shop{PATH}"'
    )
    answer = client.post(
        f"/shop{PATH}", data=LEGACY, content_type="application/csp-report", base_url=HTTPS
    )
    assert answer.status_code == 204
    assert secure.receiver_for(app).delivery.stats["delivered"] == 1
