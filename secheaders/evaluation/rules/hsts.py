"""Strict-Transport-Security: browser validity, the preload list's rules, the Observatory test."""

from __future__ import annotations

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity, TestResult
from secheaders.headers.hsts import HSTS, ONE_YEAR

TEST = "strict-transport-security"
SIX_MONTHS = 15_552_000
TEN_YEARS = 10 * ONE_YEAR
_KEY = "strict-transport-security"


def hsts_findings(ctx: Context) -> list[Finding]:
    """Missing or weak HSTS, and what keeps the host off the preload list.

    Validity problems (a header browsers ignore) come from the parser's diagnostics.
    """
    hsts = ctx.policy.strict_transport_security
    found: list[Finding] = []

    def add(id_: str, severity: Severity, directive: str | None, message: str, hint: str) -> None:
        found.append(Finding(id_, severity, HSTS, directive, None, message, hint))

    if hsts is None:
        if ctx.https and _KEY not in ctx.lines:
            add(
                "hsts-missing",
                Severity.MEDIUM,
                None,
                "no HSTS: a network attacker can keep a visitor on plain HTTP",
                "send max-age=31536000; includeSubDomains",
            )
        return found
    if not ctx.https:
        add(
            "hsts-not-https",
            Severity.INFO,
            None,
            "browsers ignore HSTS received over plain HTTP",
            "serve the site over HTTPS",
        )
    asked = hsts.preload  # the site asked for the preload list: its rules are errors then
    preload_severity = Severity.MEDIUM if asked else Severity.INFO
    if hsts.max_age == 0:
        add(
            "hsts-max-age-zero",
            Severity.MEDIUM,
            "max-age",
            "max-age=0 tells browsers to forget HSTS for this host",
            "use max-age=31536000 or more",
        )
    elif hsts.max_age < ONE_YEAR:
        severity = Severity.MEDIUM if hsts.max_age < SIX_MONTHS else preload_severity
        add(
            "hsts-max-age-too-short",
            severity,
            "max-age",
            f"max-age={hsts.max_age} is under one year (the preload list's minimum)",
            "use max-age=31536000 or more",
        )
    elif hsts.max_age > TEN_YEARS:
        add(
            "hsts-max-age-over-10-years",
            Severity.INFO,
            "max-age",
            f"max-age={hsts.max_age} is over ten years; a typo is likely",
            "one or two years (31536000 or 63072000) is usual",
        )
    if not hsts.include_subdomains:
        add(
            "hsts-include-subdomains-missing",
            preload_severity,
            "includeSubDomains",
            "subdomains are not covered, so the preload list refuses the host",
            "add includeSubDomains once every subdomain serves HTTPS",
        )
    if not hsts.preload:
        add(
            "hsts-preload-token-missing",
            Severity.INFO,
            "preload",
            "without the preload token the host cannot join the browsers' preload list",
            "add preload when the host is ready for the list",
        )
    return found


def hsts_test(ctx: Context) -> TestResult:
    """The Observatory's HSTS test."""
    hsts = ctx.policy.strict_transport_security
    if not ctx.https:
        return TestResult(
            TEST, "hsts-not-implemented-no-https", -20, False, "the site is not served over HTTPS"
        )
    if _KEY not in ctx.lines:
        return TestResult(TEST, "hsts-not-implemented", -20, False, "no HSTS header")
    if hsts is None or len(ctx.lines[_KEY]) > 1:
        return TestResult(
            TEST, "hsts-header-invalid", -20, False, "the header is invalid or sent twice"
        )
    if hsts.max_age < SIX_MONTHS:
        return TestResult(
            TEST,
            "hsts-implemented-max-age-less-than-six-months",
            -10,
            False,
            f"max-age={hsts.max_age} is under six months",
        )
    return TestResult(
        TEST,
        "hsts-implemented-max-age-at-least-six-months",
        0,
        True,
        "max-age of six months or more",
    )
