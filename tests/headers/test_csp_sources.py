"""How one CSP token is read: typed source, warning, or ignored."""

from __future__ import annotations

import base64

import pytest

from secheaders.headers.csp_sources import (
    HashSource,
    HostSource,
    IgnoredTokenError,
    Keyword,
    NonceSource,
    SchemeSource,
    hash_length_problem,
    read_source,
)

SHA256 = base64.b64encode(b"x" * 32).decode()


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("'self'", Keyword("self")),
        ("'SELF'", Keyword("self")),
        ("'Strict-Dynamic'", Keyword("strict-dynamic")),
        ("'wasm-unsafe-eval'", Keyword("wasm-unsafe-eval")),
        ("https:", SchemeSource("https")),
        ("DATA:", SchemeSource("data")),
        ("*", HostSource("*")),
        ("example.com", HostSource("example.com")),
        ("EXAMPLE.com.", HostSource("example.com.")),
        ("*.example.com", HostSource("*.example.com")),
        ("https://*.example.com:*", HostSource("*.example.com", "https", "*")),
        ("wss://a.example:8443/socket/", HostSource("a.example", "wss", "8443", "/socket/")),
        ("127.0.0.1:3000", HostSource("127.0.0.1", None, "3000")),
        ("'nonce-abc+/=='", NonceSource("abc+/==")),
        ("'nonce-abc-_'", NonceSource("abc-_")),
        (f"'SHA256-{SHA256}'", HashSource("sha256", SHA256)),
    ],
)
def test_tokens_read_as_typed_sources(token: str, expected: object) -> None:
    source, warning = read_source(token)
    assert source == expected
    assert warning is None


@pytest.mark.parametrize(
    ("token", "warning"),
    [
        ("self", "write 'self'"),
        ("unsafe-inline", "write 'unsafe-inline'"),
        ("nonce-abc", "must be quoted"),
        ("https://a.example/x?y=1", "query or fragment"),
        ("a.example:99999", "out of range"),
        ("a.example/%zz", "percent-encoded"),
    ],
)
def test_tokens_browsers_accept_but_look_wrong(token: str, warning: str) -> None:
    source, note = read_source(token)
    assert isinstance(source, HostSource)
    assert note is not None
    assert warning in note


def test_query_is_dropped_from_the_path() -> None:
    source, _ = read_source("https://a.example/x?y=1")
    assert source == HostSource("a.example", "https", None, "/x")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("'example.com'", "never quoted; write example.com"),
        ("'https:'", "never quoted; write https:"),
        ("'slef'", "did you mean self?"),
        ("'nonce-a*b'", "base64"),
        ("'nonce-'", "base64"),
        ("'sha1-abc='", "unsupported hash algorithm sha1"),
        ("'sha256-a b'", "base64"),
        ('"self"', "single quotes"),
        ("sha256-abc=", "must be quoted"),
        ("https://", "not a valid source expression"),
        ("a.*.example", "wildcard"),
        ("[::1]", "not a valid source expression"),
        ("a.example/a b", "not a valid source expression"),
    ],
)
def test_tokens_browsers_ignore(token: str, reason: str) -> None:
    with pytest.raises(IgnoredTokenError) as exc_info:
        read_source(token)
    assert reason in str(exc_info.value)


@pytest.mark.parametrize(("algorithm", "length"), [("sha256", 32), ("sha384", 48), ("sha512", 64)])
def test_hash_length_is_checked_per_algorithm(algorithm: str, length: int) -> None:
    good = base64.b64encode(b"\x01" * length).decode()
    assert hash_length_problem(HashSource(algorithm, good)) is None
    url_safe = base64.urlsafe_b64encode(b"\xff" * length).decode()
    assert hash_length_problem(HashSource(algorithm, url_safe)) is None
    problem = hash_length_problem(HashSource(algorithm, good.rstrip("=")[:-1]))
    assert problem is not None
    assert algorithm in problem
