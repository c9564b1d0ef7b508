"""X-Content-Type-Options and Referrer-Policy."""

from __future__ import annotations

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity, TestResult
from secheaders.headers.misc import XCTO
from secheaders.headers.referrer import REFERRER_POLICY

XCTO_TEST = "x-content-type-options"
REFERRER_TEST = "referrer-policy"
#: Policies that send nothing beyond the origin to other sites, and nothing over HTTP.
PRIVATE = frozenset(
    {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
)
#: Policies that send the origin or the full URL to plain-HTTP sites.
UNSAFE = frozenset({"origin", "origin-when-cross-origin", "unsafe-url"})


def content_findings(ctx: Context) -> list[Finding]:
    """Missing nosniff and a leaky referrer policy (header syntax comes from diagnostics)."""
    found: list[Finding] = []
    if "x-content-type-options" not in ctx.lines:
        found.append(
            Finding(
                "xcto-missing",
                Severity.MEDIUM_MAYBE,
                XCTO,
                None,
                None,
                "browsers may sniff a response into a script or style",
                "send X-Content-Type-Options: nosniff",
            )
        )
    referrer = ctx.policy.referrer_policy
    if referrer is not None and referrer.effective in UNSAFE:
        found.append(
            Finding(
                "referrer-policy-unsafe",
                Severity.MEDIUM_MAYBE,
                REFERRER_POLICY,
                None,
                referrer.effective,
                f"{referrer.effective} sends this site's origin or URL to plain-HTTP sites",
                "use strict-origin-when-cross-origin or no-referrer",
            )
        )
    return found


def xcto_test(ctx: Context) -> TestResult:
    """The Observatory's X-Content-Type-Options test: exactly ``nosniff``."""
    raw = ctx.raw("x-content-type-options")
    if raw is None:
        return TestResult(
            XCTO_TEST, "x-content-type-options-not-implemented", -5, False, "no nosniff"
        )
    if raw.strip().lower() == "nosniff":
        return TestResult(XCTO_TEST, "x-content-type-options-nosniff", 0, True, "nosniff")
    return TestResult(
        XCTO_TEST, "x-content-type-options-header-invalid", -5, False, f"{raw!r} is not nosniff"
    )


def referrer_test(ctx: Context) -> TestResult:
    """The Observatory's Referrer-Policy test, on the last token a browser recognises."""
    if "referrer-policy" not in ctx.lines:
        return TestResult(
            REFERRER_TEST, "referrer-policy-not-implemented", 0, True, "browser default applies"
        )
    referrer = ctx.policy.referrer_policy
    if referrer is None:
        return TestResult(
            REFERRER_TEST, "referrer-policy-header-invalid", -5, False, "no recognised policy"
        )
    token = referrer.effective
    if token in PRIVATE:
        return TestResult(REFERRER_TEST, "referrer-policy-private", 5, True, token)
    if token in UNSAFE:
        return TestResult(REFERRER_TEST, "referrer-policy-unsafe", -5, False, token)
    return TestResult(REFERRER_TEST, "referrer-policy-no-referrer-when-downgrade", 0, True, token)
