"""X-Frame-Options with the HTML processing model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import HeaderParseError, XFrameOptions


def test_plain_form_and_case() -> None:
    assert XFrameOptions.model_validate("sameorigin").to_header() == "SAMEORIGIN"
    dumped: object = XFrameOptions(value="deny").model_dump()
    assert dumped == "DENY"


def test_allow_from_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError, match="frame-ancestors"):
        XFrameOptions(value="ALLOW-FROM https://partner.example")


@pytest.mark.parametrize(
    ("value", "expected", "codes"),
    [
        ("DENY", "DENY", []),
        ("sameorigin", "SAMEORIGIN", []),
        ("SAMEORIGIN, sameorigin", "SAMEORIGIN", ["repeated-value"]),
        ("DENY,", "DENY", []),
        (" , DENY", "DENY", []),
        ("DENY, SAMEORIGIN", "DENY", ["conflicting-values"]),
        ("ALLOWALL, SAMEORIGIN", "DENY", ["conflicting-values"]),
    ],
)
def test_html_algorithm(value: str, expected: str, codes: list[str]) -> None:
    xfo = XFrameOptions.from_header(value)
    assert xfo.value == expected
    assert [n.code for n in xfo.diagnostics] == codes


@pytest.mark.parametrize("value", ["ALLOW-FROM https://a.example", "ALLOWALL", "foo", "a, b", ""])
def test_values_treated_as_absent(value: str) -> None:
    with pytest.raises(HeaderParseError):
        XFrameOptions.from_header(value)
