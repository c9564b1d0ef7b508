"""Findings from what the parser noticed: headers browsers ignore and parts they skip.

Each diagnostic becomes a finding ``<prefix>-<code>`` (``hsts-unknown-directive``); a header
ignored as a whole becomes ``<prefix>-<cause>`` (``xfo-allow-from``) or ``<prefix>-invalid``.
CSP diagnostics are judged by :mod:`secheaders.evaluation.csp` instead.
"""

from __future__ import annotations

from secheaders.evaluation.context import Context
from secheaders.evaluation.findings import Finding, Severity
from secheaders.headers.csp import CSP, CSP_REPORT_ONLY

#: The finding-id prefix of each header (lowercase name); other headers use their own name.
PREFIX = {
    "strict-transport-security": "hsts",
    "x-frame-options": "xfo",
    "x-content-type-options": "xcto",
    "cross-origin-opener-policy": "coop",
    "cross-origin-opener-policy-report-only": "coop-report-only",
    "cross-origin-embedder-policy": "coep",
    "cross-origin-embedder-policy-report-only": "coep-report-only",
    "cross-origin-resource-policy": "corp",
}
#: Diagnostic codes that share one finding id.
_SAME_AS = {
    ("xfo", "conflicting-values"): "multiple-values",
    ("xfo", "repeated-value"): "multiple-values",
}
#: Diagnostics that another rule reports in its own words.
_SKIP = frozenset({("hsts", "preload-requirements")})
_SEVERITY = {
    "xfo-allow-from": Severity.MEDIUM,
    "xfo-multiple-values": Severity.INFO,
    "hsts-repeated-header": Severity.SYNTAX,
    "deprecated-header": Severity.INFO,
}
_HINTS = {
    "xfo-allow-from": "send DENY or SAMEORIGIN and list allowed origins in CSP frame-ancestors",
    "deprecated-header": "remove it",
}


def prefix_of(header: str) -> str:
    """The finding-id prefix for a header name."""
    key = header.lower()
    return PREFIX.get(key, key)


def diagnostic_findings(ctx: Context) -> list[Finding]:
    """A finding for every parser diagnostic outside CSP."""
    found: list[Finding] = []
    for note in ctx.policy.diagnostics:
        if note.header in (CSP, CSP_REPORT_ONLY):
            continue
        prefix = prefix_of(note.header)
        if note.code == "unmodelled-header":
            id_ = "deprecated-header"
        elif note.code == "ignored-header":
            failure = ctx.failure(note.header.lower())
            cause = failure.code if failure is not None else "ignored-header"
            id_ = f"{prefix}-{'invalid' if cause == 'ignored-header' else cause}"
        elif (prefix, note.code) in _SKIP:
            continue
        else:
            id_ = f"{prefix}-{_SAME_AS.get((prefix, note.code), note.code)}"
        severity = _SEVERITY.get(
            id_, Severity.SYNTAX if note.code == "ignored-header" else Severity.INFO
        )
        found.append(
            Finding(
                id_,
                severity,
                note.header,
                note.directive,
                note.token,
                note.message,
                _HINTS.get(id_, ""),
            )
        )
    return found
