"""Findings: what the evaluator says about a policy, with stable ids and severities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    """How much a finding matters, most severe first (the order of ``rank``)."""

    HIGH = "high"
    SYNTAX = "syntax"
    MEDIUM = "medium"
    HIGH_MAYBE = "high_maybe"
    STRICT_CSP = "strict_csp"
    MEDIUM_MAYBE = "medium_maybe"
    INFO = "info"

    # Members are singletons compared by identity; Enum's own hash runs Python code, and
    # findings (which hold a severity) are hashed to drop repeats.
    __hash__ = object.__hash__

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        """Whether this severity is ``other`` or more severe."""
        return self.rank <= other.rank


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. ``id`` is stable (``"unsafe-inline"``); ``value`` is the token at fault."""

    id: str
    severity: Severity
    header: str
    directive: str | None
    value: str | None
    message: str
    hint: str = ""

    @property
    def where(self) -> str:
        """The header, and the directive (or cookie, or feature) when there is one."""
        return f"{self.header} {self.directive}" if self.directive else self.header

    def describe(self, width: int = 36) -> str:
        """One line: severity, id, where, the token at fault and the message."""
        value = f" [{self.value}]" if self.value else ""
        return f"{self.severity.value:<12} {self.id:<{width}} {self.where}{value}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready form."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "header": self.header,
            "directive": self.directive,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class TestResult:
    """One graded test of the MDN HTTP Observatory's scoring.

    ``name`` is the test (``"strict-transport-security"``), ``result`` its outcome id
    (``"hsts-implemented-max-age-at-least-six-months"``), ``modifier`` what it adds to the
    score; ``passed`` is False for outcomes the Observatory counts as failures.
    """

    __test__ = False  # not a pytest test class

    name: str
    result: str
    modifier: int
    passed: bool
    message: str

    def as_dict(self) -> dict[str, str | int | bool]:
        """Plain JSON-ready form."""
        return {
            "name": self.name,
            "result": self.result,
            "modifier": self.modifier,
            "passed": self.passed,
            "message": self.message,
        }
