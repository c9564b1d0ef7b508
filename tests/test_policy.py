"""SecurityPolicy: the bundle, its header order, and reading whole responses."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import Headers

from secheaders import (
    ContentSecurityPolicy,
    SecurityPolicy,
    StrictTransportSecurity,
    XFrameOptions,
)
from secheaders.policy import SLOTS

PLAIN = {
    "cache-control": {"no-store": True},
    "x-frame-options": "DENY",
    "content-security-policy": {"default-src": ["'self'"]},
    "strict-transport-security": {"max-age": 63072000, "includeSubDomains": True},
    "x-content-type-options": True,
    "referrer-policy": "no-referrer",
    "content-security-policy-report-only": {"script-src": ["'none'"]},
}


def test_headers_render_in_the_documented_order() -> None:
    policy = SecurityPolicy.model_validate(PLAIN)
    assert policy.to_headers() == [
        ("Content-Security-Policy", "default-src 'self'"),
        ("Content-Security-Policy-Report-Only", "script-src 'none'"),
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]
    assert [slot.name for slot in SLOTS][:3] == [
        "Content-Security-Policy",
        "Content-Security-Policy-Report-Only",
        "Strict-Transport-Security",
    ]


def test_python_spelling_and_models() -> None:
    policy = SecurityPolicy(
        content_security_policy=ContentSecurityPolicy(default_src=["'self'"]),
        strict_transport_security=StrictTransportSecurity(max_age=300),
        x_frame_options=XFrameOptions(value="DENY"),
    )
    assert policy.csp == ContentSecurityPolicy(default_src=["'self'"])
    assert len(policy.to_headers()) == 3


def test_false_means_not_sent_and_empty_policy_list_is_none() -> None:
    policy = SecurityPolicy.model_validate(
        {"x-frame-options": False, "content-security-policy": [], "x-xss-protection": "0"}
    )
    assert policy.to_headers() == [("X-XSS-Protection", "0")]
    assert policy.csp is None


def test_several_csp_policies_each_get_a_line_and_dump_as_a_list() -> None:
    data = {"content-security-policy": [{"script-src": ["'self'"]}, {"img-src": ["'none'"]}]}
    policy = SecurityPolicy.model_validate(data)
    assert policy.to_headers() == [
        ("Content-Security-Policy", "script-src 'self'"),
        ("Content-Security-Policy", "img-src 'none'"),
    ]
    assert policy.model_dump(by_alias=True, exclude_none=True, mode="json") == data
    single = SecurityPolicy.model_validate({"content-security-policy": {"img-src": []}})
    assert single.model_dump(by_alias=True, exclude_none=True, mode="json") == {
        "content-security-policy": {"img-src": ["'none'"]}
    }


def test_from_headers_accepts_mapping_pairs_and_werkzeug_headers() -> None:
    pairs = [
        ("content-security-policy", "default-src 'self'"),
        ("X-Frame-Options", "DENY"),
        ("Content-Type", "text/html"),
        ("Content-Security-Policy", "img-src 'none'"),
    ]
    from_pairs = SecurityPolicy.from_headers(pairs)
    from_mapping = SecurityPolicy.from_headers(
        {
            "Content-Security-Policy": ["default-src 'self'", "img-src 'none'"],
            "x-frame-options": "DENY",
        }
    )
    from_werkzeug = SecurityPolicy.from_headers(Headers(pairs))
    assert from_pairs == from_mapping == from_werkzeug
    assert len(from_pairs.content_security_policy or ()) == 2


def test_repeated_lines_follow_each_headers_rule() -> None:
    policy = SecurityPolicy.from_headers(
        [
            ("Strict-Transport-Security", "max-age=600"),
            ("Strict-Transport-Security", "max-age=0"),
            ("X-Frame-Options", "SAMEORIGIN"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Referrer-Policy", "unsafe-url"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=()"),
            ("Permissions-Policy", "camera=*"),
        ]
    )
    assert policy.strict_transport_security == StrictTransportSecurity(max_age=600)
    assert policy.x_frame_options == XFrameOptions(value="DENY")
    assert policy.referrer_policy is not None
    assert policy.referrer_policy.effective == "unsafe-url"
    assert policy.cross_origin_opener_policy is None  # two sf-items fail the parse
    assert policy.permissions_policy is not None
    assert policy.permissions_policy.features["camera"].allow == ("*",)
    codes = [note.code for note in policy.diagnostics]
    assert codes == ["repeated-header", "conflicting-values", "ignored-header"]


def test_ignored_headers_empty_policies_and_legacy_headers_are_diagnosed() -> None:
    policy = SecurityPolicy.from_headers(
        {
            "Content-Security-Policy": "default-src 'self', ;;, foo-src a",
            "X-Frame-Options": "ALLOW-FROM https://a.example",
            "Feature-Policy": "camera 'none'",
            "Strict-Transport-Security": "max-age=1\nX-Injected: 1",
        }
    )
    assert policy.x_frame_options is None
    assert policy.strict_transport_security is None
    assert [n.code for n in policy.diagnostics] == [
        "unknown-directive",
        "ignored-header",
        "unmodelled-header",
        "ignored-header",
    ]
    assert policy.diagnostics[2].header == "Feature-Policy"


@pytest.mark.parametrize("bad", [[("a",)], [(1, "x")], {"X-Frame-Options": [1]}, 5])
def test_from_headers_rejects_malformed_input_types(bad: object) -> None:
    with pytest.raises(TypeError):
        SecurityPolicy.from_headers(bad)


def test_equality_ignores_diagnostics_and_hash_is_stable() -> None:
    noisy = SecurityPolicy.from_headers({"X-Frame-Options": "deny, deny"})
    clean = SecurityPolicy.model_validate({"x-frame-options": "DENY"})
    assert noisy == clean
    assert hash(noisy) == hash(clean)


def test_diagnostics_of_discarded_policies_are_kept() -> None:
    policy = SecurityPolicy.from_headers(
        {"Content-Security-Policy": "img-src https://exämple.com, default-src 'self'"}
    )
    assert [p.to_header() for p in policy.content_security_policy or ()] == ["default-src 'self'"]
    assert [n.code for n in policy.diagnostics] == ["non-ascii", "empty-policy"]


def test_to_headers_checks_the_nonce_even_without_a_csp() -> None:
    with pytest.raises(ValueError, match="base64"):
        SecurityPolicy.model_validate({"x-frame-options": "DENY"}).to_headers("not base64!")
