"""diff_policies: CSP lists judged as a browser of one level enforces them; allowlists."""

from __future__ import annotations

import pytest

from secheaders import SecurityPolicy, load_preset
from secheaders.evaluation.diff import PolicyDiff, diff_policies

CSP = "Content-Security-Policy"


def csp_diff(old: str, new: str, level: int = 3) -> PolicyDiff:
    return diff_policies(
        SecurityPolicy.from_headers({CSP: old}),
        SecurityPolicy.from_headers({CSP: new}),
        csp_level=level,
    )


def found(result: PolicyDiff) -> set[tuple[str, str | None, str]]:
    return {(change.direction, change.directive, change.message) for change in result.changes}


STRICT_DYNAMIC = "script-src 'nonce-abc12345' 'strict-dynamic'"


def test_fallbacks_beside_strict_dynamic_are_not_looser_for_csp3() -> None:
    result = csp_diff(STRICT_DYNAMIC, STRICT_DYNAMIC + " https: 'unsafe-inline'")
    assert result.looser == []
    assert found(result) == {
        (
            "changed",
            "script-src",
            "script-src adds 'unsafe-inline' https:, fallbacks that CSP3 browsers ignore here",
        )
    }


def test_dropping_a_fallback_is_a_change() -> None:
    result = csp_diff(STRICT_DYNAMIC + " https:", STRICT_DYNAMIC)
    assert found(result) == {
        (
            "changed",
            "script-src",
            "script-src drops https:, a fallback that CSP3 browsers ignored here",
        )
    }


@pytest.mark.parametrize(
    ("level", "looser", "fallback"),
    [
        (2, "script-src allows https:", "'unsafe-inline', a fallback that CSP2 browsers ignore"),
        (1, "script-src allows 'unsafe-inline' https:", None),
    ],
)
def test_older_levels_count_what_they_honour(level: int, looser: str, fallback: str | None) -> None:
    result = csp_diff(STRICT_DYNAMIC, STRICT_DYNAMIC + " https: 'unsafe-inline'", level=level)
    assert [change.message for change in result.looser] == [looser]
    changed = [change.message for change in result.changes if change.direction == "changed"]
    assert changed == ([] if fallback is None else [f"script-src adds {fallback} here"])


def test_removing_the_nonce_beside_unsafe_inline_is_looser() -> None:
    result = csp_diff("script-src 'nonce-abc12345' 'unsafe-inline'", "script-src 'unsafe-inline'")
    assert [change.message for change in result.looser] == ["script-src allows 'unsafe-inline'"]


def test_adding_a_nonce_beside_unsafe_inline_is_stricter() -> None:
    result = csp_diff("script-src 'unsafe-inline'", "script-src 'nonce-abc12345' 'unsafe-inline'")
    assert found(result) == {
        ("stricter", "script-src", "script-src no longer allows 'unsafe-inline'")
    }


def test_removing_strict_dynamic_lets_hosts_count_again() -> None:
    result = csp_diff(STRICT_DYNAMIC + " https:", "script-src 'nonce-abc12345' https:")
    assert [change.message for change in result.looser] == ["script-src allows https:"]


def test_style_and_default_src_nonces_set_unsafe_inline_aside() -> None:
    result = csp_diff("style-src 'self' 'nonce-abc12345'", "style-src 'self' 'unsafe-inline'")
    assert [change.message for change in result.looser] == ["style-src allows 'unsafe-inline'"]
    result = csp_diff(
        "default-src 'self' 'nonce-abc12345'", "default-src 'self' 'nonce-abc12345' 'unsafe-inline'"
    )
    assert result.looser == []
    # 'strict-dynamic' in default-src only concerns scripts: a host there still loads images.
    result = csp_diff(
        "default-src 'nonce-abc12345' 'strict-dynamic'",
        "default-src 'nonce-abc12345' 'strict-dynamic' https:",
    )
    assert [change.message for change in result.looser] == ["default-src allows https:"]


def test_hosts_beside_strict_dynamic_in_worker_src_still_count() -> None:
    result = csp_diff(
        "worker-src 'nonce-abc12345' 'strict-dynamic'",
        "worker-src 'nonce-abc12345' 'strict-dynamic' https://w.example",
    )
    assert [change.message for change in result.looser] == ["worker-src allows https://w.example"]


def test_a_new_script_src_reports_what_it_sets_aside() -> None:
    result = csp_diff("default-src 'self'", "default-src 'self'; " + STRICT_DYNAMIC + " https:")
    assert found(result) == {
        ("stricter", "script-src", "script-src no longer allows 'self'"),
        (
            "changed",
            "script-src",
            "script-src adds https:, a fallback that CSP3 browsers ignore here",
        ),
    }


def test_strict_to_legacy_compatible_scripts_only_gain_fallbacks() -> None:
    result = diff_policies(load_preset("strict"), load_preset("legacy-compatible"))
    script = [change for change in result.changes if change.directive == "script-src"]
    assert [(change.direction, change.message) for change in script] == [
        (
            "changed",
            "script-src adds 'unsafe-inline' https:, fallbacks that CSP3 browsers ignore here",
        )
    ]
    assert ("style-src", "looser") in {(c.directive, c.direction) for c in result.changes}


def test_level_is_checked() -> None:
    policy = load_preset("strict")
    with pytest.raises(ValueError, match="csp_level is 1, 2 or 3"):
        diff_policies(policy, policy, csp_level=4)


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        ("camera=*", 'camera=(self "https://a.example")', "stricter"),
        ("camera=(self)", "camera=*", "looser"),
        ("camera=(self)", 'camera=(self "https://a.example")', "looser"),
        ('camera=(self "https://a.example")', "camera=(self)", "stricter"),
        ('camera=("https://a.example")', 'camera=("https://b.example")', "looser"),
        ("camera=(*)", 'camera=(* "https://a.example")', "changed"),
        ("camera=(self)", "camera=()", "stricter"),
    ],
)
def test_permissions_allowlists(old: str, new: str, direction: str) -> None:
    result = diff_policies(
        SecurityPolicy.from_headers({"Permissions-Policy": old}),
        SecurityPolicy.from_headers({"Permissions-Policy": new}),
    )
    assert [(change.directive, change.direction) for change in result.changes] == [
        ("camera", direction)
    ]
