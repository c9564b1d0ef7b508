"""One module per header family: typed models that render and parse their header."""

from ._base import Diagnostic, HeaderModel, HeaderParseError
from .caching import CacheControl
from .cross_origin import (
    CrossOriginEmbedderPolicy,
    CrossOriginEmbedderPolicyReportOnly,
    CrossOriginOpenerPolicy,
    CrossOriginOpenerPolicyReportOnly,
    CrossOriginResourcePolicy,
)
from .csp import ContentSecurityPolicy, ContentSecurityPolicyReportOnly, parse_csp
from .csp_directives import DIRECTIVES, Directive, Kind
from .csp_sources import (
    HashSource,
    HostSource,
    Keyword,
    NonceSource,
    SchemeSource,
    Source,
)
from .framing import XFrameOptions
from .hsts import StrictTransportSecurity
from .misc import (
    ClearSiteData,
    OriginAgentCluster,
    XContentTypeOptions,
    XDNSPrefetchControl,
    XPermittedCrossDomainPolicies,
    XXSSProtection,
)
from .permissions import FeatureAllowlist, PermissionsPolicy, PermissionsPolicyReportOnly
from .referrer import ReferrerPolicy
from .reporting import ReportingEndpoints

__all__ = [
    "DIRECTIVES",
    "CacheControl",
    "ClearSiteData",
    "ContentSecurityPolicy",
    "ContentSecurityPolicyReportOnly",
    "CrossOriginEmbedderPolicy",
    "CrossOriginEmbedderPolicyReportOnly",
    "CrossOriginOpenerPolicy",
    "CrossOriginOpenerPolicyReportOnly",
    "CrossOriginResourcePolicy",
    "Diagnostic",
    "Directive",
    "FeatureAllowlist",
    "HashSource",
    "HeaderModel",
    "HeaderParseError",
    "HostSource",
    "Keyword",
    "Kind",
    "NonceSource",
    "OriginAgentCluster",
    "PermissionsPolicy",
    "PermissionsPolicyReportOnly",
    "ReferrerPolicy",
    "ReportingEndpoints",
    "SchemeSource",
    "Source",
    "StrictTransportSecurity",
    "XContentTypeOptions",
    "XDNSPrefetchControl",
    "XFrameOptions",
    "XPermittedCrossDomainPolicies",
    "XXSSProtection",
    "parse_csp",
]
