"""Observatory scoring: bands, bonuses, each test's outcomes, and every preset at A+."""

from __future__ import annotations

from typing import Any

import pytest

from secheaders import evaluate, load_preset, presets
from secheaders.evaluation import TestResult, grade, score

BANDS = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
]


@pytest.mark.parametrize(("floor", "letter"), BANDS)
def test_each_band_starts_at_its_floor(floor: int, letter: str) -> None:
    assert grade(floor) == letter
    assert grade(floor + 4) == letter
    assert grade(floor - 1) != letter


def test_scores_above_100_and_below_25() -> None:
    assert grade(145) == "A+"
    assert grade(24) == "F"
    assert grade(0) == "F"


def _t(modifier: int) -> TestResult:
    return TestResult("t", "r", modifier, modifier >= 0, "")


def test_bonuses_count_only_from_90() -> None:
    assert score([_t(-10), _t(10)]) == 100
    assert score([_t(-15), _t(10)]) == 85
    assert score([_t(-100), _t(-40)]) == 0


def _results(headers: Any, https: bool = True) -> dict[str, tuple[str, int]]:
    return {t.name: (t.result, t.modifier) for t in evaluate(headers, https=https).tests}


def test_nothing_sent() -> None:
    report = evaluate({})
    assert report.score == 30  # CSP -25, HSTS -20, X-Frame-Options -20, nosniff -5
    assert report.grade == "D"


CSP_OUTCOMES = [
    ("script-src 'unsafe-inline'; object-src 'none'", "csp-implemented-with-unsafe-inline", -20),
    ("default-src 'self'; script-src data:", "csp-implemented-with-unsafe-inline", -20),
    ("default-src 'self'; object-src *", "csp-implemented-with-unsafe-inline", -20),
    ("default-src https:", "csp-implemented-with-unsafe-inline", -20),
    ("img-src 'self'", "csp-implemented-with-unsafe-inline", -20),  # no script-src: anything
    (
        "default-src 'self'; connect-src http://api.example",
        "csp-implemented-with-insecure-scheme",
        -20,
    ),
    (
        "default-src 'self'; script-src 'self' 'unsafe-eval'",
        "csp-implemented-with-unsafe-eval",
        -10,
    ),
    (
        "default-src 'self'; img-src http://img.example",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
        -10,
    ),
    (
        "default-src 'self'; style-src 'self' 'unsafe-inline'",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        0,
    ),
    ("default-src 'self'", "csp-implemented-with-no-unsafe", 5),
    (
        "default-src 'none'; script-src 'self'",
        "csp-implemented-with-no-unsafe-default-src-none",
        10,
    ),
    (
        "default-src 'none'; script-src 'nonce-abcdefgh' 'unsafe-inline' https:",
        "csp-implemented-with-unsafe-inline",
        -20,
    ),
    (
        "default-src 'none'; script-src 'nonce-abcdefgh' 'strict-dynamic' 'unsafe-inline' https:",
        "csp-implemented-with-no-unsafe-default-src-none",
        10,
    ),
    (
        "default-src 'none'; script-src 'nonce-abcdefgh' 'unsafe-inline'",
        "csp-implemented-with-no-unsafe-default-src-none",
        10,
    ),
    ("default-src 'self'; script-src 'strict-dynamic'", "csp-header-invalid", -25),
    ("default-src 'self'; default-src 'none'", "csp-header-invalid", -25),
]


@pytest.mark.parametrize(("policy", "result", "modifier"), CSP_OUTCOMES)
def test_csp_outcomes(policy: str, result: str, modifier: int) -> None:
    assert _results({"Content-Security-Policy": policy})["content-security-policy"] == (
        result,
        modifier,
    )


def test_csp_repeated_report_uri_is_valid_and_report_only_is_not_enough() -> None:
    valid = _results(
        {"Content-Security-Policy": "default-src 'self'; report-uri /a; report-uri /b"}
    )
    assert valid["content-security-policy"][1] == 5
    only = _results({"Content-Security-Policy-Report-Only": "default-src 'none'"})
    assert only["content-security-policy"] == ("csp-not-implemented-but-reporting-enabled", -25)


def test_insecure_scheme_only_counts_on_https() -> None:
    policy = {"Content-Security-Policy": "default-src 'self'; connect-src http://api.example"}
    assert _results(policy, https=False)["content-security-policy"][1] == 5


OTHER_OUTCOMES: list[tuple[dict[str, Any], str, str, int]] = [
    ({}, "strict-transport-security", "hsts-not-implemented", -20),
    ({"Strict-Transport-Security": "max-age=15551999"}, "strict-transport-security",
     "hsts-implemented-max-age-less-than-six-months", -10),
    ({"Strict-Transport-Security": "max-age=15552000"}, "strict-transport-security",
     "hsts-implemented-max-age-at-least-six-months", 0),
    ({"Strict-Transport-Security": "max-age=x"}, "strict-transport-security",
     "hsts-header-invalid", -20),
    ({"Strict-Transport-Security": ["max-age=15552000", "max-age=15552000"]},
     "strict-transport-security", "hsts-header-invalid", -20),
    ({"X-Frame-Options": "DENY"}, "x-frame-options", "x-frame-options-sameorigin-or-deny", 5),
    ({"X-Frame-Options": "ALLOW-FROM https://a.example"}, "x-frame-options",
     "x-frame-options-allow-from-origin", 0),
    ({"X-Frame-Options": "DENY, DENY"}, "x-frame-options", "x-frame-options-header-invalid", -20),
    ({"Content-Security-Policy": "frame-ancestors 'self'"}, "x-frame-options",
     "x-frame-options-implemented-via-csp", 5),
    ({"Content-Security-Policy-Report-Only": "frame-ancestors 'self'"}, "x-frame-options",
     "x-frame-options-not-implemented", -20),
    ({"X-Content-Type-Options": "nosniff"}, "x-content-type-options",
     "x-content-type-options-nosniff", 0),
    ({"X-Content-Type-Options": "nosniff, nosniff"}, "x-content-type-options",
     "x-content-type-options-header-invalid", -5),
    ({}, "referrer-policy", "referrer-policy-not-implemented", 0),
    ({"Referrer-Policy": "strict-origin"}, "referrer-policy", "referrer-policy-private", 5),
    ({"Referrer-Policy": "no-referrer, unsafe-url"},
      "referrer-policy", "referrer-policy-unsafe", -5),
    ({"Referrer-Policy": "no-referrer-when-downgrade"}, "referrer-policy",
     "referrer-policy-no-referrer-when-downgrade", 0),
    ({"Referrer-Policy": "nope"}, "referrer-policy", "referrer-policy-header-invalid", -5),
    ({"Cross-Origin-Resource-Policy": "same-site"}, "cross-origin-resource-policy",
     "corp-implemented-with-same-site", 10),
    ({"Cross-Origin-Resource-Policy": "cross-origin"}, "cross-origin-resource-policy",
     "corp-implemented-with-cross-origin", 0),
    ({"Cross-Origin-Resource-Policy": "same"}, "cross-origin-resource-policy",
     "corp-header-invalid", -5),
    ({"Cross-Origin-Opener-Policy": "noopener-allow-popups"}, "cross-origin-opener-policy",
     "coop-implemented-with-noopener-allow-popups", 10),
    ({"Cross-Origin-Opener-Policy": "unsafe-none"}, "cross-origin-opener-policy",
     "coop-implemented-with-unsafe-none", 0),
    ({"Cross-Origin-Opener-Policy": ["same-origin", "same-origin"]},
     "cross-origin-opener-policy", "coop-header-invalid", -5),
    ({"Cross-Origin-Embedder-Policy": "credentialless"}, "cross-origin-embedder-policy",
     "coep-implemented-with-credentialless", 10),
    ({"Cross-Origin-Embedder-Policy": "corp"}, "cross-origin-embedder-policy",
     "coep-header-invalid", -5),
    ({}, "cookies", "cookies-not-found", 0),
    ({"Set-Cookie": "sessionid=1; HttpOnly"},
      "cookies", "cookies-session-without-secure-flag", -40),
    ({"Set-Cookie": "sessionid=1; HttpOnly", "Strict-Transport-Security": "max-age=31536000"},
     "cookies", "cookies-session-without-secure-flag-but-protected-by-hsts", -10),
    ({"Set-Cookie": "login=1; Secure"}, "cookies", "cookies-session-without-httponly-flag", -30),
    ({"Set-Cookie": "csrftoken=1; Secure"},
      "cookies", "cookies-anticsrf-without-samesite-flag", -20),
    ({"Set-Cookie": "a=1; Secure; SameSite=Maybe"},
      "cookies", "cookies-samesite-flag-invalid", -20),
    ({"Set-Cookie": "a=1"}, "cookies", "cookies-without-secure-flag", -20),
    ({"Set-Cookie": "a=1", "Strict-Transport-Security": "max-age=31536000"}, "cookies",
     "cookies-without-secure-flag-but-protected-by-hsts", -5),
    ({"Set-Cookie": ["a=1; Secure", "session=2; Secure; HttpOnly"]}, "cookies",
     "cookies-secure-with-httponly-sessions", 0),
    ({"Set-Cookie": ["a=1; Secure; SameSite=Lax", "session=2; Secure; HttpOnly; SameSite=Strict"]},
     "cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "test", "result", "modifier"), OTHER_OUTCOMES)
def test_other_outcomes(headers: dict[str, Any], test: str, result: str, modifier: int) -> None:
    assert _results(headers)[test] == (result, modifier)


def test_hsts_over_http_scores_as_not_https() -> None:
    results = _results({"Strict-Transport-Security": "max-age=31536000"}, https=False)
    assert results["strict-transport-security"] == ("hsts-not-implemented-no-https", -20)


@pytest.mark.parametrize("name", sorted(presets()))
def test_every_preset_grades_a_plus_over_https(name: str) -> None:
    report = evaluate(load_preset(name))
    assert report.grade == "A+", [t for t in report.tests if t.modifier < 0]
    assert all(t.modifier >= 0 for t in report.tests)
