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
