"""Strict-Transport-Security per RFC 6797."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import HeaderParseError, StrictTransportSecurity


def test_render_order_and_aliases() -> None:
    hsts = StrictTransportSecurity.model_validate(
        {"max-age": 63072000, "includeSubDomains": True, "preload": True}
    )
    assert hsts.to_header() == "max-age=63072000; includeSubDomains; preload"
    assert StrictTransportSecurity(max_age=0).to_header() == "max-age=0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("max-age=31536000", StrictTransportSecurity(max_age=31536000)),
        (
            'MAX-AGE="31536000" ; includesubdomains',
            StrictTransportSecurity(max_age=31536000, include_subdomains=True),
        ),
        (
            "includeSubDomains; max-age=10",
            StrictTransportSecurity(max_age=10, include_subdomains=True),
        ),
        (";max-age=5;;", StrictTransportSecurity(max_age=5)),
    ],
)
def test_browser_reading(value: str, expected: StrictTransportSecurity) -> None:
    assert StrictTransportSecurity.from_header(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("includeSubDomains", "max-age is missing"),
        ("max-age=1; max-age=2", "appears twice"),
        ("max-age=1; includeSubDomains; INCLUDESUBDOMAINS", "appears twice"),
        ("max-age=-1", "not a number"),
        ("max-age=1.5", "not a number"),
        ("max-age", "has no value"),
        ("max-age=1, max-age=2", "malformed value"),
        ("max-age=1; includeSubDomains=yes", "takes no value"),
        ("max-age=1; foo bar", "is not a directive"),
        ('max-age="1', "malformed value"),
    ],
)
def test_headers_browsers_ignore(value: str, reason: str) -> None:
    with pytest.raises(HeaderParseError, match=reason):
        StrictTransportSecurity.from_header(value)


def test_unknown_directives_and_leading_zeros_are_reported() -> None:
    hsts = StrictTransportSecurity.from_header("max-age=0031536000; foo=bar; preload=1")
    assert hsts == StrictTransportSecurity(max_age=31536000)
    assert [n.code for n in hsts.diagnostics] == [
        "max-age-leading-zero",
        "unknown-directive",
        "unknown-directive",
    ]


def test_stray_semicolons_give_one_diagnostic() -> None:
    hsts = StrictTransportSecurity.from_header(";max-age=5;;")
    assert [(n.code, n.message[:2]) for n in hsts.diagnostics] == [("empty-directive", "3 ")]
    assert StrictTransportSecurity.from_header("max-age=5").diagnostics == ()


def test_preload_requirements() -> None:
    with pytest.raises(ValidationError, match="preload needs max-age of at least 31536000"):
        StrictTransportSecurity(max_age=300, include_subdomains=True, preload=True)
    with pytest.raises(ValidationError, match="preload needs includeSubDomains"):
        StrictTransportSecurity(max_age=31536000, preload=True)
    read = StrictTransportSecurity.from_header("max-age=0; preload")
    assert read.preload
    assert [n.code for n in read.diagnostics] == ["preload-requirements"]


@pytest.mark.parametrize("bad", [{"max_age": -1}, {"max_age": "1"}, {"max_age": True}, {}])
def test_max_age_must_be_a_non_negative_int(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="max"):
        StrictTransportSecurity.model_validate(bad)
