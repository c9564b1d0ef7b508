"""secheaders.evaluate: one policy that triggers each finding id and one near miss that must not."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secheaders import evaluate
from secheaders.evaluation import Report, Severity

NONCE = "R4nd0mN0nc3R4nd0mN0nc3Q"
#: Strong headers that raise none of the ids below; each case changes a few of them.
BASE: dict[str, Any] = {
    "Content-Security-Policy": f"default-src 'none'; script-src 'nonce-{NONCE}' 'strict-dynamic'; "
    "base-uri 'none'; frame-ancestors 'none'; report-uri /csp",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
HSTS = "Strict-Transport-Security"
CSP = "Content-Security-Policy"
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("csp-missing", {CSP: None}, {}),
    ("invalid-header", {CSP: "default-src 'none'\x00"}, {}),
    ("hsts-missing", {HSTS: None}, {}),
    ("hsts-max-age-missing", {HSTS: "includeSubDomains"}, {HSTS: "max-age=1; includeSubDomains"}),
    ("hsts-max-age-syntax", {HSTS: "max-age=1e9"}, {HSTS: 'max-age="63072000"'}),
    ("hsts-duplicate-directive", {HSTS: "max-age=1; Max-Age=1"}, {HSTS: "max-age=1; foo; foo"}),
    ("hsts-directive-syntax", {HSTS: "max-age=1; includeSubDomains=1"}, {}),
    ("hsts-preload-token-missing", {HSTS: "max-age=63072000; includeSubDomains"}, {}),
    ("hsts-include-subdomains-missing", {HSTS: "max-age=63072000; preload"}, {}),
    (
        "hsts-max-age-too-short",
        {HSTS: "max-age=31535999; includeSubDomains; preload"},
        {HSTS: "max-age=31536000; includeSubDomains; preload"},
    ),
    ("hsts-max-age-zero", {HSTS: "max-age=0"}, {HSTS: "max-age=1"}),
    (
        "hsts-max-age-over-10-years",
        {HSTS: "max-age=315360001; includeSubDomains; preload"},
        {HSTS: "max-age=315360000; includeSubDomains; preload"},
    ),
    (
        "hsts-repeated-directive",
        {HSTS: "max-age=63072000; includeSubDomains; preload; preload"},
        {},
    ),
    ("hsts-unknown-directive", {HSTS: "max-age=63072000; includeSubDomains; preload; x"}, {}),
    ("hsts-empty-directive", {HSTS: "max-age=63072000;; includeSubDomains; preload"}, {}),
    (
        "hsts-max-age-leading-zero",
        {HSTS: "max-age=063072000; includeSubDomains; preload"},
        {HSTS: "max-age=0"},
    ),
    ("hsts-repeated-header", {HSTS: [BASE[HSTS], "max-age=1"]}, {}),
    ("xfo-multiple-values", {"X-Frame-Options": "DENY, SAMEORIGIN"}, {"X-Frame-Options": "deny"}),
    ("xfo-allow-from", {"X-Frame-Options": "ALLOW-FROM https://a.example"}, {}),
    ("xfo-invalid", {"X-Frame-Options": "ALLOWALL"}, {"X-Frame-Options": "SameOrigin"}),
    (
        "xfo-missing",
        {"X-Frame-Options": None, CSP: "script-src 'none'; object-src 'none'"},
        {"X-Frame-Options": None},
    ),
    (
        "xfo-frame-ancestors-conflict",
        {"X-Frame-Options": "SAMEORIGIN"},
        {CSP: "default-src 'none'; frame-ancestors 'self'", "X-Frame-Options": "SAMEORIGIN"},
    ),
    ("xcto-missing", {"X-Content-Type-Options": None}, {}),
    ("xcto-invalid", {"X-Content-Type-Options": "sniff"}, {"X-Content-Type-Options": "NoSniff"}),
    ("xcto-extra-values", {"X-Content-Type-Options": "nosniff, nosniff"}, {}),
    (
        "referrer-policy-unsafe",
        {"Referrer-Policy": "unsafe-url"},
        {"Referrer-Policy": "unsafe-url, no-referrer"},
    ),
    ("referrer-policy-invalid", {"Referrer-Policy": "never"}, {"Referrer-Policy": "never, origin"}),
    ("referrer-policy-unknown-token", {"Referrer-Policy": "never, no-referrer"}, {}),
    (
        "permissions-policy-unknown-feature",
        {"Permissions-Policy": "camera=(), teleport=()"},
        {"Permissions-Policy": "camera=(), ch-ua-arch=()"},
    ),
    (
        "permissions-policy-retired-feature",
        {"Permissions-Policy": "interest-cohort=()"},
        {"Permissions-Policy": "browsing-topics=()"},
    ),
    ("permissions-policy-invalid", {"Permissions-Policy": "camera=("}, {}),
    ("coop-invalid", {"Cross-Origin-Opener-Policy": "same-origin-plus"}, {}),
    ("coep-invalid", {"Cross-Origin-Embedder-Policy": "require_corp"}, {}),
    (
        "corp-invalid",
        {"Cross-Origin-Resource-Policy": "Same-Origin"},
        {"Cross-Origin-Resource-Policy": "same-origin"},
    ),
    (
        "coep-cross-origin-embeds",
        {
            "Cross-Origin-Embedder-Policy": "require-corp",
            CSP: f"{BASE[CSP]}; img-src https://cdn.example",
        },
        {
            "Cross-Origin-Embedder-Policy": "credentialless",
            CSP: f"{BASE[CSP]}; img-src https://cdn.example",
        },
    ),
    ("cookie-without-secure", {"Set-Cookie": "a=1; HttpOnly"}, {"Set-Cookie": "a=1; secure"}),
    (
        "cookie-without-httponly",
        {"Set-Cookie": "session=1; Secure; SameSite=Lax"},
        {"Set-Cookie": "prefs=1; Secure; SameSite=Lax"},
    ),
    (
        "cookie-without-samesite",
        {"Set-Cookie": "a=1; Secure"},
        {"Set-Cookie": "a=1; Secure; SameSite=Strict"},
    ),
    (
        "cookie-samesite-invalid",
        {"Set-Cookie": "a=1; Secure; SameSite=Bogus"},
        {"Set-Cookie": "a=1; Secure; samesite=none"},
    ),
    (
        "cookie-samesite-none-without-secure",
        {"Set-Cookie": "a=1; SameSite=None"},
        {"Set-Cookie": "a=1; SameSite=None; Secure"},
    ),
    ("nonce-cacheable", {"Cache-Control": None}, {"Cache-Control": "private, max-age=60"}),
    (
        "report-to-without-endpoints",
        {CSP: f"{BASE[CSP]}; report-to main"},
        {CSP: f"{BASE[CSP]}; report-to main", "Reporting-Endpoints": 'main="https://r.example/"'},
    ),
    ("deprecated-header", {"Expect-CT": "max-age=0"}, {}),
]


def headers(changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**BASE, **changes}
    return {name: value for name, value in merged.items() if value is not None}


def test_base_is_clean() -> None:
    report = evaluate(BASE)
    assert report.grade == "A+"
    assert report.at_least(Severity.HIGH_MAYBE) == []


@pytest.mark.parametrize(("id_", "trigger", "near_miss"), CASES, ids=[c[0] for c in CASES])
def test_finding_and_near_miss(
    id_: str, trigger: dict[str, Any], near_miss: dict[str, Any]
) -> None:
    assert id_ in evaluate(headers(trigger)).ids()
    assert id_ not in evaluate(headers(near_miss)).ids()


def test_hsts_over_http_is_ignored() -> None:
    assert "hsts-not-https" in evaluate(BASE, https=False).ids()
    assert "hsts-not-https" not in evaluate(BASE).ids()
    assert "hsts-missing" not in evaluate(headers({HSTS: None}), https=False).ids()


def test_preload_rules_are_errors_only_when_preload_is_asked_for() -> None:
    asked = evaluate(headers({HSTS: "max-age=63072000; preload"}))
    not_asked = evaluate(headers({HSTS: "max-age=63072000"}))
    assert _severity(asked, "hsts-include-subdomains-missing") is Severity.MEDIUM
    assert _severity(not_asked, "hsts-include-subdomains-missing") is Severity.INFO


def test_shared_cache_is_worse_than_no_cache_control() -> None:
    public = evaluate(headers({"Cache-Control": "public, max-age=600"}))
    silent = evaluate(headers({"Cache-Control": None}))
    assert _severity(public, "nonce-cacheable") is Severity.MEDIUM
    assert _severity(silent, "nonce-cacheable") is Severity.MEDIUM_MAYBE


def test_report_only_policy_is_judged_but_does_not_protect() -> None:
    report = evaluate(
        headers({CSP: None, "Content-Security-Policy-Report-Only": "script-src 'unsafe-inline'"})
    )
    assert "csp-missing" in report.ids()
    unsafe = [f for f in report.findings if f.id == "unsafe-inline"]
    assert [f.header for f in unsafe] == ["Content-Security-Policy-Report-Only"]


FALLBACKS = (
    "script-src 'nonce-abc12345' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; "
    "base-uri 'none'"
)


@pytest.mark.parametrize(
    ("csp_level", "high"),
    [(3, set()), (2, {"plain-scheme"}), (1, {"plain-scheme", "unsafe-inline"})],
)
def test_csp_level_judges_what_an_older_browser_enforces(csp_level: int, high: set[str]) -> None:
    report = evaluate(headers({CSP: FALLBACKS}), csp_level=csp_level)
    assert {f.id for f in report.findings if f.severity is Severity.HIGH} == high
    assert report.grade == evaluate(headers({CSP: FALLBACKS})).grade  # the Observatory's


def test_csp_level_is_checked() -> None:
    with pytest.raises(ValueError, match="csp_level is 1, 2 or 3"):
        evaluate({}, csp_level=4)


def test_findings_are_sorted_most_severe_first() -> None:
    ranks = [f.severity.rank for f in evaluate({"Set-Cookie": "session=1"}).findings]
    assert ranks == sorted(ranks)


def _severity(report: Report, id_: str) -> Severity:
    return next(f.severity for f in report.findings if f.id == id_)


NAMES = [
    *BASE,
    "Set-Cookie",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Embedder-Policy",
    "Cross-Origin-Resource-Policy",
    "Reporting-Endpoints",
    "Report-To",
    "Content-Security-Policy-Report-Only",
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.one_of(
                st.text(max_size=60),
                st.lists(
                    st.sampled_from(["max-age=1", ";", ",", "'nonce-x'", "report-to a", "=", '"']),
                    max_size=8,
                ).map(" ".join),
            ),
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_evaluate_never_raises_for_header_values(pairs: list[tuple[str, str]], https: bool) -> None:
    report = evaluate(pairs, https=https)
    assert report.grade in ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")
    assert report.score >= 0
