"""Per-view overrides, blueprints, report-only, app factories and settings precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, Flask
from pydantic import ValidationError

from secheaders import CompositionError, ConfigError, Secure, load_preset
from tests.helpers import assert_headers, security_headers

from .conftest import HTTPS


def get(app: Flask, path: str, base_url: str = HTTPS) -> dict[str, str]:
    return dict(security_headers(app.test_client().get(path, base_url=base_url)))


def test_override_extend_and_exempt(app: Flask) -> None:
    secure = Secure(app, preset="strict")

    @app.route("/widget")
    @secure.override(x_frame_options=None, csp={"frame-ancestors": ["https://partner.example"]})
    def widget() -> str:
        return "w"

    @app.route("/gallery")
    @secure.extend(csp={"img-src": ["https://images.example"]})
    def gallery() -> str:
        return "g"

    @app.route("/healthz")
    @secure.exempt
    def healthz() -> str:
        return "ok"

    @app.route("/api")
    @secure.exempt("content-security-policy", "x_frame_options")
    def api() -> str:
        return "{}"

    widget_headers = get(app, "/widget")
    assert "X-Frame-Options" not in widget_headers
    assert "frame-ancestors https://partner.example" in widget_headers["Content-Security-Policy"]
    gallery_headers = get(app, "/gallery")
    assert (
        "img-src 'self' data: https://images.example;" in gallery_headers["Content-Security-Policy"]
    )
    assert gallery_headers["X-Frame-Options"] == "DENY"
    assert get(app, "/healthz") == {}
    api_headers = get(app, "/api")
    assert "Content-Security-Policy" not in api_headers
    assert "X-Frame-Options" not in api_headers
    assert api_headers["X-Content-Type-Options"] == "nosniff"


def test_a_bad_override_fails_at_import_time(app: Flask) -> None:
    secure = Secure(preset="strict")
    with pytest.raises(ValidationError, match="write 'self'"):
        secure.override(csp={"img-src": ["self"]})
    with pytest.raises(CompositionError, match="cannot be extended"):
        secure.extend(x_frame_options="SAMEORIGIN")
    with pytest.raises(CompositionError, match="unknown header 'xfo'"):
        secure.exempt("xfo")


def test_a_bad_override_in_a_factory_fails_in_init_app(app: Flask) -> None:
    secure = Secure()

    @app.route("/bad")
    @secure.override(csp={"img-src": ["self"]})
    def bad() -> str:
        return "x"

    with pytest.raises(ValidationError, match="write 'self'"):
        secure.init_app(app)


def test_blueprint_policy_and_views_inside_it(app: Flask) -> None:
    secure = Secure(preset="strict")
    admin = Blueprint("admin", __name__, url_prefix="/admin")
    reports = Blueprint("reports", __name__, url_prefix="/reports")

    @admin.route("/")
    def dashboard() -> str:
        return "admin"

    @reports.route("/")
    @secure.override(referrer_policy="no-referrer")
    def listing() -> str:
        return "reports"

    @app.route("/")
    def index() -> str:
        return "home"

    admin.register_blueprint(reports)
    app.register_blueprint(admin)
    secure.policy_for(admin, preset="legacy-compatible")
    secure.init_app(app)
    legacy = load_preset("legacy-compatible")
    assert get(app, "/admin/") == dict(legacy.to_headers())
    nested = get(app, "/admin/reports/")
    assert nested["Referrer-Policy"] == "no-referrer"
    assert nested["X-Frame-Options"] == "SAMEORIGIN"
    assert get(app, "/") == dict(load_preset("strict").to_headers())


def test_report_only_mode_and_staged_roll_out(app: Flask) -> None:
    Secure(app, preset="basic", report_only=True)

    @app.route("/")
    def index() -> str:
        return "x"

    headers = get(app, "/")
    basic_csp = load_preset("basic").csp
    assert basic_csp is not None
    assert headers["Content-Security-Policy"] == "upgrade-insecure-requests"
    assert headers["Content-Security-Policy-Report-Only"] == basic_csp.to_header().removesuffix(
        "; upgrade-insecure-requests"
    )

    staged = Flask("staged")
    policy = load_preset("basic").replace(
        csp_report_only={"script-src": ["'nonce'", "'strict-dynamic'"], "object-src": []}
    )
    Secure(staged, policy=policy)

    @staged.route("/")
    def both() -> str:
        return "x"

    response = staged.test_client().get("/", base_url=HTTPS)
    assert response.headers["Content-Security-Policy"] == basic_csp.to_header()
    assert response.headers["Content-Security-Policy-Report-Only"] == (
        "script-src 'none'; object-src 'none'"
    )


def test_one_extension_two_apps_two_presets() -> None:
    secure = Secure()

    def create(preset: str) -> Flask:
        app = Flask(preset)
        app.config["SECHEADERS_PRESET"] = preset

        @app.route("/")
        def index() -> str:
            return preset

        secure.init_app(app)
        return app

    api, basic = create("api"), create("basic")
    assert get(api, "/") == dict(load_preset("api").to_headers())
    assert get(basic, "/") == dict(load_preset("basic").to_headers())
    assert api.extensions["secheaders"].owner == basic.extensions["secheaders"].owner == id(secure)


def test_settings_precedence(tmp_path: Path) -> None:
    config = tmp_path / "secheaders.toml"
    config.write_text('extends = "api"\nreferrer-policy = "same-origin"\n')

    def referrer(app: Flask) -> str:
        @app.route("/")
        def index() -> str:
            return "x"

        return get(app, "/")["Referrer-Policy"]

    from_default = Flask("default")
    Secure(from_default)
    assert referrer(from_default) == "same-origin"  # strict

    from_config = Flask("config")
    from_config.config.update(SECHEADERS_PRESET="basic", SECHEADERS_CONFIG=str(config))
    Secure(from_config)
    assert referrer(from_config) == "same-origin"  # the file wins over the preset name
    assert get(from_config, "/")["Cache-Control"] == "no-store"

    from_preset = Flask("preset")
    from_preset.config["SECHEADERS_PRESET"] = "basic"
    Secure(from_preset)
    assert referrer(from_preset) == "strict-origin-when-cross-origin"

    explicit = Flask("explicit")
    explicit.config.update(SECHEADERS_PRESET="basic", SECHEADERS_REPORT_ONLY=True)
    Secure(explicit, preset="api", report_only=False)
    assert referrer(explicit) == "no-referrer"
    assert "Content-Security-Policy" in get(explicit, "/")

    from_flag = Flask("flag")
    from_flag.config.update(SECHEADERS_PRESET="api", SECHEADERS_REPORT_ONLY=True)
    Secure(from_flag)
    assert referrer(from_flag) == "no-referrer"
    assert "Content-Security-Policy-Report-Only" in get(from_flag, "/")


def test_bad_settings_fail_in_init_app(app: Flask) -> None:
    app.config["SECHEADERS_PRESET"] = "strikt"
    with pytest.raises(ConfigError, match="did you mean strict"):
        Secure(app)
    with pytest.raises(ValueError, match="at most one of"):
        Secure(preset="strict", config="x.toml")
    with pytest.raises(ValueError, match="harden_cookies"):
        Secure(Flask("x"), harden_cookies="everything")


def test_plain_http_gets_no_hsts_and_localhost_no_upgrades(app: Flask) -> None:
    Secure(app, preset="strict")

    @app.route("/")
    def index() -> str:
        return "x"

    https = get(app, "/")
    assert "Strict-Transport-Security" in https
    assert https["Content-Security-Policy"].endswith("upgrade-insecure-requests")
    remote = get(app, "/", base_url="http://app.example")
    assert "Strict-Transport-Security" not in remote
    assert remote["Content-Security-Policy"].endswith("upgrade-insecure-requests")
    for local in ("http://localhost:5000", "http://127.0.0.1:8000", "http://[::1]:5000"):
        headers = get(app, "/", base_url=local)
        assert "Strict-Transport-Security" not in headers
        assert "upgrade-insecure-requests" not in headers["Content-Security-Policy"]


def test_force_https(app: Flask) -> None:
    secure = Secure(app, preset="strict", force_https=True)

    @app.route("/", methods=["GET", "POST"])
    def index() -> str:
        return "x"

    @app.route("/healthz")
    @secure.exempt
    def healthz() -> str:
        return "ok"

    client = app.test_client()
    get_response = client.get("/?a=1", base_url="http://app.example")
    assert (get_response.status_code, get_response.location) == (301, "https://app.example/?a=1")
    assert client.post("/", base_url="http://app.example").status_code == 308
    assert client.get("/", base_url=HTTPS).status_code == 200
    assert client.get("/healthz", base_url="http://app.example").status_code == 200
    app.debug = True
    assert client.get("/", base_url="http://app.example").status_code == 200


def test_cookie_hardening(app: Flask) -> None:
    def make(mode: str) -> Flask:
        flask_app = Flask(mode)
        flask_app.secret_key = "test"
        Secure(flask_app, preset="strict", harden_cookies=mode)

        @flask_app.route("/")
        def index() -> tuple[str, dict[str, str]]:
            from flask import session

            session["user"] = "a"
            return "x", {"Set-Cookie": "theme=dark; Path=/"}

        return flask_app

    def cookies(flask_app: Flask, base_url: str) -> list[str]:
        return flask_app.test_client().get("/", base_url=base_url).headers.getlist("Set-Cookie")

    session_only = cookies(make("session"), HTTPS)
    assert session_only[0] == "theme=dark; Path=/"
    assert session_only[1].startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {a.strip() for a in session_only[1].split(";")}
    configured = Flask("configured")
    configured.config.update(SESSION_COOKIE_SAMESITE="Strict")
    Secure(configured, preset="strict")
    assert configured.config["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert configured.config["SESSION_COOKIE_SECURE"] is True
    untouched = Flask("untouched")
    Secure(untouched, preset="strict", harden_cookies="off")
    assert untouched.config["SESSION_COOKIE_SECURE"] is False
    everything = cookies(make("all"), HTTPS)
    assert everything[0] == "theme=dark; Path=/; Secure; HttpOnly; SameSite=Lax"
    over_http = cookies(make("all"), "http://localhost")
    assert over_http[0] == "theme=dark; Path=/; HttpOnly; SameSite=Lax"
    assert cookies(make("off"), HTTPS)[0] == "theme=dark; Path=/"


def test_exact_headers_for_a_nonced_legacy_page(app: Flask) -> None:
    Secure(app, preset="legacy-compatible")

    @app.route("/")
    def index() -> str:
        from secheaders.flask import csp_nonce

        return csp_nonce()

    response = app.test_client().get("/", base_url=HTTPS)
    nonce = response.get_data(as_text=True)
    expected = load_preset("legacy-compatible").to_headers(nonce)
    assert_headers(response, [*expected, ("Cache-Control", "private")])


def test_views_registered_after_init_app_are_checked_when_registered(app: Flask) -> None:
    secure = Secure()
    secure.init_app(app)
    late = Blueprint("late", __name__)

    @late.route("/late")
    @secure.override(csp={"img-src": ["self"]})
    def bad() -> str:
        return "x"

    with pytest.raises(ValidationError, match="write 'self'"):
        app.register_blueprint(late)


def test_decorating_after_registration_and_late_blueprint_policies(app: Flask) -> None:
    secure = Secure(app, preset="strict")
    shop = Blueprint("shop", __name__, url_prefix="/shop")

    @app.route("/")
    def index() -> str:
        return "x"

    @shop.route("/")
    def listing() -> str:
        return "shop"

    app.register_blueprint(shop)
    secure.override(x_frame_options=None)(index)  # decorator applied after @app.route
    assert "X-Frame-Options" not in get(app, "/")
    secure.policy_for(shop, preset="basic")  # after init_app
    assert get(app, "/shop/") == dict(load_preset("basic").to_headers())
    assert get(app, "/")["Referrer-Policy"] == "same-origin"
