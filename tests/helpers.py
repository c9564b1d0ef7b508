"""Shared assertions for response headers."""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.test import TestResponse

from secheaders.policy import BY_KEY


def security_headers(response: TestResponse) -> list[tuple[str, str]]:
    """The security headers of ``response`` (those secheaders models), in order."""
    return [(name, value) for name, value in response.headers if name.lower() in BY_KEY]


def assert_headers(response: TestResponse, expected: Iterable[tuple[str, str]]) -> None:
    """``response`` carries exactly these security headers, in this order, once each."""
    assert security_headers(response) == list(expected)
