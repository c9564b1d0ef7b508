"""COOP, COEP (and report-only twins) and CORP."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import (
    CrossOriginEmbedderPolicy,
    CrossOriginEmbedderPolicyReportOnly,
    CrossOriginOpenerPolicy,
    CrossOriginOpenerPolicyReportOnly,
    CrossOriginResourcePolicy,
    HeaderParseError,
)
from secheaders.headers import HeaderModel


def test_render_with_report_to() -> None:
    coop = CrossOriginOpenerPolicy.model_validate({"value": "same-origin", "report-to": "coop"})
    assert coop.to_header() == 'same-origin;report-to="coop"'
    assert CrossOriginEmbedderPolicy.model_validate("require-corp").to_header() == "require-corp"
    assert CrossOriginOpenerPolicyReportOnly.header_name.endswith("-Report-Only")
    assert CrossOriginEmbedderPolicyReportOnly.header_name.endswith("-Report-Only")


@pytest.mark.parametrize(
    ("model", "value"),
    [
        (CrossOriginOpenerPolicy, "Same-Origin"),
        (CrossOriginOpenerPolicy, "same-site"),
        (CrossOriginEmbedderPolicy, "require-corp "),
        (CrossOriginResourcePolicy, "same-origin "),
        (CrossOriginResourcePolicy, "SAME-ORIGIN"),
    ],
)
def test_values_are_case_sensitive_and_exact(model: type[HeaderModel], value: str) -> None:
    with pytest.raises(ValidationError, match=r"same|require|should be"):
        model.model_validate(value)


def test_reading() -> None:
    coop = CrossOriginOpenerPolicy.from_header('same-origin-allow-popups; report-to="r"; x=1')
    assert coop.value == "same-origin-allow-popups"
    assert coop.report_to == "r"
    assert [n.code for n in coop.diagnostics] == ["ignored-parameter"]
    assert CrossOriginEmbedderPolicy.from_header("credentialless").value == "credentialless"
    assert CrossOriginResourcePolicy.from_header("same-site").value == "same-site"


@pytest.mark.parametrize(
    ("model", "value"),
    [
        (CrossOriginOpenerPolicy, "same-origin, same-origin"),
        (CrossOriginOpenerPolicy, "Same-Origin"),
        (CrossOriginOpenerPolicy, '"same-origin"'),
        (CrossOriginEmbedderPolicy, "require-corp;"),
        (CrossOriginResourcePolicy, "same-origin, same-origin"),
        (CrossOriginResourcePolicy, "Same-Origin"),
    ],
)
def test_values_browsers_treat_as_absent(model: type[HeaderModel], value: str) -> None:
    with pytest.raises(HeaderParseError):
        model.from_header(value)
