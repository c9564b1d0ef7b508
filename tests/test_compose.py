"""replace / extend / remove on SecurityPolicy, table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from secheaders import CompositionError, SecurityPolicy

BASE = SecurityPolicy.model_validate(
    {
        "content-security-policy": {
            "default-src": ["'self'"],
            "script-src": ["'nonce'", "'strict-dynamic'"],
            "child-src": ["https://frames.example"],
            "object-src": ["'none'"],
            "sandbox": ["allow-scripts"],
            "report-uri": ["/csp"],
        },
        "strict-transport-security": {"max-age": 600, "includeSubDomains": True},
        "x-frame-options": "DENY",
        "permissions-policy": {"camera": [], "geolocation": ["self"]},
        "reporting-endpoints": {"csp": "https://r.example/csp"},
    }
)


def csp(policy: SecurityPolicy) -> dict[str, Any]:
    plain = policy.plain()["content-security-policy"]
    assert isinstance(plain, dict)
    return plain


EXTEND_CASES = [
    # (directive, added, expected value) -- absent fetch directives inherit their fallback
    ("img-src", ["https://img.example"], ["'self'", "https://img.example"]),
    ("frame-src", ["https://b.example"], ["https://frames.example", "https://b.example"]),
    ("worker-src", ["blob:"], ["https://frames.example", "blob:"]),
    (
        "script-src",
        ["https://cdn.example", "'nonce'"],
        ["'nonce'", "'strict-dynamic'", "https://cdn.example"],
    ),
    ("object-src", ["https://flash.example"], ["https://flash.example"]),
    ("sandbox", ["allow-forms", "allow-scripts"], ["allow-scripts", "allow-forms"]),
    ("report-uri", ["https://r.example/csp"], ["/csp", "https://r.example/csp"]),
    ("img_src", "data:", ["'self'", "data:"]),
]


@pytest.mark.parametrize(("directive", "added", "expected"), EXTEND_CASES)
def test_extend_csp(directive: str, added: Any, expected: list[str]) -> None:
    result = BASE.extend(csp={directive: added})
    assert csp(result)[directive.replace("_", "-")] == expected
    untouched = {k: v for k, v in csp(result).items() if k != directive.replace("_", "-")}
    assert untouched == {k: v for k, v in csp(BASE).items() if k != directive.replace("_", "-")}


@pytest.mark.parametrize("directive", ["base-uri", "form-action", "frame-ancestors"])
def test_extending_an_unrestricted_directive_changes_nothing(directive: str) -> None:
    assert BASE.extend(csp={directive: ["https://a.example"]}) == BASE


def test_extend_without_default_src_leaves_other_types_unrestricted() -> None:
    policy = SecurityPolicy.model_validate({"content-security-policy": {"script-src": ["'self'"]}})
    assert policy.extend(csp={"img-src": ["https://img.example"]}) == policy
    assert SecurityPolicy().extend(csp={"img-src": ["x.example"]}) == SecurityPolicy()


def test_extend_applies_to_every_csp_policy() -> None:
    several = SecurityPolicy.model_validate(
        {"content-security-policy": [{"img-src": ["'self'"]}, {"default-src": ["'none'"]}]}
    )
    result = several.extend(csp={"img-src": ["https://img.example"]})
    assert [p.to_header() for p in result.content_security_policy or ()] == [
        "img-src 'self' https://img.example",
        "default-src 'none'; img-src https://img.example",
    ]


def test_extend_other_headers() -> None:
    result = BASE.extend(
        permissions_policy={"geolocation": ["https://maps.example"], "camera": "self"},
        reporting_endpoints={"coop": "https://r.example/coop", "csp": "https://r.example/csp"},
        clear_site_data=["cache"],
    )
    assert result.permissions_policy is not None
    assert result.permissions_policy.to_header() == (
        'camera=(self), geolocation=(self "https://maps.example")'
    )
    assert result.reporting_endpoints is not None
    assert list(result.reporting_endpoints.endpoints) == ["csp", "coop"]
    assert result.clear_site_data is not None
    assert result.clear_site_data.types == ("cache",)
    star = BASE.extend(permissions_policy={"geolocation": ["*"]})
    assert star.permissions_policy is not None
    assert star.permissions_policy.features["geolocation"].allow == ("*",)


@pytest.mark.parametrize(
    ("additions", "message"),
    [
        ({"x_frame_options": "SAMEORIGIN"}, "X-Frame-Options cannot be extended"),
        ({"csp": {"upgrade-insecure-requests": True}}, "cannot be extended, only replaced"),
        (
            {"csp": {"scritp-src": ["x"]}},
            "unknown directive 'scritp-src' (did you mean script-src?)",
        ),
        ({"csp": ["img-src"]}, "extend takes a mapping of directives"),
        ({"csp": {"img-src": 3}}, "expected a list of values, got 3"),
        ({"permissions_policy": {"usb": ["self"]}}, "usb is not in the policy"),
        ({"reporting_endpoints": {"csp": "https://other.example"}}, "already points to"),
        ({"xfo": "DENY"}, "unknown header 'xfo'"),
    ],
)
def test_extend_errors(additions: dict[str, Any], message: str) -> None:
    with pytest.raises(CompositionError) as exc_info:
        BASE.extend(additions)
    assert message in str(exc_info.value)


REPLACE_CASES = [
    ({"x_frame_options": None}, "x-frame-options", None),
    ({"X-Frame-Options": "SAMEORIGIN"}, "x-frame-options", "SAMEORIGIN"),
    (
        {"strict_transport_security": {"max-age": 31536000}},
        "strict-transport-security",
        {"max-age": 31536000, "includeSubDomains": True, "preload": False},
    ),
    ({"strict-transport-security": False}, "strict-transport-security", None),
    (
        {"referrer_policy": ["no-referrer", "same-origin"]},
        "referrer-policy",
        ["no-referrer", "same-origin"],
    ),
    (
        {"permissions_policy": {"camera": None, "usb": []}},
        "permissions-policy",
        {"geolocation": ["self"], "usb": []},
    ),
]


@pytest.mark.parametrize(("changes", "key", "expected"), REPLACE_CASES)
def test_replace(changes: dict[str, Any], key: str, expected: Any) -> None:
    assert BASE.replace(changes).plain().get(key) == expected


def test_replace_csp_directives_keeps_the_others() -> None:
    result = BASE.replace(csp={"frame-ancestors": ["https://partner.example"], "sandbox": None})
    plain = csp(result)
    assert plain["frame-ancestors"] == ["https://partner.example"]
    assert "sandbox" not in plain
    assert plain["script-src"] == ["'nonce'", "'strict-dynamic'"]
    whole = BASE.replace(csp=[{"default-src": ["'none'"]}])
    assert whole.plain()["content-security-policy"] == {"default-src": ["'none'"]}


def test_replace_validates_the_result() -> None:
    with pytest.raises(ValidationError, match="write 'self'"):
        BASE.replace(csp={"img-src": ["self"]})
    with pytest.raises(ValidationError, match="preload needs"):
        BASE.replace(strict_transport_security={"preload": True})


def test_remove() -> None:
    result = BASE.remove("x-frame-options", "cache_control", csp=["sandbox", "report_uri"])
    assert result.x_frame_options is None
    assert "sandbox" not in csp(result)
    assert "report-uri" not in csp(result)
    assert BASE.remove(permissions_policy="camera").plain()["permissions-policy"] == {
        "geolocation": ["self"]
    }
    assert BASE.remove(permissions_policy=["camera", "geolocation"]).permissions_policy is None
    emptied = BASE.remove(csp=list(csp(BASE)))
    assert emptied.content_security_policy is None
    with pytest.raises(CompositionError, match="no parts to remove"):
        BASE.remove(x_frame_options="value")


def test_operations_return_new_objects_and_keep_the_original() -> None:
    before = BASE.plain()
    BASE.extend(csp={"img-src": ["x.example"]})
    BASE.replace(x_frame_options=None)
    BASE.remove("strict-transport-security")
    assert BASE.plain() == before


def test_python_field_names_merge_with_wire_names() -> None:
    result = BASE.replace(strict_transport_security={"max_age": 31536000})
    assert result.plain()["strict-transport-security"] == {
        "max-age": 31536000,
        "includeSubDomains": True,
        "preload": False,
    }
    with pytest.raises(CompositionError, match="header names are strings"):
        BASE.replace({5: None})  # type: ignore[dict-item]


def test_inherited_sources_without_effect_in_the_target_are_left_behind() -> None:
    policy = SecurityPolicy.model_validate(
        {"content-security-policy": {"default-src": ["'self'", "'unsafe-webtransport-hashes'"]}}
    )
    result = policy.extend(csp={"script-src": ["'nonce'"]})
    assert csp(result)["script-src"] == ["'self'", "'nonce'"]


def test_false_is_a_value_for_header_fields_and_removes_directives() -> None:
    policy = SecurityPolicy.model_validate({"origin-agent-cluster": True})
    assert policy.replace(origin_agent_cluster={"value": False}).to_headers() == [
        ("Origin-Agent-Cluster", "?0")
    ]
    hsts = BASE.replace(strict_transport_security={"includeSubDomains": False})
    assert hsts.plain()["strict-transport-security"]["includeSubDomains"] is False
    assert "sandbox" not in csp(BASE.replace(csp={"sandbox": False}))
    assert (
        "camera"
        not in BASE.replace(permissions_policy={"camera": False}).plain()["permissions-policy"]
    )


@pytest.mark.parametrize(
    ("parts", "message", "where"),
    [
        (
            {"csp": "scritp-src"},
            "unknown directive 'scritp-src' (did you mean script-src?)",
            "content-security-policy.scritp-src",
        ),
        (
            {"permissions_policy": "camra"},
            "camra is not in the policy (did you mean camera?)",
            "permissions-policy.camra",
        ),
        (
            {"strict_transport_security": "includeSubdomain"},
            "unknown field 'includeSubdomain' (did you mean includeSubDomains?)",
            "strict-transport-security.includeSubdomain",
        ),
        ({"x_frame_options": "value"}, "has no parts to remove", "x-frame-options"),
    ],
)
def test_remove_refuses_unknown_names(parts: dict[str, Any], message: str, where: str) -> None:
    with pytest.raises(CompositionError) as exc_info:
        BASE.remove(**parts)
    assert message in str(exc_info.value)
    assert exc_info.value.where == where


def test_remove_python_field_names_and_known_absent_directives() -> None:
    result = BASE.remove(strict_transport_security="include_subdomains")
    assert result.strict_transport_security is not None
    assert result.strict_transport_security.to_header() == "max-age=600"
    assert BASE.remove(csp="img-src") == BASE
