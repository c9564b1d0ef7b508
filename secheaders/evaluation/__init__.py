"""Policy evaluation: findings with stable ids and severities, and Observatory grades."""

from .csp import CspEvaluation, PolicyAnswers, evaluate_csp
from .findings import Finding, Severity, TestResult
from .grading import grade, score
from .report import Report, evaluate

__all__ = [
    "CspEvaluation",
    "Finding",
    "PolicyAnswers",
    "Report",
    "Severity",
    "TestResult",
    "evaluate",
    "evaluate_csp",
    "grade",
    "score",
]
