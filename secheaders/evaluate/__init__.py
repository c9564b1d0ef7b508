"""Policy evaluation: findings with stable ids and severities.

So far the CSP judgement (:func:`evaluate_csp`); grades and the other headers follow.
"""

from .csp import CspEvaluation, PolicyAnswers, evaluate_csp
from .findings import Finding, Severity

__all__ = ["CspEvaluation", "Finding", "PolicyAnswers", "Severity", "evaluate_csp"]
