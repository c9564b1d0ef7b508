"""Reporting-Endpoints: names that CSP ``report-to``, COOP, COEP and others refer to."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

import http_sf
from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from ._base import SF_KEY_RE, HeaderModel, HeaderParseError, Sink, sink_for, text_problem

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


class ReportingEndpoints(HeaderModel):
    """Endpoint name -> URL. Plain form: the mapping itself, ``{"csp": "https://..."}``."""

    header_name: ClassVar[str] = REPORTING_ENDPOINTS

    endpoints: dict[str, str] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _accept_mapping(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data.get("endpoints"), Mapping):
            return {"endpoints": dict(data)}
        return data

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

    @model_serializer(mode="wrap")
    def _dump_flat(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        return dumped["endpoints"] if isinstance(dumped, dict) else dumped

    def to_header(self) -> str:
        """An RFC 9651 dictionary of strings: ``csp="https://r.example/csp"``."""
        members: Any = {name: (url, {}) for name, url in self.endpoints.items()}
        return http_sf.ser(members)

    @classmethod
    def _read(cls, text: str) -> Self:
        try:
            parsed = http_sf.parse(text.encode("ascii"), tltype="dictionary")
        except (http_sf.StructuredFieldError, UnicodeEncodeError, ValueError) as exc:
            raise HeaderParseError(
                REPORTING_ENDPOINTS, f"not a structured-field dictionary ({exc}); header ignored"
            ) from None
        assert isinstance(parsed, dict)
        members: dict[str, Any] = parsed
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
