"""SecurityPolicy: every security header of a response in one frozen model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_validator,
)

from .headers import (
    CacheControl,
    ClearSiteData,
    ContentSecurityPolicy,
    ContentSecurityPolicyReportOnly,
    CrossOriginEmbedderPolicy,
    CrossOriginEmbedderPolicyReportOnly,
    CrossOriginOpenerPolicy,
    CrossOriginOpenerPolicyReportOnly,
    CrossOriginResourcePolicy,
    Diagnostic,
    HeaderModel,
    HeaderParseError,
    OriginAgentCluster,
    PermissionsPolicy,
    PermissionsPolicyReportOnly,
    ReferrerPolicy,
    ReportingEndpoints,
    StrictTransportSecurity,
    XContentTypeOptions,
    XDNSPrefetchControl,
    XFrameOptions,
    XPermittedCrossDomainPolicies,
    XXSSProtection,
)
from .headers._base import SINK_KEY, DiagnosedModel, Sink, prepare_field_value
from .headers.csp import NONCE_VALUE

Repeat = Literal["policies", "join", "first"]


@dataclass(frozen=True, slots=True)
class HeaderSlot:
    """One header of the bundle: field, wire name, model, and how repeated lines combine.

    ``repeat`` is ``"policies"`` (each line holds its own CSP policies), ``"join"`` (lines are
    joined with ``", "`` as RFC 9110 allows for lists and structured fields) or ``"first"``
    (only the first line counts).
    """

    attr: str
    model: type[HeaderModel]
    repeat: Repeat = "join"

    @property
    def name(self) -> str:
        """The header name as rendered."""
        return self.model.header_name

    @property
    def key(self) -> str:
        """The lowercase header name, the field's alias in the plain form."""
        return self.model.header_name.lower()


#: Every header the bundle knows, in the order ``to_headers`` renders them.
SLOTS: tuple[HeaderSlot, ...] = (
    HeaderSlot("content_security_policy", ContentSecurityPolicy, "policies"),
    HeaderSlot("content_security_policy_report_only", ContentSecurityPolicyReportOnly, "policies"),
    HeaderSlot("strict_transport_security", StrictTransportSecurity, "first"),
    HeaderSlot("x_frame_options", XFrameOptions),
    HeaderSlot("x_content_type_options", XContentTypeOptions),
    HeaderSlot("referrer_policy", ReferrerPolicy),
    HeaderSlot("permissions_policy", PermissionsPolicy),
    HeaderSlot("permissions_policy_report_only", PermissionsPolicyReportOnly),
    HeaderSlot("cross_origin_opener_policy", CrossOriginOpenerPolicy),
    HeaderSlot("cross_origin_opener_policy_report_only", CrossOriginOpenerPolicyReportOnly),
    HeaderSlot("cross_origin_embedder_policy", CrossOriginEmbedderPolicy),
    HeaderSlot("cross_origin_embedder_policy_report_only", CrossOriginEmbedderPolicyReportOnly),
    HeaderSlot("cross_origin_resource_policy", CrossOriginResourcePolicy),
    HeaderSlot("reporting_endpoints", ReportingEndpoints),
    HeaderSlot("origin_agent_cluster", OriginAgentCluster),
    HeaderSlot("x_permitted_cross_domain_policies", XPermittedCrossDomainPolicies, "first"),
    HeaderSlot("x_dns_prefetch_control", XDNSPrefetchControl, "first"),
    HeaderSlot("x_xss_protection", XXSSProtection, "first"),
    HeaderSlot("clear_site_data", ClearSiteData),
    HeaderSlot("cache_control", CacheControl),
)
BY_KEY: dict[str, HeaderSlot] = {slot.key: slot for slot in SLOTS}

#: Security headers that are read but not modelled, with the reason.
UNMODELLED: dict[str, str] = {
    "feature-policy": "replaced by Permissions-Policy",
    "report-to": "legacy; replaced by Reporting-Endpoints",
    "expect-ct": "obsolete; Certificate Transparency is enforced by default",
    "public-key-pins": "removed from browsers",
    "public-key-pins-report-only": "removed from browsers",
    "x-content-security-policy": "prefixed CSP of old browsers; use Content-Security-Policy",
    "x-webkit-csp": "prefixed CSP of old browsers; use Content-Security-Policy",
}

HeadersInput = Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]]


def _h(attr: str) -> Any:
    slot = next(s for s in SLOTS if s.attr == attr)
    return Field(None, alias=slot.key, description=slot.model.__doc__)


class SecurityPolicy(DiagnosedModel):
    """The security headers of a response; a field left ``None`` means the header is not sent.

    The plain form (config files, ``model_dump(by_alias=True, exclude_none=True)``) uses
    lowercase header names as keys. A CSP is one policy (a mapping) or several (a list of
    mappings), each rendered on its own header line.
    """

    key_kind: ClassVar[str] = "header"

    content_security_policy: tuple[ContentSecurityPolicy, ...] | None = _h(
        "content_security_policy"
    )
    content_security_policy_report_only: tuple[ContentSecurityPolicyReportOnly, ...] | None = _h(
        "content_security_policy_report_only"
    )
    strict_transport_security: StrictTransportSecurity | None = _h("strict_transport_security")
    x_frame_options: XFrameOptions | None = _h("x_frame_options")
    x_content_type_options: XContentTypeOptions | None = _h("x_content_type_options")
    referrer_policy: ReferrerPolicy | None = _h("referrer_policy")
    permissions_policy: PermissionsPolicy | None = _h("permissions_policy")
    permissions_policy_report_only: PermissionsPolicyReportOnly | None = _h(
        "permissions_policy_report_only"
    )
    cross_origin_opener_policy: CrossOriginOpenerPolicy | None = _h("cross_origin_opener_policy")
    cross_origin_opener_policy_report_only: CrossOriginOpenerPolicyReportOnly | None = _h(
        "cross_origin_opener_policy_report_only"
    )
    cross_origin_embedder_policy: CrossOriginEmbedderPolicy | None = _h(
        "cross_origin_embedder_policy"
    )
    cross_origin_embedder_policy_report_only: CrossOriginEmbedderPolicyReportOnly | None = _h(
        "cross_origin_embedder_policy_report_only"
    )
    cross_origin_resource_policy: CrossOriginResourcePolicy | None = _h(
        "cross_origin_resource_policy"
    )
    reporting_endpoints: ReportingEndpoints | None = _h("reporting_endpoints")
    origin_agent_cluster: OriginAgentCluster | None = _h("origin_agent_cluster")
    x_permitted_cross_domain_policies: XPermittedCrossDomainPolicies | None = _h(
        "x_permitted_cross_domain_policies"
    )
    x_dns_prefetch_control: XDNSPrefetchControl | None = _h("x_dns_prefetch_control")
    x_xss_protection: XXSSProtection | None = _h("x_xss_protection")
    clear_site_data: ClearSiteData | None = _h("clear_site_data")
    cache_control: CacheControl | None = _h("cache_control")

    @model_validator(mode="before")
    @classmethod
    def _false_is_absent(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: None if value is False else value for key, value in data.items()}
        return data

    @field_validator(
        "content_security_policy", "content_security_policy_report_only", mode="before"
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, Mapping | HeaderModel):
            return (value,)
        if isinstance(value, list | tuple) and not value:
            return None
        return value

    @field_serializer("content_security_policy", "content_security_policy_report_only", mode="wrap")
    def _dump_one_or_many(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(value)
        if isinstance(dumped, list) and len(dumped) == 1:
            return dumped[0]
        return dumped

    @property
    def csp(self) -> ContentSecurityPolicy | None:
        """The first enforced CSP policy, the one most code wants."""
        return self.content_security_policy[0] if self.content_security_policy else None

    def to_headers(self, nonce: str | None = None) -> list[tuple[str, str]]:
        """``(name, value)`` pairs in the order of :data:`SLOTS`; one line per CSP policy.

        ``nonce`` fills the CSP ``'nonce'`` placeholders; without it they are left out.
        """
        if nonce is not None and not NONCE_VALUE.fullmatch(nonce):
            raise ValueError(f"nonce {nonce!r} must be base64 or base64url characters")
        headers: list[tuple[str, str]] = []
        for slot in SLOTS:
            value = getattr(self, slot.attr)
            if value is None:
                continue
            if slot.repeat == "policies":
                headers.extend((slot.name, policy.to_header(nonce)) for policy in value)
            else:
                headers.append((slot.name, value.to_header()))
        return headers

    def with_nonce(self, nonce: str) -> Self:
        """A copy whose CSP ``'nonce'`` placeholders hold ``nonce``."""
        update = {
            attr: tuple(policy.with_nonce(nonce) for policy in policies)
            for attr in ("content_security_policy", "content_security_policy_report_only")
            if (policies := getattr(self, attr))
        }
        return self.model_copy(update=update)

    @property
    def uses_nonce(self) -> bool:
        """Whether a CSP policy holds the ``'nonce'`` placeholder."""
        policies = (
            *(self.content_security_policy or ()),
            *(self.content_security_policy_report_only or ()),
        )
        return any(policy.uses_nonce for policy in policies)

    def plain(self) -> dict[str, Any]:
        """The plain form: lowercase header names to their plain values (JSON-ready)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def replace(self, changes: Mapping[str, Any] | None = None, /, **headers: Any) -> Self:
        """A new policy with headers, or some of their directives and fields, replaced.

        Headers are named by wire name, field name or ``csp``/``csp_report_only``. ``None``
        removes a header or directive; a mapping changes only the keys it names (in every
        CSP policy); any other value replaces the header whole::

            policy.replace(x_frame_options=None, csp={"frame-ancestors": ["https://a.example"]})
        """
        from . import compose

        return type(self).model_validate(
            compose.replace(self.plain(), {**(changes or {}), **headers})
        )

    def extend(self, additions: Mapping[str, Any] | None = None, /, **headers: Any) -> Self:
        """A new policy that allows more: sources, feature origins, endpoints, data types.

        An absent CSP fetch directive first inherits what it falls back to (usually
        ``default-src``), so extending one resource type never loosens another::

            policy.extend(csp={"img-src": ["https://images.example"]})
        """
        from . import compose

        return type(self).model_validate(
            compose.extend(self.plain(), {**(additions or {}), **headers})
        )

    def remove(self, *headers: str, **parts: str | Iterable[str]) -> Self:
        """A new policy without the named headers, or without some of their parts::

        policy.remove("x-frame-options", csp=["frame-ancestors"])
        """
        from . import compose

        return type(self).model_validate(compose.remove(self.plain(), headers, parts))

    @classmethod
    def from_headers(cls, headers: HeadersInput | Any) -> Self:
        """Read the security headers of a response as a browser does.

        ``headers`` is a mapping (a value may be a list for a repeated field), a list of
        ``(name, value)`` pairs, or anything with ``items()`` yielding pairs (Werkzeug
        ``Headers``). Other headers are skipped. A header a browser would ignore is left out
        and explained in ``diagnostics``; this never raises for header values.
        """
        lines = collect_lines(headers)
        found: list[Diagnostic] = []
        data: dict[str, Any] = {}
        for key, values in lines.items():
            slot = BY_KEY.get(key)
            if slot is None:
                if key in UNMODELLED:
                    message = f"not modelled: {UNMODELLED[key]}"
                    found.append(Diagnostic("unmodelled-header", values[0][0], message))
                continue
            parsed = _read_slot(slot, [value for _, value in values], found)
            if parsed:
                data[slot.attr] = parsed if slot.repeat == "policies" else parsed[0]
        rechecked = Sink("", reading=True)  # nested models were read already; keep as read
        policy = cls.model_validate(data, context={SINK_KEY: rechecked})
        policy._diagnostics = tuple(found)
        return policy


def collect_lines(headers: Any) -> dict[str, list[tuple[str, str]]]:
    """Group header lines by lowercase name, keeping order and the name as given."""
    if isinstance(headers, Mapping):
        pairs: Iterable[Any] = headers.items()
    elif hasattr(headers, "items") and callable(headers.items):
        pairs = headers.items()
    else:
        pairs = headers
    lines: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise TypeError(f"expected (name, value) pairs, got {pair!r}") from None
        if not isinstance(name, str):
            raise TypeError(f"header name must be str, got {name!r}")
        values = [value] if isinstance(value, str) else list(value)
        for item in values:
            if not isinstance(item, str):
                raise TypeError(f"{name}: header value must be str, got {item!r}")
            lines.setdefault(name.strip().lower(), []).append((name.strip(), item))
    return lines


def _read_slot(slot: HeaderSlot, values: list[str], found: list[Diagnostic]) -> list[Any]:
    """The model(s) a browser gets from these lines; ignored ones become diagnostics."""
    header = slot.name
    if slot.repeat == "policies":
        policies: list[Any] = []
        for value in values:
            try:
                text = prepare_field_value(header, value)
            except HeaderParseError as exc:
                found.append(Diagnostic("ignored-header", header, exc.reason))
                continue
            read, dropped = slot.model._read_all(text)  # type: ignore[attr-defined]
            found.extend(dropped)
            for policy in read:
                found.extend(policy.diagnostics)
            policies.extend(read)
        return policies
    if slot.repeat == "first" and len(values) > 1:
        found.append(
            Diagnostic("repeated-header", header, "sent more than once; only the first counts")
        )
        values = values[:1]
    try:
        model = slot.model.from_header(", ".join(values))
    except HeaderParseError as exc:
        found.append(Diagnostic("ignored-header", header, exc.reason))
        return []
    found.extend(model.diagnostics)
    return [model]
