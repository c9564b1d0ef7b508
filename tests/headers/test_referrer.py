"""Referrer-Policy: last recognised token wins."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import HeaderParseError, ReferrerPolicy


def test_single_token_and_fallback_list() -> None:
    single = ReferrerPolicy.model_validate("no-referrer")
    assert single.to_header() == "no-referrer"
    fallback = ReferrerPolicy(policy=["no-referrer", "strict-origin-when-cross-origin"])
    assert fallback.to_header() == "no-referrer, strict-origin-when-cross-origin"
    assert fallback.effective == "strict-origin-when-cross-origin"


def test_unknown_and_miscased_tokens_are_refused() -> None:
    with pytest.raises(ValidationError, match="did you mean no-referrer"):
        ReferrerPolicy(policy="no-referer")
    with pytest.raises(ValidationError, match="did you mean no-referrer"):
        ReferrerPolicy(policy="No-Referrer")
    with pytest.raises(ValidationError):
        ReferrerPolicy(policy=[])


def test_reading_skips_unknown_tokens() -> None:
    policy = ReferrerPolicy.from_header("unsafe-url, future-policy,, Origin")
    assert policy.policy == ("unsafe-url",)
    assert [n.code for n in policy.diagnostics] == ["unknown-token", "unknown-token"]
    with pytest.raises(HeaderParseError, match="default strict-origin-when-cross-origin"):
        ReferrerPolicy.from_header('"no-referrer"')
