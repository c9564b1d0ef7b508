"""Framing: X-Frame-Options, CSP frame-ancestors, and whether the two agree."""

from __future__ import annotations

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity, TestResult
from secheaders.headers.csp import CSP
from secheaders.headers.csp_sources import NONE, SELF, Source
from secheaders.headers.framing import XFO

TEST = "x-frame-options"
_AGREES = {"DENY": (NONE,), "SAMEORIGIN": (SELF,)}


def frame_ancestors(ctx: Context) -> tuple[Source, ...] | None:
    """The frame-ancestors of the first enforced policy that sets it (browsers apply all)."""
    for policy in ctx.policy.content_security_policy or ():
        if policy.frame_ancestors is not None:
            return policy.frame_ancestors
    return None


def framing(ctx: Context) -> str:
    """What a current browser does with a cross-origin framing attempt, in words."""
    ancestors = frame_ancestors(ctx)
    if ancestors is not None:
        return (
            f"frame-ancestors {' '.join(map(str, ancestors))} decides (X-Frame-Options is ignored)"
        )
    xfo = ctx.policy.x_frame_options
    if xfo is not None:
        return "no framing at all" if xfo.value == "DENY" else "same-origin framing only"
    return "any site may frame the page"


def framing_findings(ctx: Context) -> list[Finding]:
    """No framing protection at all, or X-Frame-Options and frame-ancestors disagreeing."""
    ancestors = frame_ancestors(ctx)
    xfo = ctx.policy.x_frame_options
    if ancestors is None and xfo is None:
        return [
            Finding(
                "xfo-missing",
                Severity.MEDIUM,
                XFO,
                None,
                None,
                "any site may frame the page (clickjacking)",
                "send CSP frame-ancestors 'none' (or 'self') and X-Frame-Options: DENY",
            )
        ]
    if ancestors is not None and xfo is not None and _AGREES[xfo.value] != ancestors:
        shown = " ".join(map(str, ancestors))
        return [
            Finding(
                "xfo-frame-ancestors-conflict",
                Severity.INFO,
                CSP,
                "frame-ancestors",
                shown,
                f"X-Frame-Options {xfo.value} and frame-ancestors {shown} disagree; browsers "
                "with CSP obey frame-ancestors, older ones X-Frame-Options",
                "make them say the same thing",
            )
        ]
    return []


def xfo_test(ctx: Context) -> TestResult:
    """The Observatory's X-Frame-Options test (frame-ancestors counts as well)."""
    if frame_ancestors(ctx) is not None:
        return TestResult(
            TEST, "x-frame-options-implemented-via-csp", 5, True, "CSP frame-ancestors is set"
        )
    raw = ctx.raw("x-frame-options")
    if raw is None:
        return TestResult(TEST, "x-frame-options-not-implemented", -20, False, "no X-Frame-Options")
    value = raw.strip().lower()
    if value in ("deny", "sameorigin"):
        return TestResult(
            TEST, "x-frame-options-sameorigin-or-deny", 5, True, f"X-Frame-Options {value.upper()}"
        )
    if value.startswith("allow-from"):
        return TestResult(
            TEST,
            "x-frame-options-allow-from-origin",
            0,
            True,
            "ALLOW-FROM: browsers ignore it",
        )
    return TestResult(TEST, "x-frame-options-header-invalid", -20, False, f"{raw!r} is not valid")
