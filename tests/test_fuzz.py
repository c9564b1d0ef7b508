"""Arbitrary text never makes a parser raise anything but HeaderParseError."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secheaders import HeaderParseError, SecurityPolicy, parse_csp
from secheaders.headers import HeaderModel
from secheaders.policy import SLOTS
from secheaders.testing.strategies import MODEL_STRATEGIES

MODELS = list(MODEL_STRATEGIES)

# Pieces of every grammar we parse, so fuzzing reaches past the first character check.
_FRAGMENTS = [
    ";",
    ",",
    "=",
    " ",
    "\t",
    '"',
    "'",
    "(",
    ")",
    "*",
    ":",
    "/",
    "?",
    "\\",
    "\r\n ",
    "\x00",
    "é",
    "self",
    "'self'",
    "'none'",
    "none",
    "'nonce-",
    "'sha256-",
    "abc==",
    "https:",
    "https://a.example",
    "*.b.example:*",
    "script-src",
    "default-src",
    "frame-ancestors",
    "sandbox",
    "allow-scripts",
    "trusted-types",
    "report-to",
    "max-age",
    "max-age=",
    "31536000",
    "includeSubDomains",
    "preload",
    "DENY",
    "SAMEORIGIN",
    "ALLOW-FROM",
    "no-referrer",
    "camera",
    "()",
    "same-origin",
    "require-corp",
    "?1",
    "?0",
    "nosniff",
    "cache",
    "no-store",
    "mode=block",
    "0",
    "1",
    "report-to=",
    "%",
    "@",
    "-",
    ".",
]
_GRAMMARISH = st.lists(st.sampled_from(_FRAGMENTS), max_size=20).map("".join)
_ANY_TEXT = st.one_of(st.text(), _GRAMMARISH)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_from_header_raises_only_header_parse_error(model: type[HeaderModel]) -> None:
    @given(_ANY_TEXT)
    def check(text: str) -> None:
        try:
            parsed = model.from_header(text)
        except HeaderParseError as exc:
            error: HeaderParseError | None = exc
        else:
            error = None
        if error is not None:
            assert error.header == model.header_name
            return
        # Whatever was read renders back to something that reads the same way.
        assert model.from_header(parsed.to_header()) == parsed

    check()


@given(_ANY_TEXT)
def test_parse_csp_raises_only_header_parse_error(text: str) -> None:
    try:
        policies = parse_csp(text)
    except HeaderParseError:
        return
    for policy in policies:
        assert parse_csp(policy.to_header()) == [policy]


@given(st.lists(st.tuples(st.sampled_from([s.name for s in SLOTS]), _ANY_TEXT), max_size=8))
def test_security_policy_from_headers_never_raises(pairs: list[tuple[str, str]]) -> None:
    policy = SecurityPolicy.from_headers(pairs)
    assert SecurityPolicy.from_headers(policy.to_headers()) == policy
