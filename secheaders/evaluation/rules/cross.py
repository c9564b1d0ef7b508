"""Checks across headers: a cached nonce, and report-to names no header defines."""

from __future__ import annotations

import json
from collections.abc import Iterator

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity
from secheaders.headers.caching import CACHE_CONTROL
from secheaders.headers.csp_sources import NonceSource


def _nonced(ctx: Context) -> str | None:
    """The header name of the first CSP that holds a nonce, if any."""
    policies = (
        *(ctx.policy.content_security_policy or ()),
        *(ctx.policy.content_security_policy_report_only or ()),
    )
    for policy in policies:
        for value in policy.directives().values():
            if isinstance(value, tuple) and any(isinstance(s, NonceSource) for s in value):
                return policy.header_name
    return None


def nonce_cache_findings(ctx: Context) -> list[Finding]:
    """A nonce on a response a shared cache may store is the same for every visitor."""
    header = _nonced(ctx)
    if header is None:
        return []
    cache = ctx.policy.cache_control
    if cache is not None and (cache.no_store or cache.private):
        return []
    explicit = cache is not None and (cache.public or cache.s_maxage is not None)
    how = (
        "Cache-Control lets shared caches store it" if explicit else "nothing stops a shared cache"
    )
    return [
        Finding(
            "nonce-cacheable",
            Severity.MEDIUM if explicit else Severity.MEDIUM_MAYBE,
            CACHE_CONTROL,
            None,
            None,
            f"the response carries a CSP nonce and {how}: a cached copy serves one nonce to "
            "every visitor, so an attacker can read and reuse it",
            "send Cache-Control: private or no-store with nonced pages",
        )
    ]


def _reporting_groups(ctx: Context) -> set[str]:
    """Endpoint names from Reporting-Endpoints and the legacy Report-To header."""
    names = set(ctx.policy.reporting_endpoints.endpoints if ctx.policy.reporting_endpoints else ())
    for line in ctx.lines.get("report-to", []):
        try:
            groups = json.loads(f"[{line}]")
        except ValueError:
            continue
        for group in groups:
            if isinstance(group, dict):
                name = group.get("group", "default")
                if isinstance(name, str):
                    names.add(name)
    return names


def _report_to_uses(ctx: Context) -> Iterator[tuple[str, str | None, str]]:
    """(header, directive or feature, endpoint name) for every report-to in the response."""
    policy = ctx.policy
    for csp in (
        *(policy.content_security_policy or ()),
        *(policy.content_security_policy_report_only or ()),
    ):
        if csp.report_to is not None:
            yield csp.header_name, "report-to", str(csp.report_to)
    for model in (
        policy.cross_origin_opener_policy,
        policy.cross_origin_opener_policy_report_only,
        policy.cross_origin_embedder_policy,
        policy.cross_origin_embedder_policy_report_only,
    ):
        if model is not None and model.report_to is not None:
            yield model.header_name, None, model.report_to
    for permissions in (policy.permissions_policy, policy.permissions_policy_report_only):
        if permissions is None:
            continue
        for feature, allowlist in permissions.features.items():
            if allowlist.report_to is not None:
                yield permissions.header_name, feature, allowlist.report_to


def report_to_findings(ctx: Context) -> list[Finding]:
    """report-to naming an endpoint that no Reporting-Endpoints (or Report-To) defines."""
    defined = _reporting_groups(ctx)
    return [
        Finding(
            "report-to-without-endpoints",
            Severity.MEDIUM_MAYBE,
            header,
            where,
            name,
            f"report-to {name} names no endpoint in Reporting-Endpoints, so reports go nowhere",
            f'add Reporting-Endpoints: {name}="https://.../reports"',
        )
        for header, where, name in _report_to_uses(ctx)
        if name not in defined
    ]
