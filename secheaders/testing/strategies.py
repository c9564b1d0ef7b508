"""Hypothesis strategies that build valid secheaders models, for round-trip and property tests.

Requires ``hypothesis`` (installed with the ``dev`` extra)::

    from hypothesis import given
    from secheaders.testing import strategies

    @given(strategies.security_policies())
    def test_my_middleware_keeps_policy(policy): ...
"""

from __future__ import annotations

import base64
import string
from typing import Any, get_args

from hypothesis import strategies as st

from secheaders.headers import (
    CacheControl,
    ClearSiteData,
    ContentSecurityPolicy,
    ContentSecurityPolicyReportOnly,
    CrossOriginEmbedderPolicy,
    CrossOriginEmbedderPolicyReportOnly,
    CrossOriginOpenerPolicy,
    CrossOriginOpenerPolicyReportOnly,
    CrossOriginResourcePolicy,
    HeaderModel,
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
from secheaders.headers.csp_directives import (
    BY_NAME,
    DIRECTIVES,
    KEYWORD_SCOPE,
    NONCE_HASH_SCOPE,
    SANDBOX_TOKENS,
    Directive,
    Kind,
)
from secheaders.headers.csp_sources import HASH_BYTES, KEYWORDS
from secheaders.headers.misc import _CLEAR_TYPES
from secheaders.headers.permissions import registry
from secheaders.headers.referrer import TOKENS as REFERRER_TOKENS
from secheaders.policy import SLOTS, SecurityPolicy

_LABEL = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10)
_SF_KEY = st.from_regex(r"[a-z][a-z0-9_\-.]{0,11}", fullmatch=True)


@st.composite
def hosts(draw: st.DrawFn) -> str:
    """Host names, some with a leading ``*.`` wildcard label."""
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    labels.append(draw(st.sampled_from(["com", "example", "org", "test"])))
    host = ".".join(labels)
    return f"*.{host}" if draw(st.booleans()) else host


def origins() -> st.SearchStrategy[str]:
    """``https://host[:port]`` origins."""
    port = st.one_of(st.just(""), st.integers(1, 65535).map(lambda n: f":{n}"))
    plain = hosts().filter(lambda host: not host.startswith("*."))
    return st.builds(lambda host, port: f"https://{host}{port}", plain, port)


_PATH = st.lists(
    st.text(string.ascii_letters + string.digits + "-._~!$&'()*+=:@", min_size=0, max_size=8),
    min_size=1,
    max_size=3,
).map(lambda parts: "/" + "/".join(parts))


@st.composite
def host_sources(draw: st.DrawFn) -> str:
    """``[scheme://]host[:port][/path]`` sources."""
    scheme = draw(st.sampled_from(["", "https://", "http://", "wss://"]))
    host = draw(st.one_of(hosts(), st.just("*")))
    port = draw(
        st.one_of(st.just(""), st.just(":*"), st.integers(1, 65535).map(str).map(":".__add__))
    )
    path = draw(st.one_of(st.just(""), _PATH))
    text = f"{scheme}{host}{port}{path}"
    return "example.com" if text.lower() in KEYWORDS or text.startswith("nonce-") else text


def scheme_sources() -> st.SearchStrategy[str]:
    """Scheme sources such as ``https:``."""
    return st.sampled_from(["https:", "http:", "data:", "blob:", "wss:", "mediastream:"])


def nonces() -> st.SearchStrategy[str]:
    """``'nonce-...'`` with 16 to 32 random bytes in base64 or base64url."""
    encoders = st.sampled_from([base64.b64encode, base64.urlsafe_b64encode])
    return st.builds(
        lambda raw, encode: f"'nonce-{encode(raw).decode()}'",
        st.binary(min_size=16, max_size=32),
        encoders,
    )


def hashes() -> st.SearchStrategy[str]:
    """``'sha256-...'`` (or 384/512) with a digest of the right length."""
    return st.sampled_from(sorted(HASH_BYTES)).flatmap(
        lambda algorithm: st.binary(
            min_size=HASH_BYTES[algorithm], max_size=HASH_BYTES[algorithm]
        ).map(lambda raw: f"'{algorithm}-{base64.b64encode(raw).decode()}'")
    )


def source_lists(directive: str) -> st.SearchStrategy[list[str]]:
    """Valid source lists for ``directive`` (sources with an effect there), or ``['none']``."""
    spec = BY_NAME[directive]
    options: list[st.SearchStrategy[str]] = [
        st.just("'self'"),
        host_sources(),
        scheme_sources(),
    ]
    if spec.kind is Kind.SOURCE_LIST:
        keywords = sorted(k for k, scope in KEYWORD_SCOPE.items() if directive in scope)
        if keywords:
            options.append(st.sampled_from([f"'{k}'" for k in keywords]))
        if directive in NONCE_HASH_SCOPE:
            options += [nonces(), hashes()]
    sources = st.lists(st.one_of(options), min_size=1, max_size=6)
    return st.one_of(st.just(["'none'"]), sources)


def _directive_value(spec: Directive) -> st.SearchStrategy[Any]:
    if spec.kind in (Kind.SOURCE_LIST, Kind.ANCESTOR_LIST):
        return source_lists(spec.name)
    values: dict[Kind, st.SearchStrategy[Any]] = {
        Kind.FLAG: st.just(True),
        Kind.SANDBOX: st.lists(st.sampled_from(sorted(SANDBOX_TOKENS)), max_size=4),
        Kind.TRUSTED_TYPES: st.one_of(
            st.just(["'none'"]),
            st.lists(
                st.one_of(
                    st.from_regex(r"[A-Za-z0-9\-#=_/@.%]{1,12}", fullmatch=True),
                    st.sampled_from(["*", "'allow-duplicates'", "default"]),
                ),
                min_size=1,
                max_size=4,
            ),
        ),
        Kind.REQUIRE_TRUSTED_TYPES: st.just(["'script'"]),
        Kind.WEBRTC: st.sampled_from(["'allow'", "'block'"]),
        Kind.REPORT_URI: st.lists(
            st.one_of(st.just("/csp-reports"), origins().map(lambda o: f"{o}/r?x=1")),
            min_size=1,
            max_size=2,
        ),
        Kind.REPORT_TO: _SF_KEY,
    }
    return values[spec.kind]


_EXTRA_NAME = st.from_regex(r"x-[a-z0-9\-]{1,10}", fullmatch=True)
_EXTRA_TOKEN = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=",;"),
    min_size=1,
    max_size=10,
)


@st.composite
def _csp_data(draw: st.DrawFn, report_only: bool) -> dict[str, Any]:
    usable = [
        spec
        for spec in DIRECTIVES
        if spec.obsolete is None and (spec.report_only or not report_only)
    ]
    chosen = draw(st.lists(st.sampled_from(usable), min_size=1, max_size=8, unique=True))
    data = {spec.name: draw(_directive_value(spec)) for spec in chosen}
    if draw(st.integers(0, 9)) == 0:
        extra = st.dictionaries(_EXTRA_NAME, st.lists(_EXTRA_TOKEN, max_size=3), max_size=2)
        data["extra-directives"] = draw(extra)
    return data


def csp_policies() -> st.SearchStrategy[ContentSecurityPolicy]:
    """Valid enforced CSP policies."""
    return _csp_data(False).map(ContentSecurityPolicy.model_validate)


def csp_report_only_policies() -> st.SearchStrategy[ContentSecurityPolicyReportOnly]:
    """Valid report-only CSP policies."""
    return _csp_data(True).map(ContentSecurityPolicyReportOnly.model_validate)


@st.composite
def hsts(draw: st.DrawFn) -> StrictTransportSecurity:
    """Valid HSTS headers, preload only when its requirements hold."""
    max_age = draw(st.integers(0, 10**9))
    subdomains = draw(st.booleans())
    preload = subdomains and max_age >= 31_536_000 and draw(st.booleans())
    return StrictTransportSecurity(max_age=max_age, include_subdomains=subdomains, preload=preload)


def _active_features() -> list[str]:
    return sorted(name for name, status in registry().items() if status != "retired")


_ALLOWLIST: st.SearchStrategy[list[str]] = st.one_of(
    st.just([]),
    st.just(["*"]),
    st.lists(st.one_of(st.just("self"), origins()), min_size=1, max_size=3, unique=True),
)


def _permissions(model: type[PermissionsPolicy | PermissionsPolicyReportOnly]) -> Any:
    member = st.one_of(
        _ALLOWLIST,
        st.builds(
            lambda allow, endpoint: {"allow": allow, "report-to": endpoint}, _ALLOWLIST, _SF_KEY
        ),
    )
    features = st.dictionaries(st.sampled_from(_active_features()), member, min_size=1, max_size=6)
    return features.map(model.model_validate)


def _token_policy(model: Any) -> st.SearchStrategy[Any]:
    return st.builds(
        lambda value, endpoint: model.model_validate({"value": value, "report-to": endpoint}),
        st.sampled_from(model.allowed()),
        st.one_of(st.none(), _SF_KEY),
    )


def _cache_control() -> st.SearchStrategy[CacheControl]:
    flags = [
        "no-store",
        "no-cache",
        "must-revalidate",
        "proxy-revalidate",
        "must-understand",
        "no-transform",
        "immutable",
    ]
    seconds = ["max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"]
    data = st.fixed_dictionaries(
        {},
        optional={
            **{name: st.just(True) for name in flags},
            **{name: st.integers(0, 10**9) for name in seconds},
            "visibility": st.sampled_from(["private", "public"]),
        },
    ).filter(bool)

    def build(raw: dict[str, Any]) -> CacheControl:
        visibility = raw.pop("visibility", None)
        if visibility:
            raw[visibility] = True
        return CacheControl.model_validate(raw)

    return data.map(build)


#: A strategy of valid instances for every header model.
MODEL_STRATEGIES: dict[type[HeaderModel], st.SearchStrategy[Any]] = {
    ContentSecurityPolicy: csp_policies(),
    ContentSecurityPolicyReportOnly: csp_report_only_policies(),
    StrictTransportSecurity: hsts(),
    XFrameOptions: st.sampled_from(["DENY", "SAMEORIGIN"]).map(XFrameOptions.model_validate),
    XContentTypeOptions: st.just(XContentTypeOptions()),
    ReferrerPolicy: st.lists(st.sampled_from(sorted(REFERRER_TOKENS)), min_size=1, max_size=3).map(
        ReferrerPolicy.model_validate
    ),
    PermissionsPolicy: _permissions(PermissionsPolicy),
    PermissionsPolicyReportOnly: _permissions(PermissionsPolicyReportOnly),
    CrossOriginOpenerPolicy: _token_policy(CrossOriginOpenerPolicy),
    CrossOriginOpenerPolicyReportOnly: _token_policy(CrossOriginOpenerPolicyReportOnly),
    CrossOriginEmbedderPolicy: _token_policy(CrossOriginEmbedderPolicy),
    CrossOriginEmbedderPolicyReportOnly: _token_policy(CrossOriginEmbedderPolicyReportOnly),
    CrossOriginResourcePolicy: st.sampled_from(["same-origin", "same-site", "cross-origin"]).map(
        CrossOriginResourcePolicy.model_validate
    ),
    ReportingEndpoints: st.dictionaries(
        _SF_KEY, origins().map(lambda o: f"{o}/reports"), min_size=1, max_size=3
    ).map(ReportingEndpoints.model_validate),
    OriginAgentCluster: st.builds(OriginAgentCluster, value=st.booleans()),
    XPermittedCrossDomainPolicies: st.sampled_from(
        get_args(XPermittedCrossDomainPolicies.model_fields["value"].annotation)
    ).map(XPermittedCrossDomainPolicies.model_validate),
    XDNSPrefetchControl: st.sampled_from(["on", "off"]).map(XDNSPrefetchControl.model_validate),
    XXSSProtection: st.just(XXSSProtection()),
    ClearSiteData: st.one_of(
        st.just(["*"]),
        st.lists(st.sampled_from([t for t in _CLEAR_TYPES if t != "*"]), min_size=1, unique=True),
    ).map(ClearSiteData.model_validate),
    CacheControl: _cache_control(),
}


def for_model(model: type[HeaderModel]) -> st.SearchStrategy[Any]:
    """The strategy of valid instances of ``model``."""
    return MODEL_STRATEGIES[model]


@st.composite
def security_policies(draw: st.DrawFn) -> SecurityPolicy:
    """Bundles with a random subset of headers (several CSP policies now and then)."""
    data: dict[str, Any] = {}
    for slot in SLOTS:
        if draw(st.booleans()):
            continue
        if slot.repeat == "policies":
            data[slot.attr] = draw(st.lists(for_model(slot.model), min_size=1, max_size=2))
        else:
            data[slot.attr] = draw(for_model(slot.model))
    return SecurityPolicy.model_validate(data)


__all__ = [
    "MODEL_STRATEGIES",
    "csp_policies",
    "csp_report_only_policies",
    "for_model",
    "hashes",
    "host_sources",
    "hosts",
    "hsts",
    "nonces",
    "origins",
    "scheme_sources",
    "security_policies",
    "source_lists",
]
