"""Permissions-Policy (an RFC 9651 dictionary of feature -> allowlist) and its report-only twin.

Feature names are checked against the W3C registry (vendored in ``secheaders/data``, see
NOTICE). A name the registry does not list can still be sent by marking it ``unregistered``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Self

import http_sf
from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from ._base import (
    SF_KEY_RE,
    DiagnosedModel,
    HeaderParseError,
    MappingHeader,
    Sink,
    sink_for,
    suggest,
    text_problem,
)
from ._structured import parse_dictionary, serialize

PERMISSIONS_POLICY = "Permissions-Policy"
PERMISSIONS_POLICY_REPORT_ONLY = "Permissions-Policy-Report-Only"

#: Names browsers ship that features.md does not list (HEADERS.md §6.3).
_SHIPPED_UNLISTED = frozenset({"window-management", "xr-spatial-tracking"})
#: Retired names features.md no longer lists, with what replaced them.
_RETIRED_UNLISTED = {
    "interest-cohort": "FLoC was withdrawn",
    "vr": "renamed xr-spatial-tracking",
}
_RETIRED_LISTED = {"window-placement": "renamed window-management"}

_ORIGIN = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://"
    r"(?P<host>(?:\*\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}|\*))?/?"
)
_KEYWORDS = ("*", "self", "src")


@cache
def registry() -> dict[str, str]:
    """Feature name -> registry section ("standardized", "proposed", ..., "retired")."""
    raw = resources.files("secheaders.data").joinpath("permissions-policy-features.json")
    data = json.loads(raw.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for section, features in data["sections"].items():
        status = section.split()[0].lower()
        for feature in features:
            names[feature] = status
    names.update(dict.fromkeys(_SHIPPED_UNLISTED, "shipped"))
    names.update(dict.fromkeys(_RETIRED_UNLISTED, "retired"))
    return names


def _feature_problem(name: str) -> tuple[str, str] | None:
    """(code, message) when ``name`` is not an active registered feature."""
    status = registry().get(name)
    if status is None and name.startswith("ch-"):
        status = "client-hint"  # Client Hints delegation features are all named ch-<hint>
    if status == "retired":
        why = _RETIRED_UNLISTED.get(name) or _RETIRED_LISTED.get(name, "removed from browsers")
        return "retired-feature", f"{name} is retired ({why}); browsers ignore it"
    if status is None:
        active = [n for n, s in registry().items() if s != "retired"]
        return (
            "unknown-feature",
            f"{name} is not a registered feature{suggest(name, active)}; browsers ignore "
            "unknown names",
        )
    return None


def _normalise_origin(item: str) -> str | None:
    match = _ORIGIN.fullmatch(item)
    if match is None:
        return None
    text = f"{match['scheme'].lower()}://{match['host'].lower()}"
    return text + (f":{match['port']}" if match["port"] else "")


class FeatureAllowlist(DiagnosedModel):
    """Who may use one feature: ``*``, ``self``, ``src`` and origins; empty means nobody.

    Plain form: a list (``["self", "https://maps.example"]``); the mapping form adds
    ``report-to`` (an endpoint name) and ``unregistered`` (send a name the registry lacks).
    """

    allow: tuple[str, ...] = ()
    report_to: str | None = Field(None, alias="report-to")
    unregistered: bool = False

    @model_validator(mode="before")
    @classmethod
    def _accept_list(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"allow": [data]}
        if isinstance(data, list | tuple):
            return {"allow": data}
        return data

    @field_validator("allow", mode="before")
    @classmethod
    def _check_allow(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, list | tuple):
            return value
        sink = sink_for(info, PERMISSIONS_POLICY)
        kept: list[str] = []
        for item in value:
            if not isinstance(item, str):
                sink.report("invalid-item", f"{item!r} is not a string")
                continue
            normal = item if item in _KEYWORDS else _normalise_origin(item)
            if normal is None:
                sink.report("invalid-item", _item_problem(item), token=item)
            elif normal not in kept:
                kept.append(normal)
        if "*" in kept and len(kept) > 1:
            sink.report(
                "star-with-origins",
                "* already allows every origin; remove the other entries",
                token="*",
            )
        return tuple(kept)

    @field_validator("report_to")
    @classmethod
    def _check_report_to(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not SF_KEY_RE.fullmatch(value):
            sink_for(info, PERMISSIONS_POLICY).report(
                "invalid-report-to",
                f"report-to {value!r} must be an endpoint name (lowercase letters, digits, "
                "'_', '-', '.', '*')",
                token=value,
            )
        return value

    @model_serializer(mode="wrap")
    def _dump_plain(self, handler: SerializerFunctionWrapHandler) -> Any:
        if self.report_to is None and not self.unregistered:
            return list(self.allow)
        dumped = handler(self)
        if isinstance(dumped, dict):
            return {key: value for key, value in dumped.items() if value not in (None, False)}
        return dumped

    def to_sf(self) -> tuple[Any, dict[str, Any]]:
        """The structured-field member value (inner list, or bare ``*``) and parameters."""
        params: dict[str, Any] = {}
        if self.report_to is not None:
            params["report-to"] = http_sf.Token(self.report_to)
        if self.allow == ("*",):
            return http_sf.Token("*"), params
        items: list[tuple[Any, dict[str, Any]]] = [
            (http_sf.Token(item) if item in _KEYWORDS else item, {}) for item in self.allow
        ]
        return items, params


def _item_problem(item: str) -> str:
    lowered = item.lower()
    if lowered in ("'self'", "'src'", "'none'", '"self"'):
        bare = lowered.strip("'\"")
        if bare == "none":
            return "'none' does not exist here; an empty list [] disables the feature"
        return f"{item}: Permissions-Policy keywords are bare tokens; write {bare}"
    problem = text_problem(item)
    if problem:
        return f"{item!r} {problem}"
    return f"{item!r} is not *, self, src or an origin like https://example.com (no path)"


class _PermissionsPolicyBase(MappingHeader):
    """Feature -> allowlist. Plain form: the mapping itself, ``{"camera": [], ...}``."""

    mapping_field: ClassVar[str] = "features"

    features: dict[str, FeatureAllowlist] = Field(min_length=1)

    @field_validator("features")
    @classmethod
    def _check_names(
        cls, value: dict[str, FeatureAllowlist], info: ValidationInfo
    ) -> dict[str, FeatureAllowlist]:
        sink = sink_for(info, cls.header_name)
        for name, allowlist in value.items():
            if not SF_KEY_RE.fullmatch(name):
                sink.report(
                    "invalid-feature-name",
                    f"{name!r} is not a valid feature name (lowercase letters, digits, '-')",
                    directive=name,
                )
            elif not allowlist.unregistered:
                problem = _feature_problem(name)
                if problem:
                    code, message = problem
                    sink.report(
                        code,
                        f"{message} (mark it unregistered to send it anyway)",
                        directive=name,
                    )
        return value

    def to_header(self) -> str:
        """An RFC 9651 dictionary: ``camera=(), geolocation=(self "https://a.example")``."""
        return serialize({name: allowlist.to_sf() for name, allowlist in self.features.items()})

    @classmethod
    def _read(cls, text: str) -> Self:
        parsed = parse_dictionary(cls.header_name, text)
        sink = Sink(cls.header_name, reading=True)
        features = {name: _read_member(name, member, sink) for name, member in parsed.items()}
        if not features:
            raise HeaderParseError(cls.header_name, "declares no feature")
        return cls._build({"features": features}, sink.diagnostics)


def _read_member(name: str, member: Any, sink: Sink) -> dict[str, Any]:
    value, params = member
    items: list[tuple[Any, dict[str, Any]]] = value if isinstance(value, list) else [(value, {})]
    allow: list[str] = []
    for item, _ in items:
        if isinstance(item, http_sf.Token) and str(item) in _KEYWORDS:
            allow.append(str(item))
        elif isinstance(item, str) and _normalise_origin(item) is not None:
            allow.append(item)
        else:
            shown = str(item) if isinstance(item, http_sf.Token) else repr(item)
            sink.report(
                "ignored-item",
                f"{shown} is not *, self, src or a quoted origin; browsers ignore it",
                directive=name,
                token=shown,
            )
    data: dict[str, Any] = {"allow": allow}
    report_to = params.get("report-to")
    if isinstance(report_to, str | http_sf.Token) and SF_KEY_RE.fullmatch(str(report_to)):
        data["report-to"] = str(report_to)
    elif report_to is not None:
        sink.report("ignored-parameter", "report-to must name an endpoint", directive=name)
    problem = _feature_problem(name)
    if problem is not None:
        data["unregistered"] = True
        sink.report(problem[0], problem[1], directive=name)
    return data


class PermissionsPolicy(_PermissionsPolicyBase):
    """An enforced ``Permissions-Policy``."""

    header_name: ClassVar[str] = PERMISSIONS_POLICY


class PermissionsPolicyReportOnly(_PermissionsPolicyBase):
    """``Permissions-Policy-Report-Only``: uses that would be blocked are reported."""

    header_name: ClassVar[str] = PERMISSIONS_POLICY_REPORT_ONLY
