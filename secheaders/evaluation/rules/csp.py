"""Content-Security-Policy: the CSP findings and the Observatory's CSP test."""

from __future__ import annotations

from collections.abc import Iterable

from secheaders.evaluation.context import Context
from secheaders.evaluation.csp import effective_sources, evaluate_csp, honoured_script_sources
from secheaders.evaluation.findings import Finding, Severity, TestResult
from secheaders.headers.csp import CSP, CSP_REPORT_ONLY, ContentSecurityPolicy
from secheaders.headers.csp_sources import (
    NONE,
    STRICT_DYNAMIC,
    UNSAFE_EVAL,
    HashSource,
    HostSource,
    NonceSource,
    SchemeSource,
    Source,
)

TEST = "content-security-policy"
#: Sources the Observatory counts as allowing any host.
BROAD = frozenset(
    {"*", "http:", "https:", "ftp:", "http://*", "http://*.*", "https://*", "https://*.*"}
)
_UNSAFE_SCRIPT = BROAD | {"'unsafe-inline'", "data:"}
#: Directives whose content cannot run code: http:// there is "passive" mixed content.
_PASSIVE = frozenset({"img-src", "media-src"})
#: Directives a policy may repeat without the Observatory calling it invalid.
_MAY_REPEAT = frozenset({"report-uri", "report-to"})


def csp_findings(ctx: Context) -> list[Finding]:
    """Findings on the enforced and the report-only policies."""
    enforced = ctx.policy.content_security_policy or ()
    report_only = ctx.policy.content_security_policy_report_only or ()
    found: list[Finding] = []
    for note in ctx.policy.diagnostics:
        if note.header in (CSP, CSP_REPORT_ONLY) and note.code in (
            "ignored-header",
            "empty-policy",
        ):
            found.append(
                Finding("invalid-header", Severity.SYNTAX, note.header, None, None, note.message)
            )
    if enforced:
        found.extend(evaluate_csp(enforced, level=ctx.csp_level).findings)
    else:
        why = " (a report-only policy only reports)" if report_only else ""
        found.append(
            Finding(
                "csp-missing",
                Severity.HIGH,
                CSP,
                None,
                None,
                f"no Content-Security-Policy is enforced{why}: injected scripts run",
                "start from a preset: Secure(app, preset='strict')",
            )
        )
    if report_only:
        found.extend(evaluate_csp(report_only, level=ctx.csp_level).findings)
    return found


def csp_test(ctx: Context) -> TestResult:
    """The Observatory's CSP test: the best outcome among the enforced policies."""
    enforced = ctx.policy.content_security_policy or ()
    if not enforced:
        if ctx.policy.content_security_policy_report_only:
            return TestResult(
                TEST,
                "csp-not-implemented-but-reporting-enabled",
                -25,
                False,
                "only a report-only policy is sent; nothing is enforced",
            )
        if "content-security-policy" in ctx.lines:
            return TestResult(
                TEST, "csp-header-invalid", -25, False, "browsers ignore the CSP header"
            )
        return TestResult(TEST, "csp-not-implemented", -25, False, "no CSP header")
    raw = ctx.lines.get("content-security-policy", [])
    outcomes = [
        _judge(policy, ctx.https)
        for policy in enforced
        if _valid(policy) and all(len(line.strip()) >= 6 for line in raw)
    ]
    if not outcomes:
        return TestResult(
            TEST,
            "csp-header-invalid",
            -25,
            False,
            "the policy repeats a directive or uses 'strict-dynamic' without a nonce or hash",
        )
    return max(outcomes, key=lambda outcome: outcome.modifier)


def _valid(policy: ContentSecurityPolicy) -> bool:
    for note in policy.diagnostics:
        if note.code == "duplicate-directive" and note.directive not in _MAY_REPEAT:
            return False
    _, script = effective_sources(policy, "script-src")
    return not (
        script is not None
        and STRICT_DYNAMIC in script
        and not any(isinstance(s, NonceSource | HashSource) for s in script)
    )


def _texts(sources: Iterable[Source] | None) -> set[str]:
    return {"*"} if sources is None else {str(source).lower() for source in sources}


def _honoured_script(policy: ContentSecurityPolicy) -> tuple[Source, ...] | None:
    """script-src as a CSP3 browser honours it (nonce/hash and 'strict-dynamic' cancel others).

    Only valid policies are judged, so 'strict-dynamic' here always comes with a nonce or hash,
    which is when the Observatory applies the same cancellations.
    """
    _, script = effective_sources(policy, "script-src")
    return None if script is None else tuple(honoured_script_sources(script, 3))


def _judge(policy: ContentSecurityPolicy, https: bool) -> TestResult:
    script = _honoured_script(policy)
    scripts = _texts(script)
    objects = _texts(effective_sources(policy, "object-src")[1])
    styles = _texts(effective_sources(policy, "style-src")[1])
    if scripts & _UNSAFE_SCRIPT or objects & BROAD:
        unsafe = sorted((scripts & _UNSAFE_SCRIPT) | (objects & BROAD))
        return TestResult(
            TEST,
            "csp-implemented-with-unsafe-inline",
            -20,
            False,
            f"scripts or plugins may come from anywhere or inline: {', '.join(unsafe)}",
        )
    active, passive = _insecure(policy)
    if https and active:
        return TestResult(
            TEST,
            "csp-implemented-with-insecure-scheme",
            -20,
            False,
            "active content may load over http: on an HTTPS site",
        )
    if script is not None and UNSAFE_EVAL in script:
        return TestResult(
            TEST, "csp-implemented-with-unsafe-eval", -10, False, "'unsafe-eval' is allowed"
        )
    if https and passive:
        return TestResult(
            TEST,
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
            True,
            "images or media may load over http: on an HTTPS site",
        )
    if styles & _UNSAFE_SCRIPT:
        return TestResult(
            TEST,
            "csp-implemented-with-unsafe-inline-in-style-src-only",
            0,
            True,
            "scripts are locked down; styles allow inline or any host",
        )
    if policy.default_src == (NONE,):
        return TestResult(
            TEST,
            "csp-implemented-with-no-unsafe-default-src-none",
            10,
            True,
            "no unsafe source, and default-src 'none'",
        )
    return TestResult(TEST, "csp-implemented-with-no-unsafe", 5, True, "no unsafe source")


def _insecure(policy: ContentSecurityPolicy) -> tuple[bool, bool]:
    """Whether an active or a passive directive allows http: content."""
    active = passive = False
    for name, value in policy.directives().items():
        if not isinstance(value, tuple):
            continue
        plain = any(
            (isinstance(s, HostSource) and s.scheme == "http")
            or (isinstance(s, SchemeSource) and s.scheme == "http")
            for s in value
        )
        if plain and name in _PASSIVE:
            passive = True
        elif plain:
            active = True
    return active, passive
