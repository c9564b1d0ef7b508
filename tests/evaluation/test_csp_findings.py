"""Every CSP finding id: a policy that triggers it and a near miss that must not."""

from __future__ import annotations

import pytest

from secheaders.evaluation import Severity, evaluate_csp

SAFE = "script-src 'nonce-r4nd0mR4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'"

# (id, severity, policy that triggers it, near miss that must not)
CASES = [
    (
        "unsafe-inline",
        "high",
        "script-src 'unsafe-inline'; object-src 'none'",
        "script-src 'unsafe-inline' 'nonce-r4nd0mR4nd0m'; object-src 'none'; base-uri 'none'",
    ),
    (
        "unsafe-inline",
        "high",
        "default-src 'self' 'unsafe-inline'",
        "default-src 'self' 'unsafe-inline' 'strict-dynamic'",
    ),
    (
        "plain-scheme",
        "high",
        "script-src https:; object-src 'none'",
        "script-src 'nonce-r4nd0mR4nd0m' 'strict-dynamic' https:; object-src 'none'; "
        "base-uri 'none'",
    ),
    (
        "plain-scheme",
        "high",
        "object-src data:; script-src 'none'",
        "img-src data:; default-src 'none'",
    ),
    (
        "plain-scheme",
        "high",
        "default-src 'none'; base-uri http:",
        "default-src 'none'; base-uri 'self'",
    ),
    (
        "plain-wildcard",
        "high",
        "script-src *; object-src 'none'",
        "script-src *.example.com; object-src 'none'",
    ),
    ("missing-object-src", "high", "script-src 'none'", "script-src 'none'; object-src 'none'"),
    ("missing-object-src", "high", "script-src 'none'", "default-src 'none'"),
    ("missing-script-src", "high", "object-src 'none'", "default-src 'none'"),
    (
        "missing-script-src",
        "high",
        "object-src 'none', img-src 'self'",
        "object-src 'none', script-src 'self'",
    ),
    (
        "missing-base-uri",
        "high",
        "script-src 'nonce-r4nd0mR4nd0m'; object-src 'none'",
        "script-src 'nonce-r4nd0mR4nd0m'; object-src 'none'; base-uri 'self'",
    ),
    (
        "missing-base-uri",
        "high",
        f"script-src 'sha256-{'A' * 43}=' 'strict-dynamic'; object-src 'none'",
        f"script-src 'sha256-{'A' * 43}='; object-src 'none'",
    ),
    (
        "allowlist-bypass",
        "high",
        "script-src https://ajax.googleapis.com; object-src 'none'",
        "script-src https://cdn.example.com; object-src 'none'",
    ),
    (
        "allowlist-bypass",
        "high",
        "script-src www.google-analytics.com 'unsafe-eval'; object-src 'none'",
        "script-src www.google-analytics.com; object-src 'none'",
    ),
    (
        "object-bypass",
        "high",
        "script-src 'none'; object-src vk.com",
        "script-src 'none'; object-src flash.example.com",
    ),
    (
        "unknown-directive",
        "syntax",
        "default-src 'none'; scirpt-src 'self'",
        "default-src 'none'; script-src 'self'",
    ),
    (
        "missing-semicolon",
        "syntax",
        "default-src 'self' object-src 'none'",
        "default-src 'self'; object-src 'none'",
    ),
    (
        "missing-semicolon",
        "syntax",
        "default-src 'none'; foo-src a script-src",
        "default-src 'none'; foo-src a",
    ),
    ("invalid-keyword", "syntax", "default-src self", "default-src 'self'"),
    ("invalid-keyword", "syntax", "default-src 'slef'", "default-src 'self'"),
    (
        "nonce-too-short",
        "medium",
        "script-src 'nonce-abc'; object-src 'none'; base-uri 'none'",
        SAFE,
    ),
    (
        "insecure-http-source",
        "medium",
        "default-src 'none'; img-src http://img.example",
        "default-src 'none'; img-src https://img.example",
    ),
    ("unsafe-eval", "medium_maybe", "script-src 'nonce-r4nd0mR4nd0m' 'unsafe-eval'", SAFE),
    ("unsafe-hashes", "medium_maybe", f"script-src 'unsafe-hashes' 'sha256-{'A' * 43}='", SAFE),
    ("allowlist-review", "medium_maybe", "script-src 'self'; object-src 'none'", SAFE),
    (
        "object-src-not-none",
        "medium_maybe",
        "script-src 'none'; object-src 'self'",
        "script-src 'none'; object-src 'none'",
    ),
    (
        "nonce-charset",
        "info",
        "script-src 'nonce-ab+c-defgh1234'; object-src 'none'; base-uri 'none'",
        SAFE,
    ),
    (
        "ip-source",
        "info",
        "default-src 'none'; img-src 127.0.0.1",
        "default-src 'none'; img-src localhost",
    ),
    ("deprecated-directive", "info", "default-src 'none'; referrer origin", "default-src 'none'"),
    ("allowlist-without-strict-dynamic", "strict_csp", "script-src https://cdn.example", SAFE),
    ("strict-dynamic-without-nonce-or-hash", "strict_csp", "script-src 'strict-dynamic'", SAFE),
    (
        "no-unsafe-inline-fallback",
        "strict_csp",
        SAFE,
        SAFE.replace("'strict-dynamic'", "'strict-dynamic' 'unsafe-inline'"),
    ),
    (
        "no-allowlist-fallback",
        "strict_csp",
        SAFE,
        SAFE.replace("'strict-dynamic'", "'strict-dynamic' https:"),
    ),
    ("no-trusted-types", "info", SAFE, f"{SAFE}; require-trusted-types-for 'script'"),
    ("no-reporting", "info", SAFE, f"{SAFE}; report-uri /csp"),
    ("report-to-only", "info", f"{SAFE}; report-to csp", f"{SAFE}; report-to csp; report-uri /csp"),
]


@pytest.mark.parametrize(("finding", "severity", "trigger", "near_miss"), CASES)
def test_finding_and_near_miss(finding: str, severity: str, trigger: str, near_miss: str) -> None:
    found = [f for f in evaluate_csp(trigger).findings if f.id == finding]
    assert found, evaluate_csp(trigger).ids()
    assert {f.severity for f in found} == {Severity(severity)}
    assert finding not in evaluate_csp(near_miss).ids()


def test_a_restriction_finding_stands_only_if_every_policy_has_it() -> None:
    both = evaluate_csp("script-src 'unsafe-inline', script-src 'nonce-r4nd0mR4nd0m'")
    assert "unsafe-inline" not in both.ids()
    assert "no-trusted-types" in both.ids()
    assert both.ids().count("no-trusted-types") == 1
    assert "unsafe-inline" in evaluate_csp("script-src 'unsafe-inline', img-src 'self'").ids()


def test_answers_per_policy_and_browser_level() -> None:
    policy = (
        "script-src 'nonce-r4nd0mR4nd0m' 'strict-dynamic' 'unsafe-inline' https:; img-src 'none'"
    )
    csp3 = evaluate_csp(policy).answers[0]
    assert (csp3.inline_scripts_run, csp3.eval_runs, csp3.matches_nothing) == (
        False,
        False,
        ("img-src",),
    )
    assert "plain-scheme" in evaluate_csp(policy, level=2).ids()
    csp1 = evaluate_csp(policy, level=1)
    assert csp1.answers[0].inline_scripts_run
    assert "unsafe-inline" in csp1.ids()


def test_findings_are_sorted_by_severity_and_never_raise() -> None:
    ranks = [f.severity.rank for f in evaluate_csp("script-src * 'unsafe-inline' http:").findings]
    assert ranks == sorted(ranks)
    broken = evaluate_csp("default-src 'self'\r\nX: y")
    assert broken.ids() == ["invalid-header"]
    assert evaluate_csp("").ids() == ["missing-script-src"]
    with pytest.raises(ValueError, match="level"):
        evaluate_csp(SAFE, level=4)
