"""The MDN HTTP Observatory's scoring: a score from test modifiers, and its letter grade."""

from __future__ import annotations

from collections.abc import Iterable

from .findings import TestResult

#: Lowest score of each grade, best first.
GRADES: tuple[tuple[int, str], ...] = (
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
)
ORDER: tuple[str, ...] = tuple(grade for _, grade in GRADES)
#: Bonuses count only when the score without them reaches this.
BONUS_THRESHOLD = 90


def score(tests: Iterable[TestResult]) -> int:
    """Start at 100, add penalties, then bonuses if the score is still 90 or more; floor 0."""
    modifiers = [test.modifier for test in tests]
    total = 100 + sum(m for m in modifiers if m < 0)
    if total >= BONUS_THRESHOLD:
        total += sum(m for m in modifiers if m > 0)
    return max(total, 0)


def grade(value: int) -> str:
    """The letter for a score: rounded down to a multiple of 5, capped at 100."""
    banded = min(value - value % 5, 100)
    return next(letter for floor, letter in GRADES if banded >= floor)


def at_least(actual: str, wanted: str) -> bool:
    """Whether grade ``actual`` is ``wanted`` or better."""
    if wanted not in ORDER:
        raise ValueError(f"unknown grade {wanted!r}; one of {', '.join(ORDER)}")
    return ORDER.index(actual) <= ORDER.index(wanted)
