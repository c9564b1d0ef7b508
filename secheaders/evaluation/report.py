"""``evaluate``: every finding and the Observatory grade of a response's headers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from secheaders.policy import SecurityPolicy

from . import grading
from .context import Context, response_pairs
from .csp import require_level
from .findings import Finding, Severity, TestResult
from .rules.content import content_findings, referrer_test, xcto_test
from .rules.cookies import cookie_findings, cookie_test
from .rules.cross import nonce_cache_findings, report_to_findings
from .rules.csp import csp_findings, csp_test
from .rules.diagnostics import diagnostic_findings
from .rules.framing import framing, framing_findings, xfo_test
from .rules.hsts import hsts_findings, hsts_test
from .rules.isolation import coep_test, coop_test, corp_test, isolation_findings

_FINDINGS: tuple[Callable[[Context], list[Finding]], ...] = (
    csp_findings,
    hsts_findings,
    framing_findings,
    content_findings,
    isolation_findings,
    cookie_findings,
    nonce_cache_findings,
    report_to_findings,
    diagnostic_findings,
)
_TESTS: tuple[Callable[[Context], TestResult], ...] = (
    csp_test,
    cookie_test,
    corp_test,
    coop_test,
    coep_test,
    referrer_test,
    hsts_test,
    xcto_test,
    xfo_test,
)


@dataclass(frozen=True)
class Report:
    """What :func:`evaluate` found.

    ``findings`` are sorted most severe first; ``tests`` are the Observatory's graded tests;
    ``score`` and ``grade`` follow its scoring; ``framing`` says in words what a browser does
    with a cross-origin frame; ``policy`` is the policy a browser reads from the headers;
    ``csp_level`` the CSP level the CSP findings were judged at.
    """

    findings: tuple[Finding, ...]
    tests: tuple[TestResult, ...]
    score: int
    grade: str
    framing: str
    policy: SecurityPolicy
    https: bool
    csp_level: int = 3

    def ids(self) -> list[str]:
        """The finding ids, most severe first."""
        return [finding.id for finding in self.findings]

    def at_least(self, severity: Severity | str) -> list[Finding]:
        """The findings of ``severity`` or more severe."""
        wanted = Severity(severity)
        return [finding for finding in self.findings if finding.severity.at_least(wanted)]

    def passes(self, min_grade: str) -> bool:
        """Whether the grade is ``min_grade`` or better."""
        return grading.at_least(self.grade, min_grade)

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form (see docs/evaluate.md)."""
        return {
            "grade": self.grade,
            "score": self.score,
            "https": self.https,
            "csp_level": self.csp_level,
            "framing": self.framing,
            "findings": [finding.as_dict() for finding in self.findings],
            "tests": [test.as_dict() for test in self.tests],
        }


def evaluate(headers: Any, *, https: bool = True, csp_level: int = 3) -> Report:
    """Judge the security headers of a response and grade them as the MDN HTTP Observatory does.

    ``headers`` is a mapping, ``(name, value)`` pairs, Werkzeug ``Headers``, a Flask or
    Werkzeug response, or a :class:`~secheaders.SecurityPolicy` (its ``'nonce'`` placeholder
    judged with a sample nonce). ``https`` says whether the response is served over HTTPS.
    ``csp_level`` 1 or 2 judges the CSP findings on what a CSP1 or CSP2 browser enforces; the
    grade is the Observatory's either way. Never raises for header values: what browsers
    ignore becomes a finding.
    """
    require_level(csp_level, "csp_level")
    ctx = Context.of(response_pairs(headers), https=https, csp_level=csp_level)
    findings: list[Finding] = []
    for rule in _FINDINGS:
        findings.extend(rule(ctx))
    findings.sort(key=lambda finding: finding.severity.rank)
    tests = tuple(test(ctx) for test in _TESTS)
    total = grading.score(tests)
    return Report(
        tuple(findings),
        tests,
        total,
        grading.grade(total),
        framing(ctx),
        ctx.policy,
        https,
        csp_level,
    )
