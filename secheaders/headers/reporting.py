"""Reporting-Endpoints: names that CSP ``report-to``, COOP, COEP and others refer to."""

from __future__ import annotations

import ipaddress
from typing import ClassVar, Self
from urllib.parse import urlsplit

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
)

from ._base import SF_KEY_RE, HeaderParseError, MappingHeader, Sink, sink_for, text_problem
from ._structured import parse_dictionary, serialize

REPORTING_ENDPOINTS = "Reporting-Endpoints"


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot receive reports, or None for an absolute, trustworthy URL."""
    problem = text_problem(url)
    if problem:
        return f"{url!r} {problem}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url!r} is not a URL"
    if not parts.scheme or not parts.hostname:
        return f"{url!r} must be an absolute URL such as https://reports.example/csp"
    if parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname)):
        return None
    return f"{url!r} is not potentially trustworthy: browsers only report to https URLs"


def _is_absolute(url: str) -> bool:
    try:
        return urlsplit(url).scheme != ""
    except ValueError:
        return True


class ReportingEndpoints(MappingHeader):
    """Endpoint name -> URL. Plain form: the mapping itself, ``{"csp": "https://..."}``."""

    header_name: ClassVar[str] = REPORTING_ENDPOINTS
    mapping_field: ClassVar[str] = "endpoints"

    endpoints: dict[str, str] = Field(min_length=1)

    @field_validator("endpoints")
    @classmethod
    def _check(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        sink = sink_for(info, REPORTING_ENDPOINTS)
        for name, url in value.items():
            if not SF_KEY_RE.fullmatch(name):
                sink.report(
                    "invalid-name",
                    "not an endpoint name (lowercase letter or * first, then "
                    "lowercase letters, digits, '_', '-', '.', '*')",
                    directive=name,
                )
            if not sink.reading:
                problem = url_problem(url)
                if problem:
                    sink.report("invalid-url", problem, directive=name, token=url)
        return value

    def to_header(self) -> str:
        """An RFC 9651 dictionary of strings: ``csp="https://r.example/csp"``."""
        return serialize({name: (url, {}) for name, url in self.endpoints.items()})

    @classmethod
    def _read(cls, text: str) -> Self:
        members = parse_dictionary(REPORTING_ENDPOINTS, text)
        sink = Sink(REPORTING_ENDPOINTS, reading=True)
        endpoints: dict[str, str] = {}
        for name, (value, _params) in members.items():
            if not isinstance(value, str):
                sink.report("ignored-endpoint", "the URL is not a string", directive=name)
                continue
            problem = url_problem(value) if _is_absolute(value) else None
            if problem:
                sink.report("ignored-endpoint", problem, directive=name, token=value)
                continue
            endpoints[name] = value
        if not endpoints:
            raise HeaderParseError(REPORTING_ENDPOINTS, "no usable endpoint; header ignored")
        return cls._build({"endpoints": endpoints}, sink.diagnostics)
