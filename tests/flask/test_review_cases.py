"""Edge cases: report-only with view changes, nonce scope, settings parsing, robustness."""

from __future__ import annotations

import gc
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Blueprint, Flask, copy_current_request_context, render_template_string

from secheaders import CompositionError, ConfigError, Secure, load_preset
from secheaders.compiled import is_local_host
from secheaders.flask._cookies import harden_cookie
from tests.helpers import security_headers

from .conftest import HTTPS

PAGE = '<script nonce="{{ csp_nonce() }}"></script>'


def get(app: Flask, path: str) -> dict[str, str]:
    return dict(security_headers(app.test_client().get(path, base_url=HTTPS)))


def test_view_changes_in_report_only_mode_are_reported_not_enforced(app: Flask) -> None:
    secure = Secure(app, preset="strict", report_only=True)

    @app.route("/")
    @secure.override(csp={"script-src": ["'self'"]})
    @secure.extend(csp={"img-src": ["https://images.example"]})
    def index() -> str:
        return "x"

    headers = get(app, "/")
    assert headers["Content-Security-Policy"] == "upgrade-insecure-requests"
    reported = headers["Content-Security-Policy-Report-Only"]
    assert "script-src 'self';" in reported
    assert "img-src 'self' data: https://images.example;" in reported


def test_nonce_is_per_request_even_inside_one_app_context(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/page")
    def page() -> str:
        return render_template_string(PAGE)

    @app.route("/plain")
    def plain() -> str:
        return "x"

    with app.app_context():
        client = app.test_client()
        first = client.get("/page", base_url=HTTPS).get_data(as_text=True)
        second = client.get("/page", base_url=HTTPS).get_data(as_text=True)
        assert first != second
        assert client.get("/plain", base_url=HTTPS).status_code == 200
        assert client.get("/page", base_url=HTTPS).status_code == 200


def test_threads_that_copy_the_request_context_share_the_nonce(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/")
    def index() -> str:
        @copy_current_request_context
        def fragment() -> str:
            return render_template_string(PAGE)

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(fragment).result()

    response = app.test_client().get("/", base_url=HTTPS)
    (nonce,) = re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True))
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("value", "report_only"), [("false", False), ("0", False), ("Yes", True)])
def test_string_settings_from_the_environment(value: str, report_only: bool) -> None:
    app = Flask("env")
    app.config.update(SECHEADERS_PRESET="basic", SECHEADERS_REPORT_ONLY=value)
    Secure(app)
    app.route("/")(lambda: "x")
    assert ("Content-Security-Policy-Report-Only" in get(app, "/")) is report_only


def test_unreadable_settings_are_refused() -> None:
    app = Flask("bad")
    app.config["SECHEADERS_FORCE_HTTPS"] = "sometimes"
    with pytest.raises(ValueError, match="force_https must be true or false"):
        Secure(app)


def test_a_failing_policy_for_changes_nothing_and_names_the_view(app: Flask) -> None:
    secure = Secure(app, preset="strict")
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.route("/a")
    @secure.extend(permissions_policy={"camera": ["self"]})
    def a() -> str:
        return "a"

    @api.route("/b")
    def b() -> str:
        return "b"

    app.register_blueprint(api)
    before = get(app, "/api/b")
    with pytest.raises(CompositionError) as exc_info:
        secure.policy_for(api, preset="api")
    assert "while compiling the security headers of view 'api.a'" in exc_info.value.__notes__
    assert get(app, "/api/b") == before
    assert get(app, "/api/a")["Permissions-Policy"].startswith("accelerometer=()")


def test_blueprints_are_matched_by_object_not_short_name(app: Flask) -> None:
    secure = Secure(preset="strict")
    api = Blueprint("api", __name__)
    admin = Blueprint("admin", __name__, url_prefix="/admin")
    other_api = Blueprint("api", __name__, url_prefix="/inner")
    api.route("/x")(lambda: "x")
    other_api.route("/y")(lambda: "y")
    admin.register_blueprint(other_api)
    app.register_blueprint(api, url_prefix="/v1")
    app.register_blueprint(api, url_prefix="/v2", name="api_v2")
    app.register_blueprint(admin)
    secure.policy_for(api, preset="api")
    secure.init_app(app)
    assert get(app, "/v1/x")["Cache-Control"] == "no-store"
    assert get(app, "/v2/x")["Cache-Control"] == "no-store"
    assert "Cache-Control" not in get(app, "/admin/inner/y")


def test_apps_are_not_kept_alive() -> None:
    secure = Secure()
    for index in range(20):
        secure.init_app(Flask(f"app{index}"))
    gc.collect()
    assert len(secure._apps) == 0


def test_init_twice_is_refused(app: Flask) -> None:
    Secure(app)
    with pytest.raises(RuntimeError, match="initialise it once"):
        Secure(app)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Secure("app"), TypeError, "takes a Flask app"),  # type: ignore[arg-type]
        (lambda: Secure(policy=123), TypeError, "SecurityPolicy or a mapping"),  # type: ignore[arg-type]
        (lambda: Secure(config=123), TypeError, "a path or a mapping"),  # type: ignore[arg-type]
        (lambda: Secure(preset=["strict"]), TypeError, "a preset name is a string"),  # type: ignore[arg-type]
        (lambda: Secure().override("x-frame-options"), TypeError, "takes a mapping"),  # type: ignore[arg-type]
        (lambda: Secure(preset="strict").override(csp={1: []}), CompositionError, "strings"),
        (lambda: Secure().policy_for("bp", preset="api"), TypeError, "takes a Blueprint"),  # type: ignore[arg-type]
        (lambda: Secure().headers_for(Flask("x"), None), RuntimeError, "call init_app"),
        (lambda: load_preset("../pyproject"), ConfigError, "unknown preset"),
    ],
)
def test_bad_arguments_get_clear_errors(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_cookie_attribute_names_are_trimmed_and_exempt_views_are_hardened(app: Flask) -> None:
    assert (
        harden_cookie("a=1; SameSite = Strict", secure=True)
        == "a=1; SameSite = Strict; Secure; HttpOnly"
    )
    secure = Secure(app, preset="strict", harden_cookies="all")

    @app.route("/track")
    @secure.exempt
    def track() -> tuple[str, dict[str, str]]:
        return "x", {"Set-Cookie": "track=1; Path=/"}

    cookie = app.test_client().get("/track", base_url=HTTPS).headers["Set-Cookie"]
    assert cookie == "track=1; Path=/; Secure; HttpOnly; SameSite=Lax"


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("app.localhost", True),
        ("127.0.0.1", True),
        ("127.1.2.3:8000", True),
        ("[::1]:5000", True),
        ("127.example.com", False),
        ("example.com", False),
        ("10.0.0.1", False),
    ],
)
def test_local_hosts(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_pyproject_with_a_non_table_tool_key(tmp_path: Path) -> None:
    from secheaders import load_policy

    (tmp_path / "pyproject.toml").write_text('tool = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.secheaders\] table"):
        load_policy(tmp_path / "pyproject.toml")


def test_extend_errors_point_into_the_extend_table(tmp_path: Path) -> None:
    from secheaders import load_policy

    config = tmp_path / "ext.toml"
    config.write_text(
        'extends = "strict"\n[extend.content-security-policy]\n'
        'img-src = ["https://ok.example", "\'nope\'"]\n'
    )
    with pytest.raises(ConfigError) as exc_info:
        load_policy(config)
    assert exc_info.value.problems == [
        f"{config}: extend.content-security-policy.img-src: 'nope' is not a CSP keyword "
        "(did you mean none?)"
    ]
