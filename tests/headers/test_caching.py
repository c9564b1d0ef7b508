"""Cache-Control."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import CacheControl, HeaderParseError


def test_cache_control() -> None:
    cache = CacheControl.model_validate({"no-store": True, "max-age": 0, "private": False})
    assert cache.to_header() == "no-store, max-age=0"
    with pytest.raises(ValidationError, match="contradict"):
        CacheControl(public=True, private=True)
    with pytest.raises(ValidationError, match="at least one directive"):
        CacheControl()
    with pytest.raises(ValidationError):
        CacheControl(max_age=-1)
    with pytest.raises(ValidationError, match="valid boolean"):
        CacheControl.model_validate({"no-store": "no"})
    read = CacheControl.from_header(
        'No-Store, max-age="60", no-cache="Set-Cookie", max-age=5, foo, s-maxage=x'
    )
    assert read.to_header() == "no-store, max-age=60"
    assert [n.code for n in read.diagnostics] == [
        "quoted-value",
        "ignored-value",
        "duplicate",
        "unknown-directive",
        "invalid-value",
    ]
    with pytest.raises(HeaderParseError):
        CacheControl.from_header("foo=bar")
