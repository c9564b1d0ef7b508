"""secheaders: typed security-header policies, rendered and parsed to the letter of the specs."""

from typing import TYPE_CHECKING

from .compose import CompositionError
from .evaluation import Finding, Report, Severity, evaluate, evaluate_csp
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
    FeatureAllowlist,
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
    parse_csp,
)
from .headers.csp_sources import (
    INLINE_SPECULATION_RULES,
    NONE,
    REPORT_SAMPLE,
    REPORT_SHA256,
    REPORT_SHA384,
    REPORT_SHA512,
    REQUEST_NONCE,
    SELF,
    STRICT_DYNAMIC,
    TRUSTED_TYPES_EVAL,
    UNSAFE_ALLOW_REDIRECTS,
    UNSAFE_EVAL,
    UNSAFE_HASHES,
    UNSAFE_INLINE,
    UNSAFE_WEBTRANSPORT_HASHES,
    WASM_UNSAFE_EVAL,
)
from .policy import SecurityPolicy
from .presets import ConfigError, load_policy, load_preset, presets

if TYPE_CHECKING:
    from .flask import Secure as Secure

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``secheaders.Secure`` imports Flask only when asked for."""
    if name == "Secure":
        from .flask import Secure

        return Secure
    raise AttributeError(f"module 'secheaders' has no attribute {name!r}")


__all__ = [
    "INLINE_SPECULATION_RULES",
    "NONE",
    "REPORT_SAMPLE",
    "REPORT_SHA256",
    "REPORT_SHA384",
    "REPORT_SHA512",
    "REQUEST_NONCE",
    "SELF",
    "STRICT_DYNAMIC",
    "TRUSTED_TYPES_EVAL",
    "UNSAFE_ALLOW_REDIRECTS",
    "UNSAFE_EVAL",
    "UNSAFE_HASHES",
    "UNSAFE_INLINE",
    "UNSAFE_WEBTRANSPORT_HASHES",
    "WASM_UNSAFE_EVAL",
    "CacheControl",
    "ClearSiteData",
    "CompositionError",
    "ConfigError",
    "ContentSecurityPolicy",
    "ContentSecurityPolicyReportOnly",
    "CrossOriginEmbedderPolicy",
    "CrossOriginEmbedderPolicyReportOnly",
    "CrossOriginOpenerPolicy",
    "CrossOriginOpenerPolicyReportOnly",
    "CrossOriginResourcePolicy",
    "Diagnostic",
    "FeatureAllowlist",
    "Finding",
    "HeaderParseError",
    "OriginAgentCluster",
    "PermissionsPolicy",
    "PermissionsPolicyReportOnly",
    "ReferrerPolicy",
    "Report",
    "ReportingEndpoints",
    "SecurityPolicy",
    "Severity",
    "StrictTransportSecurity",
    "XContentTypeOptions",
    "XDNSPrefetchControl",
    "XFrameOptions",
    "XPermittedCrossDomainPolicies",
    "XXSSProtection",
    "__version__",
    "evaluate",
    "evaluate_csp",
    "load_policy",
    "load_preset",
    "parse_csp",
    "presets",
]
