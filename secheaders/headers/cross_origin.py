"""Cross-Origin-Opener-Policy, -Embedder-Policy (with report-only twins) and -Resource-Policy."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self, get_args

import http_sf
from pydantic import Field, ValidationInfo, field_validator

from ._base import SF_KEY_RE, Diagnostic, HeaderModel, HeaderParseError, sink_for
from ._structured import parse_item, serialize

COOP = "Cross-Origin-Opener-Policy"
COOP_REPORT_ONLY = "Cross-Origin-Opener-Policy-Report-Only"
COEP = "Cross-Origin-Embedder-Policy"
COEP_REPORT_ONLY = "Cross-Origin-Embedder-Policy-Report-Only"
CORP = "Cross-Origin-Resource-Policy"


class _StructuredTokenPolicy(HeaderModel):
    """A structured-field token with an optional ``report-to`` parameter (COOP, COEP)."""

    plain_field: ClassVar[str | None] = "value"

    value: str
    report_to: str | None = Field(None, alias="report-to")

    @field_validator("report_to")
    @classmethod
    def _check_report_to(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not SF_KEY_RE.fullmatch(value):
            sink_for(info, cls.header_name).report(
                "invalid-report-to",
                f"report-to {value!r} must be an endpoint name (lowercase letters, digits, "
                "'_', '-', '.', '*')",
                token=value,
            )
        return value

    def to_header(self) -> str:
        """``value`` or ``value; report-to="endpoint"``."""
        params = {} if self.report_to is None else {"report-to": self.report_to}
        return serialize((http_sf.Token(self.value), params))

    @classmethod
    def allowed(cls) -> tuple[str, ...]:
        """The values this header accepts (case-sensitive)."""
        return get_args(cls.model_fields["value"].annotation)

    @classmethod
    def _read(cls, text: str) -> Self:
        item, params = parse_item(cls.header_name, text)
        if not isinstance(item, http_sf.Token) or str(item) not in cls.allowed():
            raise HeaderParseError(
                cls.header_name,
                f"{text!r} is not one of {', '.join(cls.allowed())}; browsers use unsafe-none",
            )
        data: dict[str, Any] = {"value": str(item)}
        found: list[Diagnostic] = []
        for name, param in params.items():
            if name == "report-to" and isinstance(param, str) and SF_KEY_RE.fullmatch(param):
                data["report-to"] = param
            else:
                found.append(
                    Diagnostic(
                        "ignored-parameter",
                        cls.header_name,
                        f'parameter {name} is ignored (only report-to="endpoint" is used)',
                        token=name,
                    )
                )
        return cls._build(data, found)


class CrossOriginOpenerPolicy(_StructuredTokenPolicy):
    """Whether cross-origin windows opened by or opening this page keep a handle to it."""

    header_name: ClassVar[str] = COOP
    value: Literal[
        "unsafe-none", "same-origin-allow-popups", "same-origin", "noopener-allow-popups"
    ]


class CrossOriginOpenerPolicyReportOnly(CrossOriginOpenerPolicy):
    """``Cross-Origin-Opener-Policy-Report-Only``: breakage is reported, not enforced."""

    header_name: ClassVar[str] = COOP_REPORT_ONLY


class CrossOriginEmbedderPolicy(_StructuredTokenPolicy):
    """Whether this page may load cross-origin resources that did not opt in (CORP or CORS)."""

    header_name: ClassVar[str] = COEP
    value: Literal["unsafe-none", "require-corp", "credentialless"]


class CrossOriginEmbedderPolicyReportOnly(CrossOriginEmbedderPolicy):
    """``Cross-Origin-Embedder-Policy-Report-Only``: breakage is reported, not enforced."""

    header_name: ClassVar[str] = COEP_REPORT_ONLY


class CrossOriginResourcePolicy(HeaderModel):
    """Which sites may embed this response: ``same-origin``, ``same-site`` or ``cross-origin``."""

    header_name: ClassVar[str] = CORP
    plain_field: ClassVar[str | None] = "value"

    value: Literal["same-origin", "same-site", "cross-origin"]

    def to_header(self) -> str:
        """The bare value."""
        return self.value

    @classmethod
    def _read(cls, text: str) -> Self:
        if text not in ("same-origin", "same-site", "cross-origin"):
            raise HeaderParseError(
                CORP,
                f"{text!r} is not exactly same-origin, same-site or cross-origin; browsers "
                "then allow every embedder",
            )
        return cls._build({"value": text})
