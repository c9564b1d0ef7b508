"""Reporting-Endpoints."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import HeaderParseError, ReportingEndpoints


def test_plain_form() -> None:
    endpoints = ReportingEndpoints.model_validate(
        {"csp": "https://r.example/csp", "default": "http://localhost:8000/r"}
    )
    assert endpoints.to_header() == (
        'csp="https://r.example/csp", default="http://localhost:8000/r"'
    )
    assert endpoints.model_dump() == {
        "csp": "https://r.example/csp",
        "default": "http://localhost:8000/r",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"csp": "http://r.example/csp"}, "potentially trustworthy"),
        ({"csp": "/reports"}, "absolute URL"),
        ({"Csp": "https://r.example"}, "not an endpoint name"),
        ({"csp": "https://r.example/\nX: y"}, "CR, LF or NUL"),
        ({}, "at least 1"),
    ],
)
def test_authoring_errors(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ReportingEndpoints.model_validate(data)


def test_reading() -> None:
    endpoints = ReportingEndpoints.from_header(
        'a="https://r.example/a";p=1, b=1, c="http://r.example", d="/relative", a="https://x/"'
    )
    assert endpoints.endpoints == {"a": "https://x/", "d": "/relative"}
    assert [n.code for n in endpoints.diagnostics] == ["ignored-endpoint", "ignored-endpoint"]
    with pytest.raises(HeaderParseError):
        ReportingEndpoints.from_header("a=https://unquoted.example")
