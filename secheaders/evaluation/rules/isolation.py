"""Cross-Origin-Opener-Policy, -Embedder-Policy and -Resource-Policy."""

from __future__ import annotations

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity, TestResult
from secheaders.headers import CrossOriginEmbedderPolicy
from secheaders.headers.cross_origin import COEP
from secheaders.headers.csp_sources import HostSource

#: Fetch directives whose cross-origin loads need CORP or CORS under COEP require-corp.
_EMBEDS = (
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "media-src",
    "frame-src",
    "default-src",
)


def isolation_findings(ctx: Context) -> list[Finding]:
    """COEP require-corp beside cross-origin hosts the CSP embeds."""
    coep = ctx.policy.cross_origin_embedder_policy
    if coep is None or coep.value != "require-corp":
        return []
    hosts: dict[str, HostSource] = {}
    for policy in ctx.policy.content_security_policy or ():
        directives = policy.directives()
        for name in _EMBEDS:
            for source in directives.get(name) or ():
                if isinstance(source, HostSource):
                    hosts.setdefault(str(source), source)
    return [
        Finding(
            "coep-cross-origin-embeds",
            Severity.INFO,
            COEP,
            None,
            shown,
            f"the CSP allows embeds from {shown}, which load under require-corp only if they "
            "send Cross-Origin-Resource-Policy or are requested with CORS",
            "check those hosts send CORP: cross-origin, or use COEP credentialless",
        )
        for shown in hosts
    ]


def _token_test(
    ctx: Context, key: str, good: frozenset[str], prefix: str, model_value: str | None
) -> TestResult:
    values = ctx.lines.get(key)
    if values is None:
        return TestResult(key, f"{prefix}-not-implemented", 0, True, "not sent")
    if len(values) > 1 or model_value is None:
        return TestResult(key, f"{prefix}-header-invalid", -5, False, "invalid or sent twice")
    if model_value in good:
        return TestResult(key, f"{prefix}-implemented-with-{model_value}", 10, True, model_value)
    return TestResult(key, f"{prefix}-implemented-with-{model_value}", 0, True, model_value)


def coop_test(ctx: Context) -> TestResult:
    """COOP: an isolating value +10; invalid or repeated -5."""
    coop = ctx.policy.cross_origin_opener_policy
    good = frozenset({"same-origin", "same-origin-allow-popups", "noopener-allow-popups"})
    return _token_test(
        ctx, "cross-origin-opener-policy", good, "coop", None if coop is None else coop.value
    )


def coep_test(ctx: Context) -> TestResult:
    """COEP: require-corp or credentialless +10; invalid or repeated -5."""
    coep: CrossOriginEmbedderPolicy | None = ctx.policy.cross_origin_embedder_policy
    good = frozenset({"require-corp", "credentialless"})
    return _token_test(
        ctx, "cross-origin-embedder-policy", good, "coep", None if coep is None else coep.value
    )


def corp_test(ctx: Context) -> TestResult:
    """CORP: same-origin or same-site +10, cross-origin 0, invalid -5."""
    corp = ctx.policy.cross_origin_resource_policy
    good = frozenset({"same-origin", "same-site"})
    return _token_test(
        ctx, "cross-origin-resource-policy", good, "corp", None if corp is None else corp.value
    )
