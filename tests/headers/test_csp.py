"""ContentSecurityPolicy: both spellings, the directive table, browser-like parsing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import secheaders
from secheaders import (
    ContentSecurityPolicy,
    ContentSecurityPolicyReportOnly,
    HeaderParseError,
    parse_csp,
)
from secheaders.headers.csp_directives import BY_NAME, DIRECTIVES, Kind
from secheaders.headers.csp_sources import HostSource, Keyword, NonceSource


def codes(model: Any) -> list[str]:
    return [note.code for note in model.diagnostics]


def test_both_spellings_build_the_same_policy() -> None:
    by_name = ContentSecurityPolicy(script_src=["'self'"], upgrade_insecure_requests=True)
    by_alias = ContentSecurityPolicy.model_validate(
        {"script-src": ["'self'"], "upgrade-insecure-requests": True}
    )
    assert by_name == by_alias
    assert by_alias.model_dump(by_alias=True, exclude_none=True, mode="json") == {
        "script-src": ["'self'"],
        "upgrade-insecure-requests": True,
    }


def test_keyword_constants_and_typed_sources() -> None:
    policy = ContentSecurityPolicy(
        script_src=[secheaders.SELF, secheaders.STRICT_DYNAMIC, NonceSource("abc")],
        object_src=[secheaders.NONE],
    )
    assert policy.script_src == (Keyword("self"), Keyword("strict-dynamic"), NonceSource("abc"))
    assert policy.to_header() == "script-src 'self' 'strict-dynamic' 'nonce-abc'; object-src 'none'"


def test_a_string_value_is_split_on_spaces() -> None:
    policy = ContentSecurityPolicy(img_src="'self' data:  https://cdn.example")
    assert policy.to_header() == "img-src 'self' data: https://cdn.example"


def test_rendering_is_canonical() -> None:
    policy = ContentSecurityPolicy.model_validate(
        {
            "report-to": "csp",
            "object-src": [],
            "SANDBOX" if False else "sandbox": [],
            "default-src": ["'SELF'", "HTTPS://CDN.Example/Path", "'self'"],
            "trusted-types": ["app", "'allow-duplicates'"],
            "webrtc": "'block'",
        }
    )
    assert policy.to_header() == (
        "default-src 'self' https://cdn.example/Path; object-src 'none'; sandbox; "
        "trusted-types app 'allow-duplicates'; webrtc 'block'; report-to csp"
    )


def test_empty_source_list_means_none() -> None:
    assert ContentSecurityPolicy(object_src=[]).object_src == (Keyword("none"),)


def test_false_flag_is_absent() -> None:
    policy = ContentSecurityPolicy(default_src=["'self'"], upgrade_insecure_requests=False)
    assert policy.upgrade_insecure_requests is None
    assert "upgrade" not in policy.to_header()


def test_extra_directives_are_an_explicit_escape_hatch() -> None:
    policy = ContentSecurityPolicy.model_validate(
        {"default-src": ["'self'"], "extra-directives": {"future-src": ["'self'"]}}
    )
    assert policy.to_header() == "default-src 'self'; future-src 'self'"
    with pytest.raises(ValidationError, match="set it through the script_src field"):
        ContentSecurityPolicy(extra_directives={"script-src": ["'self'"]})
    with pytest.raises(ValidationError, match="not a directive name"):
        ContentSecurityPolicy(extra_directives={"Future Src": ["x"]})
    with pytest.raises(ValidationError, match="goes under extra-directives"):
        ContentSecurityPolicy.model_validate({"future-src": ["'self'"]})


def test_table_drives_every_field() -> None:
    fields = set(ContentSecurityPolicy.model_fields) - {"extra_directives"}
    assert fields == {spec.attr for spec in DIRECTIVES}
    for spec in DIRECTIVES:
        assert ContentSecurityPolicy.model_fields[spec.attr].alias == spec.name
        for fallback in spec.fallback:
            assert BY_NAME[fallback].kind is Kind.SOURCE_LIST
    assert BY_NAME["worker-src"].fallback == ("child-src", "script-src", "default-src")
    assert BY_NAME["frame-src"].fallback == ("child-src", "default-src")
    assert BY_NAME["base-uri"].fallback == ()


def test_a_policy_needs_a_directive() -> None:
    with pytest.raises(ValidationError, match="at least one directive"):
        ContentSecurityPolicy()


def test_report_only_refuses_directives_it_ignores() -> None:
    with pytest.raises(ValidationError, match="ignore sandbox in Content-Security-Policy-Report"):
        ContentSecurityPolicyReportOnly(sandbox=[])
    with pytest.raises(ValidationError, match="upgrade-insecure-requests"):
        ContentSecurityPolicyReportOnly(upgrade_insecure_requests=True)
    parsed = ContentSecurityPolicyReportOnly.from_header("default-src 'self'; sandbox")
    assert codes(parsed) == ["not-in-report-only"]


def test_to_meta() -> None:
    policy = ContentSecurityPolicy(default_src=["'self'"], img_src=["https://a.example/a&b"])
    assert policy.to_meta() == (
        '<meta http-equiv="Content-Security-Policy" '
        'content="default-src &#x27;self&#x27;; img-src https://a.example/a&amp;b">'
    )
    with pytest.raises(ValueError, match="frame-ancestors"):
        ContentSecurityPolicy(frame_ancestors=["'none'"]).to_meta()
    with pytest.raises(ValueError, match="cannot be delivered"):
        ContentSecurityPolicyReportOnly(default_src=["'self'"]).to_meta()


# --- parsing like a browser ---------------------------------------------------------------


def test_names_are_case_insensitive_and_first_duplicate_wins() -> None:
    policy = ContentSecurityPolicy.from_header("SCRIPT-SRC 'self'; script-src *; Img-Src data:")
    assert policy.to_header() == "script-src 'self'; img-src data:"
    assert codes(policy) == ["duplicate-directive"]


def test_empty_directives_and_whitespace_are_skipped() -> None:
    policy = ContentSecurityPolicy.from_header(" ;; default-src\t'self'  ;  ;")
    assert policy.to_header() == "default-src 'self'"
    assert policy.diagnostics == ()


def test_unknown_and_removed_directives_are_kept_and_reported() -> None:
    policy = ContentSecurityPolicy.from_header("default-src 'self'; foo-src a b; referrer origin")
    assert policy.extra_directives == {"foo-src": ("a", "b"), "referrer": ("origin",)}
    assert codes(policy) == ["unknown-directive", "removed-directive"]


def test_a_bad_token_is_ignored_and_an_emptied_list_matches_nothing() -> None:
    policy = ContentSecurityPolicy.from_header("script-src 'bogus' 'nonce-*'")
    assert policy.script_src == (Keyword("none"),)
    assert codes(policy) == ["ignored-source", "ignored-source"]


def test_none_beside_other_sources_is_ignored() -> None:
    policy = ContentSecurityPolicy.from_header("img-src 'none' https:")
    assert policy.to_header() == "img-src https:"
    assert codes(policy) == ["none-with-sources"]


def test_unquoted_keyword_is_a_host() -> None:
    policy = ContentSecurityPolicy.from_header("script-src self")
    assert policy.script_src == (HostSource("self"),)
    assert codes(policy) == ["suspicious-source"]


def test_non_ascii_directive_is_dropped() -> None:
    policy = ContentSecurityPolicy.from_header("default-src 'self'; img-src https://exämple.com")
    assert policy.img_src is None
    assert codes(policy) == ["non-ascii"]


def test_frame_ancestors_drops_keywords_it_does_not_accept() -> None:
    policy = ContentSecurityPolicy.from_header("frame-ancestors 'self' 'unsafe-inline' 'nonce-a'")
    assert policy.frame_ancestors == (Keyword("self"),)
    assert codes(policy) == ["ignored-source", "ignored-source"]


def test_wrong_length_hash_is_kept_but_reported() -> None:
    policy = ContentSecurityPolicy.from_header("script-src 'sha256-abc'")
    assert policy.to_header() == "script-src 'sha256-abc'"
    assert codes(policy) == ["hash-length"]


def test_sandbox_trusted_types_and_webrtc_reading() -> None:
    policy = ContentSecurityPolicy.from_header(
        "sandbox Allow-Scripts allow-nothing; trusted-types 'none' app; webrtc 'maybe';"
        " require-trusted-types-for 'script' 'style'"
    )
    assert policy.sandbox == ("allow-scripts",)
    assert policy.trusted_types == ("app",)
    assert policy.webrtc == "'block'"
    assert policy.require_trusted_types_for == ("'script'",)
    assert codes(policy) == [
        "ignored-token",  # sandbox allow-nothing
        "ignored-token",  # require-trusted-types-for 'style'
        "none-with-sources",  # trusted-types 'none' app
        "invalid-value",  # webrtc 'maybe'
    ]


def test_directives_that_do_nothing_are_dropped_from_the_model() -> None:
    policy = ContentSecurityPolicy.from_header(
        "default-src 'self'; report-to a b; require-trusted-types-for 'style'; report-uri"
    )
    assert policy.report_to is None
    assert policy.require_trusted_types_for is None
    assert policy.report_uri is None
    assert policy.to_header() == "default-src 'self'"


def test_flag_with_value_and_obsolete_directive() -> None:
    policy = ContentSecurityPolicy.from_header(
        "upgrade-insecure-requests 1; block-all-mixed-content"
    )
    assert policy.upgrade_insecure_requests is True
    assert policy.block_all_mixed_content is True
    assert codes(policy) == ["ignored-token", "obsolete-directive"]
    with pytest.raises(ValidationError, match="obsolete"):
        ContentSecurityPolicy(block_all_mixed_content=True)


def test_comma_separates_policies() -> None:
    policies = parse_csp("script-src 'self', object-src 'none' , ;")
    assert [p.to_header() for p in policies] == ["script-src 'self'", "object-src 'none'"]
    with pytest.raises(HeaderParseError, match="holds 2 policies"):
        ContentSecurityPolicy.from_header("script-src 'self', object-src 'none'")


def test_report_only_parse() -> None:
    policies = parse_csp("default-src 'self'", report_only=True)
    assert isinstance(policies[0], ContentSecurityPolicyReportOnly)


@pytest.mark.parametrize("value", ["", "   ", ";;", ", ,", "default-src 'self'\r\nX-Evil: 1"])
def test_values_browsers_ignore_raise_header_parse_error(value: str) -> None:
    with pytest.raises(HeaderParseError):
        ContentSecurityPolicy.from_header(value)


def test_obs_fold_is_collapsed() -> None:
    policy = ContentSecurityPolicy.from_header("default-src 'self';\r\n img-src data:")
    assert policy.to_header() == "default-src 'self'; img-src data:"


def test_diagnostics_do_not_change_equality_or_hash() -> None:
    noisy = ContentSecurityPolicy.from_header("default-src 'self'; default-src *")
    clean = ContentSecurityPolicy(default_src=["'self'"])
    assert noisy.diagnostics
    assert noisy == clean
    assert hash(noisy) == hash(clean)
    assert str(noisy.diagnostics[0]).startswith("Content-Security-Policy default-src:")


def test_unicode_whitespace_is_not_a_separator() -> None:
    policy = ContentSecurityPolicy.from_header("default-src 'self';\xa0;img-src\xa0data:")
    assert policy.to_header() == "default-src 'self'"
    assert codes(policy) == ["non-ascii", "non-ascii"]


def test_report_only_reading_drops_what_browsers_ignore_there() -> None:
    policy = ContentSecurityPolicyReportOnly.from_header(
        "default-src 'self'; upgrade-insecure-requests"
    )
    assert policy.upgrade_insecure_requests is None
    assert codes(policy) == ["not-in-report-only"]
