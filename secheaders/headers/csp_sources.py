"""CSP source expressions: typed values, their grammar, and what a browser makes of a token.

``read_source`` reads one token the way a CSP3 browser does. It returns the source and, when the
browser accepts the token but it is almost certainly a mistake (``self`` without quotes is a host
named "self"), a warning. A token the browser ignores raises :class:`IgnoredTokenError`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import lru_cache

from ._base import suggest

#: Keywords of CSP3 and its companions, without quotes. ``none`` is special-cased by lists.
KEYWORDS = frozenset(
    {
        "self",
        "none",
        "unsafe-inline",
        "unsafe-eval",
        "strict-dynamic",
        "unsafe-hashes",
        "report-sample",
        "unsafe-allow-redirects",
        "wasm-unsafe-eval",
        "trusted-types-eval",
        "report-sha256",
        "report-sha384",
        "report-sha512",
        "unsafe-webtransport-hashes",
        "inline-speculation-rules",
    }
)

#: Digest length in bytes for each hash algorithm a browser accepts.
HASH_BYTES = {"sha256": 32, "sha384": 48, "sha512": 64}


@dataclass(frozen=True, slots=True)
class Keyword:
    """A quoted keyword such as ``'self'``; ``name`` is lowercase and unquoted."""

    name: str

    def __str__(self) -> str:
        return f"'{self.name}'"


@dataclass(frozen=True, slots=True)
class SchemeSource:
    """A scheme such as ``https:``; ``scheme`` is lowercase, without the colon."""

    scheme: str

    def __str__(self) -> str:
        return f"{self.scheme}:"


@dataclass(frozen=True, slots=True)
class HostSource:
    """A host source: ``[scheme://]host[:port][/path]``, host possibly ``*`` or ``*.domain``."""

    host: str
    scheme: str | None = None
    port: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        text = f"{self.scheme}://{self.host}" if self.scheme else self.host
        if self.port is not None:
            text += f":{self.port}"
        return text + (self.path or "")


@dataclass(frozen=True, slots=True)
class NonceSource:
    """``'nonce-<value>'``; the value is case-sensitive base64 or base64url."""

    value: str

    def __str__(self) -> str:
        return f"'nonce-{self.value}'"


@dataclass(frozen=True, slots=True)
class HashSource:
    """``'<algorithm>-<digest>'`` with algorithm sha256, sha384 or sha512 (lowercase)."""

    algorithm: str
    value: str

    def __str__(self) -> str:
        return f"'{self.algorithm}-{self.value}'"


@dataclass(frozen=True, slots=True)
class RequestNonce:
    """Stands for the per-request nonce; written ``'nonce'`` in a policy.

    Rendered as ``'nonce-<value>'`` when a nonce is given, and left out when none is (a
    response whose page asked for no nonce carries none). Browsers ignore a bare ``'nonce'``,
    so reading a real header never produces this.
    """

    def __str__(self) -> str:
        return "'nonce'"


Source = Keyword | SchemeSource | HostSource | NonceSource | HashSource | RequestNonce

REQUEST_NONCE = RequestNonce()
#: One object per keyword, so readers can compare with ``is``.
_KEYWORD_OBJECTS = {name: Keyword(name) for name in KEYWORDS}
SELF = _KEYWORD_OBJECTS["self"]
NONE = _KEYWORD_OBJECTS["none"]
UNSAFE_INLINE = _KEYWORD_OBJECTS["unsafe-inline"]
UNSAFE_EVAL = _KEYWORD_OBJECTS["unsafe-eval"]
STRICT_DYNAMIC = _KEYWORD_OBJECTS["strict-dynamic"]
UNSAFE_HASHES = _KEYWORD_OBJECTS["unsafe-hashes"]
REPORT_SAMPLE = _KEYWORD_OBJECTS["report-sample"]
WASM_UNSAFE_EVAL = _KEYWORD_OBJECTS["wasm-unsafe-eval"]
TRUSTED_TYPES_EVAL = _KEYWORD_OBJECTS["trusted-types-eval"]
INLINE_SPECULATION_RULES = _KEYWORD_OBJECTS["inline-speculation-rules"]
UNSAFE_WEBTRANSPORT_HASHES = _KEYWORD_OBJECTS["unsafe-webtransport-hashes"]
REPORT_SHA256 = _KEYWORD_OBJECTS["report-sha256"]
REPORT_SHA384 = _KEYWORD_OBJECTS["report-sha384"]
REPORT_SHA512 = _KEYWORD_OBJECTS["report-sha512"]
UNSAFE_ALLOW_REDIRECTS = _KEYWORD_OBJECTS["unsafe-allow-redirects"]


class IgnoredTokenError(ValueError):
    """A token that matches no source-expression grammar, so browsers ignore it."""


_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*"
_SCHEME_SOURCE = re.compile(rf"({_SCHEME}):")
_HOST_SOURCE = re.compile(
    rf"(?:(?P<scheme>{_SCHEME})://)?"
    r"(?P<host>\*|(?:\*\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.?)"
    r"(?::(?P<port>[0-9]+|\*))?"
    r"(?P<path>/[^?#\s]*)?"
    r"(?P<rest>[?#].*)?"
)
_STRICT_PATH = re.compile(r"(?:/(?:[A-Za-z0-9\-._~!$&'()*+=:@]|%[0-9A-Fa-f]{2})*)+")
_BASE64_VALUE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
_QUOTED = re.compile(r"'([^']*)'")


def read_source(token: str) -> tuple[Source, str | None]:
    """Read one token as a CSP3 browser does: the source plus a warning, or IgnoredTokenError."""
    source, message = _classify(token)
    if source is None:
        raise IgnoredTokenError(message)
    return source, message or None


@lru_cache(maxsize=4096)
def _classify(token: str) -> tuple[Source | None, str]:
    """Cached reading of one token: (source, warning) or (None, why it is ignored)."""
    try:
        return _read_token(token)
    except IgnoredTokenError as exc:
        return None, str(exc)


def _read_token(token: str) -> tuple[Source, str]:
    # Each pattern is tried only on tokens with its first or last character: most are hosts.
    quoted = _QUOTED.fullmatch(token) if token.startswith("'") else None
    if quoted:
        return _read_quoted(quoted.group(1)), ""
    if token.startswith('"') or token.endswith('"'):
        raise IgnoredTokenError(f"{token} uses double quotes; CSP keywords take single quotes")
    if token.endswith(":") and _SCHEME_SOURCE.fullmatch(token):
        return SchemeSource(token[:-1].lower()), ""
    match = _HOST_SOURCE.fullmatch(token)
    if match is None:
        raise IgnoredTokenError(_why_not_a_source(token))
    host, scheme, port, path, rest = match.group("host", "scheme", "port", "path", "rest")
    source = HostSource(host.lower(), scheme.lower() if scheme else None, port, path or None)
    return source, _host_warning(token, source, rest) or ""


def _read_quoted(inner: str) -> Source:
    lowered = inner.lower()
    if lowered in KEYWORDS:
        return _KEYWORD_OBJECTS[lowered]
    if lowered == "nonce":
        return REQUEST_NONCE
    if lowered.startswith("nonce-"):
        value = inner[6:]
        if not _BASE64_VALUE.fullmatch(value):
            raise IgnoredTokenError(
                f"'{inner}': a nonce value must be base64 or base64url characters"
            )
        return NonceSource(value)
    algorithm, dash, digest = inner.partition("-")
    if dash and algorithm.lower() in HASH_BYTES:
        if not _BASE64_VALUE.fullmatch(digest):
            raise IgnoredTokenError(
                f"'{inner}': a hash digest must be base64 or base64url characters"
            )
        return HashSource(algorithm.lower(), digest)
    if dash and re.fullmatch(r"sha-?\d+|md5", algorithm.lower()):
        raise IgnoredTokenError(
            f"'{inner}': unsupported hash algorithm {algorithm}; use sha256, sha384 or sha512"
        )
    looks_like_host = any(mark in inner for mark in ".:/*")
    if looks_like_host and (_SCHEME_SOURCE.fullmatch(inner) or _HOST_SOURCE.fullmatch(inner)):
        raise IgnoredTokenError(f"'{inner}': hosts and schemes are never quoted; write {inner}")
    raise IgnoredTokenError(f"'{inner}' is not a CSP keyword{suggest(inner, KEYWORDS)}")


def _why_not_a_source(token: str) -> str:
    lowered = token.lower()
    if lowered.startswith(("nonce-", "sha256-", "sha384-", "sha512-")):
        return f"{token}: nonces and hashes must be quoted; write '{token}'"
    if "*" in token:
        return f"{token}: a wildcard may only stand alone or as the first label (*.example.com)"
    return f"{token} is not a valid source expression (keyword, scheme, host, nonce or hash)"


def _host_warning(token: str, source: HostSource, rest: str | None) -> str | None:
    if source.scheme is None and source.port is None and source.path is None:
        bare = source.host.lower()
        if bare in KEYWORDS:
            return f"{token} is read as a host name, not a keyword; write '{bare}'"
        if bare.startswith("nonce-"):
            return f"{token} is read as a host name; nonces must be quoted: write '{token}'"
    if rest is not None:
        return f"{token}: browsers ignore the query or fragment ({rest}); remove it"
    if source.port not in (None, "*") and int(source.port) > 65535:
        return f"{token}: port {source.port} is out of range"
    if source.path is not None and not _STRICT_PATH.fullmatch(source.path):
        return f"{token}: the path has characters that must be percent-encoded"
    return None


def hash_length_problem(source: HashSource) -> str | None:
    """Why a hash digest cannot match anything (wrong length or not decodable), else None."""
    expected = HASH_BYTES[source.algorithm]
    want = 4 * ((expected + 2) // 3)
    standard = source.value.replace("-", "+").replace("_", "/")
    try:
        decoded = base64.b64decode(standard, validate=True)
    except binascii.Error:
        decoded = b""
    if len(source.value) != want or len(decoded) != expected:
        return (
            f"{source}: a {source.algorithm} digest is {want} base64 characters including "
            f"'=' padding, this one has {len(source.value)}"
        )
    return None
