"""Mistakes are refused at construction with a message naming the directive and the token."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from secheaders import (
    ContentSecurityPolicy,
    ContentSecurityPolicyReportOnly,
    CrossOriginOpenerPolicy,
    PermissionsPolicy,
    ReferrerPolicy,
    ReportingEndpoints,
    SecurityPolicy,
    StrictTransportSecurity,
    XFrameOptions,
)
from secheaders.errors import format_validation_error

SHORT_HASH = "'sha256-" + "A" * 43 + "'"

# (model, input, field that must be named, token that must be named, words of the fix)
CASES: list[tuple[type[BaseModel], dict[str, Any], str, str, str]] = [
    (ContentSecurityPolicy, {"script-src": ["self"]}, "script-src", "self", "write 'self'"),
    (ContentSecurityPolicy, {"script-src": ["none"]}, "script-src", "none", "write 'none'"),
    (
        ContentSecurityPolicy,
        {"script-src": ["unsafe-inline"]},
        "script-src",
        "unsafe-inline",
        "write 'unsafe-inline'",
    ),
    (
        ContentSecurityPolicy,
        {"img-src": ["'cdn.example'"]},
        "img-src",
        "cdn.example",
        "never quoted",
    ),
    (ContentSecurityPolicy, {"img-src": ["'https:'"]}, "img-src", "https:", "write https:"),
    (
        ContentSecurityPolicy,
        {"script-src": ["'none'", "'self'"]},
        "script-src",
        "'none'",
        "only source",
    ),
    (
        ContentSecurityPolicy,
        {"script-src": ["'nonce-not base64!'"]},
        "script-src",
        "nonce-not base64!",
        "contains a space",
    ),
    (ContentSecurityPolicy, {"script-src": ["'nonce-abc!'"]}, "script-src", "nonce-abc!", "base64"),
    (
        ContentSecurityPolicy,
        {"script-src": [SHORT_HASH]},
        "script-src",
        SHORT_HASH,
        "44 base64 characters",
    ),
    (
        ContentSecurityPolicy,
        {"script-src": ["'sha1-abc='"]},
        "script-src",
        "sha1",
        "sha256, sha384 or sha512",
    ),
    (
        ContentSecurityPolicy,
        {"frame-ancestors": ["'unsafe-inline'"]},
        "frame-ancestors",
        "'unsafe-inline'",
        "only 'self', 'none', hosts and schemes",
    ),
    (
        ContentSecurityPolicy,
        {"frame-ancestors": ["'nonce-abc'"]},
        "frame-ancestors",
        "'nonce-abc'",
        "only 'self'",
    ),
    (
        ContentSecurityPolicy,
        {"sandbox": ["allow-scrips"]},
        "sandbox",
        "allow-scrips",
        "did you mean allow-scripts",
    ),
    (
        ContentSecurityPolicy,
        {"img-src": ["'strict-dynamic'"]},
        "img-src",
        "'strict-dynamic'",
        "no effect",
    ),
    (
        ContentSecurityPolicy,
        {"script-src-elem": ["'unsafe-eval'"]},
        "script-src-elem",
        "'unsafe-eval'",
        "works in default-src, script-src",
    ),
    (
        ContentSecurityPolicy,
        {"img-src": ["'nonce-abc'"]},
        "img-src",
        "'nonce-abc'",
        "scripts and styles",
    ),
    (
        ContentSecurityPolicy,
        {"trusted-types": ["bad name!"]},
        "trusted-types",
        "bad name!",
        "space",
    ),
    (
        ContentSecurityPolicy,
        {"trusted-types": ["app!"]},
        "trusted-types",
        "app!",
        "not a policy name",
    ),
    (
        ContentSecurityPolicy,
        {"trusted-types": ["'none'", "app"]},
        "trusted-types",
        "'none'",
        "stand alone",
    ),
    (
        ContentSecurityPolicy,
        {"require-trusted-types-for": ["'style'"]},
        "require-trusted-types-for",
        "'style'",
        "only one is 'script'",
    ),
    (ContentSecurityPolicy, {"webrtc": "allow"}, "webrtc", "allow", "'allow' or 'block'"),
    (ContentSecurityPolicy, {"report-to": "two names"}, "report-to", "two names", "exactly one"),
    (
        ContentSecurityPolicy,
        {"report-uri": ["https://r.example/<x>"]},
        "report-uri",
        "<x>",
        "percent-encode",
    ),
    (
        ContentSecurityPolicy,
        {"upgrade-insecure-requests": ["yes"]},
        "upgrade-insecure-requests",
        "yes",
        "takes no value",
    ),
    (
        ContentSecurityPolicy,
        {"script-src": "'self'\r\nSet-Cookie: a=b"},
        "script-src",
        "Set-Cookie",
        "CR, LF or NUL",
    ),
    (ContentSecurityPolicy, {"script-src": ["'self'\n"]}, "script-src", "'self'", "CR, LF or NUL"),
    (
        ContentSecurityPolicy,
        {"script-src": ["a.example\x00"]},
        "script-src",
        "a.example",
        "CR, LF or NUL",
    ),
    (
        ContentSecurityPolicy,
        {"script-src": ["a.example\x1b"]},
        "script-src",
        "a.example",
        "control character",
    ),
    (ContentSecurityPolicy, {"img-src": ["exämple.com"]}, "img-src", "exämple.com", "non-ASCII"),
    (
        ContentSecurityPolicy,
        {"img-src": ["a.example;script-src *"]},
        "img-src",
        "script-src",
        "';'",
    ),
    (
        ContentSecurityPolicy,
        {"img-src": ["a.example,script-src *"]},
        "img-src",
        "script-src",
        "','",
    ),
    (ContentSecurityPolicy, {"img-src": "a.example; script-src *"}, "img-src", "script-src", "';'"),
    (ContentSecurityPolicy, {"img-src": [42]}, "img-src", "42", "expected a string"),
    (ContentSecurityPolicyReportOnly, {"sandbox": []}, "sandbox", "sandbox", "Report-Only"),
    (
        StrictTransportSecurity,
        {"max-age": 60, "preload": True},
        "preload",
        "preload",
        "includeSubDomains",
    ),
    (
        XFrameOptions,
        {"value": "ALLOW-FROM https://a.example"},
        "value",
        "ALLOW-FROM",
        "frame-ancestors",
    ),
    (
        ReferrerPolicy,
        {"policy": ["strict-origin-when-crossorigin"]},
        "policy",
        "strict-origin-when-crossorigin",
        "did you mean strict-origin-when-cross-origin",
    ),
    (
        PermissionsPolicy,
        {"geolocaton": ["self"]},
        "features",
        "geolocaton",
        "did you mean geolocation",
    ),
    (PermissionsPolicy, {"camera": ["self;x"]}, "camera", "self;x", "not *, self"),
    (
        CrossOriginOpenerPolicy,
        {"value": "same-origin", "report-to": "a,b"},
        "report-to",
        "a,b",
        "endpoint name",
    ),
    (ReportingEndpoints, {"csp": "https://r.example/a\r\nb"}, "endpoints", "csp", "CR, LF or NUL"),
]


@pytest.mark.parametrize(
    ("model", "data", "field", "token", "fix"),
    CASES,
    ids=[f"{c[0].__name__}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_error_names_field_and_token(
    model: type[BaseModel], data: dict[str, Any], field: str, token: str, fix: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        model.model_validate(data)
    message = str(exc_info.value)
    assert field in message
    assert token in message
    assert fix in message


def test_errors_inside_a_bundle_have_a_full_location() -> None:
    data = {"content-security-policy": {"script-src": ["'self'", "self"]}}
    with pytest.raises(ValidationError) as exc_info:
        SecurityPolicy.model_validate(data)
    lines = format_validation_error(exc_info.value, source="policy.toml", data=data)
    assert lines == [
        "policy.toml: content-security-policy.script-src[1]: "
        "self is read as a host name, not a keyword; write 'self'"
    ]
    several = {"content-security-policy": [{"img-src": ["'self'"]}, {"img-src": ["'x'"]}]}
    with pytest.raises(ValidationError) as exc_info:
        SecurityPolicy.model_validate(several)
    (line,) = format_validation_error(exc_info.value, data=several)
    assert line.startswith("content-security-policy[1].img-src[0]: 'x' is not a CSP keyword")
    assert exc_info.value.errors()[0]["ctx"]["token"] == "'x'"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"x-frame-option": "DENY"},
            "unknown header 'x-frame-option' (did you mean x-frame-options?)",
        ),
        (
            {"content-security-policy": {"scritp-src": ["'self'"]}},
            "unknown directive 'scritp-src' (did you mean script-src?)",
        ),
        (
            {"strict-transport-security": {"max-age": 1, "includeSubdomains": True}},
            "unknown field 'includeSubdomains' (did you mean includeSubDomains?)",
        ),
        (
            {"permissions-policy": {"camera": {"alow": []}}},
            "unknown field 'alow' (did you mean allow?)",
        ),
    ],
)
def test_unknown_keys_are_errors_with_a_suggestion(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        SecurityPolicy.model_validate(data)
    assert message in str(exc_info.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"strict-transport-security": {"max-age": 5, "preload": True}},
            "strict-transport-security.preload: preload needs max-age of at least 31536000",
        ),
        (
            {"strict-transport-security": {"includeSubDomains": True}},
            "strict-transport-security.max-age: Field required",
        ),
        (
            {"permissions-policy": {"camera": ["'self'"]}},
            "permissions-policy.camera: 'self': Permissions-Policy keywords are bare tokens",
        ),
        (
            {"reporting-endpoints": {"Csp": "https://r.example"}},
            "reporting-endpoints.Csp: not an endpoint name",
        ),
        ({"x-frame-options": True}, "x-frame-options: true is not enough for X-Frame-Options"),
        ({"x-frame-options": "ALLOW-FROM x"}, "x-frame-options: 'ALLOW-FROM x': ALLOW-FROM is"),
    ],
)
def test_locations_are_spelled_as_the_author_wrote_them(
    data: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        SecurityPolicy.model_validate(data)
    (line,) = format_validation_error(exc_info.value, data=data)
    assert line.startswith(expected)
