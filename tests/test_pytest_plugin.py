"""The pytest plugin, used from a test project of its own (pytester)."""

from __future__ import annotations

import pytest

from secheaders import SecurityPolicy, load_preset
from secheaders.pytest_plugin import assert_secure_headers

pytest_plugins = ["pytester"]

PROJECT = """
import pytest
from flask import Flask
from secheaders.flask import Secure

@pytest.fixture
def client():
    app = Flask(__name__)
    Secure(app, preset="{preset}")
    app.get("/")(lambda: "<p>hi</p>")
    return app.test_client()
"""


def test_plugin_is_loaded_by_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(PROJECT.format(preset="strict"))
    pytester.makepyfile(
        """
        def test_home(client, secure_headers):
            report = secure_headers(client.get("/", base_url="https://localhost"),
                                    min_grade="A", forbid=["unsafe-inline"])
            assert report.grade == "A+"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_failure_lists_the_findings(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(PROJECT.format(preset="basic"))
    pytester.makepyfile(
        """
        from secheaders.pytest_plugin import assert_secure_headers

        def test_home(client):
            assert_secure_headers(client.get("/"), min_grade="A+", forbid=["allowlist-review"])
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*security headers are not good enough:*",
            "*grade B+ (score 80) is below A+*",
            "*strict-transport-security -20 (hsts-not-implemented-no-https)*",
            "*forbidden findings:*",
            "*medium_maybe*allowlist-review*Content-Security-Policy default-src ?'self'?*",
        ]
    )


def test_https_follows_the_request_scheme() -> None:
    headers = load_preset("api").to_headers()
    assert assert_secure_headers(headers).https is True
    with pytest.raises(AssertionError, match="hsts-not-implemented-no-https"):
        assert_secure_headers(headers, https=False, min_grade="A+")


def test_fail_on_severity() -> None:
    policy = SecurityPolicy.model_validate({"x-frame-options": "DENY"})
    with pytest.raises(AssertionError, match="csp-missing"):
        assert_secure_headers(policy, fail_on="high")
    assert_secure_headers(policy, fail_on=None)


def test_csp_level() -> None:
    headers = {
        **dict(load_preset("strict").to_headers(nonce="abc12345abc12345")),
        "Content-Security-Policy": "script-src 'nonce-abc12345' 'strict-dynamic' 'unsafe-inline'; "
        "object-src 'none'; base-uri 'none'",
    }
    assert_secure_headers(headers, forbid=["unsafe-inline"])
    with pytest.raises(AssertionError, match="unsafe-inline"):
        assert_secure_headers(headers, forbid=["unsafe-inline"], csp_level=1)


def test_bad_grade_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"min_grade 'A\+\+' is not one of A\+, A, A-"):
        assert_secure_headers({}, min_grade="A++")
