"""The small headers: nosniff, Origin-Agent-Cluster, X-Permitted-Cross-Domain-Policies,
X-DNS-Prefetch-Control, X-XSS-Protection and Clear-Site-Data."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, Self, get_args

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ._base import Diagnostic, HeaderModel, HeaderParseError, sink_for, split_list, suggest
from ._structured import parse_item

XCTO = "X-Content-Type-Options"
ORIGIN_AGENT_CLUSTER = "Origin-Agent-Cluster"
XPCDP = "X-Permitted-Cross-Domain-Policies"
XDPC = "X-DNS-Prefetch-Control"
XXSS = "X-XSS-Protection"
CLEAR_SITE_DATA = "Clear-Site-Data"


class _Lowercase(HeaderModel):
    """A header whose only field is a case-insensitive keyword, rendered in lowercase."""

    plain_field: ClassVar[str | None] = "value"
    value: str

    @field_validator("value", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    def to_header(self) -> str:
        """The keyword."""
        return self.value

    @classmethod
    def _read(cls, text: str) -> Self:
        allowed = get_args(cls.model_fields["value"].annotation)
        if text.lower() not in allowed:
            raise HeaderParseError(
                cls.header_name, f"{text!r} is not one of {', '.join(allowed)}; header ignored"
            )
        return cls._build({"value": text.lower()})


class XContentTypeOptions(_Lowercase):
    """``nosniff``: scripts and styles load only with a matching MIME type."""

    header_name: ClassVar[str] = XCTO
    value: Literal["nosniff"] = "nosniff"

    @classmethod
    def _read(cls, text: str) -> Self:
        items = [item.strip(" \t") for item in text.split(",")]
        if items[0].lower() != "nosniff":
            raise HeaderParseError(XCTO, "the first value is not nosniff; browsers ignore it")
        found = []
        if len(items) > 1:
            found.append(
                Diagnostic("extra-values", XCTO, "only the first value counts; send nosniff once")
            )
        return cls._build({}, found)


class XPermittedCrossDomainPolicies(_Lowercase):
    """Policy-file rules for Flash and Acrobat-era clients; ``none`` is the safe value."""

    header_name: ClassVar[str] = XPCDP
    value: Literal[
        "none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response"
    ] = "none"


class XDNSPrefetchControl(_Lowercase):
    """Whether the browser may resolve link host names ahead of time (``off`` leaks less)."""

    header_name: ClassVar[str] = XDPC
    value: Literal["on", "off"] = "off"


class OriginAgentCluster(HeaderModel):
    """``?1`` asks for an origin-keyed agent cluster (no ``document.domain`` relaxation)."""

    header_name: ClassVar[str] = ORIGIN_AGENT_CLUSTER
    plain_field: ClassVar[str | None] = "value"

    value: bool = Field(True, strict=True)

    def to_header(self) -> str:
        """``?1`` or ``?0``."""
        return "?1" if self.value else "?0"

    @classmethod
    def _read(cls, text: str) -> Self:
        item, _params = parse_item(ORIGIN_AGENT_CLUSTER, text)
        if not isinstance(item, bool):
            raise HeaderParseError(ORIGIN_AGENT_CLUSTER, f"{text!r} is not ?1 or ?0; ignored")
        return cls._build({"value": item})


_XXSS = re.compile(r"([01])\s*(?:;\s*mode\s*=\s*(block))?\s*(?:;\s*report\s*=\s*(\S+?))?\s*;?")


def _report_enabled(info: ValidationInfo, token: str) -> None:
    sink_for(info, XXSS).report(
        "filter-enabled",
        f"{token!r}: only '0' is allowed; the legacy XSS filters it would enable were removed "
        "from current browsers and could be abused in old ones. Rely on CSP",
        token=token,
    )


class XXSSProtection(HeaderModel):
    """Always ``0``: turns off the legacy XSS filters, which could be abused. Rely on CSP."""

    header_name: ClassVar[str] = XXSS
    plain_field: ClassVar[str | None] = "value"

    value: Literal["0", "1"] = "0"
    mode: Literal["block"] | None = None
    report: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _zero_first(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value != "0" and not sink_for(info, XXSS).reading:
            _report_enabled(info, str(value))
        return value

    @model_validator(mode="after")
    def _only_zero(self, info: ValidationInfo) -> Self:
        if self.value != "0":
            _report_enabled(info, self.to_header())
        elif self.mode or self.report:
            sink_for(info, XXSS).report(
                "ignored-parameter",
                f"{self.to_header()!r}: mode and report do nothing with 0; send plain 0",
                token=self.to_header(),
            )
        return self

    def to_header(self) -> str:
        """``0``, or the legacy form a parsed header had."""
        text: str = self.value
        if self.mode:
            text += f"; mode={self.mode}"
        if self.report:
            text += f"; report={self.report}"
        return text

    @classmethod
    def _read(cls, text: str) -> Self:
        match = _XXSS.fullmatch(text)
        if match is None:
            raise HeaderParseError(XXSS, f"{text!r} is not 0 or 1[; mode=block]; ignored")
        value, mode, report = match.groups()
        return cls._build({"value": value, "mode": mode, "report": report})


ClearSiteDataType = Literal[
    "cache",
    "cookies",
    "storage",
    "executionContexts",
    "clientHints",
    "prefetchCache",
    "prerenderCache",
    "*",
]
_CLEAR_TYPES: tuple[str, ...] = get_args(ClearSiteDataType)


class ClearSiteData(HeaderModel):
    """Tells the browser to clear this site's data (for a logout response, for example)."""

    header_name: ClassVar[str] = CLEAR_SITE_DATA
    plain_field: ClassVar[str | None] = "types"

    types: tuple[ClearSiteDataType, ...] = Field(min_length=1)

    @field_validator("types", mode="before")
    @classmethod
    def _check_types(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            return value
        sink = sink_for(info, CLEAR_SITE_DATA)
        for item in value:
            if isinstance(item, str) and item not in _CLEAR_TYPES:
                bare = item.strip('"')
                hint = " (give it without quotes)" if bare in _CLEAR_TYPES else ""
                sink.report(
                    "unknown-type",
                    f"{item!r} is not a data type{hint or suggest(item, _CLEAR_TYPES)}; "
                    "types are case-sensitive",
                    token=item,
                )
        if "*" in value and len(value) > 1:
            sink.report("star-with-types", '"*" already clears every type; remove the others')
        return tuple(dict.fromkeys(value))

    def to_header(self) -> str:
        """Quoted types joined with ``", "``: ``"cache", "cookies"``."""
        return ", ".join(f'"{item}"' for item in self.types)

    @classmethod
    def _read(cls, text: str) -> Self:
        found: list[Diagnostic] = []
        kept: list[str] = []
        for item in split_list(text):
            inner = item[1:-1] if len(item) >= 2 and item[0] == item[-1] == '"' else None
            if inner in _CLEAR_TYPES:
                kept.append(inner)
                continue
            why = "must be a quoted string" if inner is None else "is not a known type"
            found.append(
                Diagnostic(
                    "ignored-type",
                    CLEAR_SITE_DATA,
                    f"{item} {why}; browsers ignore it",
                    token=item,
                )
            )
        if not kept:
            raise HeaderParseError(CLEAR_SITE_DATA, "no valid data type; nothing is cleared")
        return cls._build({"types": kept}, found)
