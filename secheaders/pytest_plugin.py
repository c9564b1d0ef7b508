"""pytest plugin: assert that a response's security headers are strong enough.

Loaded through the ``pytest11`` entry point, so installing secheaders is enough::

    def test_home_is_secure(client, secure_headers):
        secure_headers(client.get("/"), min_grade="A", forbid=["unsafe-inline"])

``assert_secure_headers`` is the same function for plain imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from secheaders.evaluation import Report, Severity
from secheaders.evaluation.grading import ORDER
from secheaders.evaluation.report import evaluate


def _https_of(response: Any) -> bool:
    """The scheme of the request a test response answers; HTTPS when it is not known."""
    request = getattr(response, "request", None)
    scheme = getattr(request, "scheme", None)
    return scheme != "http" if isinstance(scheme, str) else True


def assert_secure_headers(
    response: Any,
    *,
    min_grade: str | None = None,
    forbid: Iterable[str] = (),
    fail_on: Severity | str | None = None,
    https: bool | None = None,
    csp_level: int = 3,
) -> Report:
    """Evaluate ``response`` and fail the test with a readable list of what is wrong.

    ``response`` is a Flask/Werkzeug response, a header mapping or pairs, or a
    ``SecurityPolicy``. ``min_grade`` is the lowest Observatory grade accepted; ``forbid``
    lists finding ids that must not appear; ``fail_on`` fails on any finding of that
    severity or a more severe one. ``https`` defaults to the scheme of the test request.
    ``csp_level`` 1 or 2 judges the CSP as an older browser enforces it. Returns the report
    for further checks.
    """
    if min_grade is not None and min_grade not in ORDER:
        raise ValueError(f"min_grade {min_grade!r} is not one of {', '.join(ORDER)}")
    forbidden = [forbid] if isinstance(forbid, str) else list(forbid)
    severity = None if fail_on is None else Severity(fail_on)
    report = evaluate(
        response, https=_https_of(response) if https is None else https, csp_level=csp_level
    )
    problems: list[str] = []
    if min_grade is not None and not report.passes(min_grade):
        low = [f"{t.name} {t.modifier:+d} ({t.result})" for t in report.tests if t.modifier < 0]
        problems.append(f"grade {report.grade} (score {report.score}) is below {min_grade}")
        problems.extend(f"  {line}" for line in low)
    hits = [finding for finding in report.findings if finding.id in forbidden]
    if hits:
        problems.append("forbidden findings:")
        problems.extend(f"  {f.describe(34)}" for f in hits)
    if severity is not None and (severe := report.at_least(severity)):
        problems.append(f"findings of severity {severity.value} or worse:")
        problems.extend(f"  {f.describe(34)}" for f in severe)
    if problems:
        raise AssertionError("security headers are not good enough:\n" + "\n".join(problems))
    return report


@pytest.fixture
def secure_headers() -> Callable[..., Report]:
    """:func:`assert_secure_headers`, as a fixture."""
    return assert_secure_headers
