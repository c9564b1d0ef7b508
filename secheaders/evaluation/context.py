"""What the rules read: the raw header lines of a response and the policy a browser gets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from secheaders.headers import HeaderParseError
from secheaders.headers._base import prepare_field_value
from secheaders.policy import BY_KEY, SecurityPolicy, collect_lines

#: The nonce a policy's ``'nonce'`` placeholder is rendered with for judging (22 base64 chars).
SAMPLE_NONCE = "c2VjaGVhZGVyc2V2YWx1YXRl"


@dataclass
class Context:
    """One response under evaluation.

    ``lines`` maps each lowercase header name to its values in order; ``policy`` is what
    :meth:`SecurityPolicy.from_headers` reads from them; ``https`` says whether the response
    came (or will come) over HTTPS; ``csp_level`` is the CSP level of the browser whose
    enforcement the CSP findings judge.
    """

    lines: dict[str, list[str]]
    policy: SecurityPolicy
    https: bool
    csp_level: int = 3

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]], *, https: bool, csp_level: int = 3) -> Context:
        """Read ``(name, value)`` pairs."""
        pairs = list(pairs)
        grouped = collect_lines(pairs)
        lines = {key: [value for _, value in values] for key, values in grouped.items()}
        return cls(lines, SecurityPolicy.from_headers(pairs), https, csp_level)

    def raw(self, key: str) -> str | None:
        """The lines of a header joined with ``", "`` (as most HTTP libraries do), or None."""
        values = self.lines.get(key)
        return None if values is None else ", ".join(values)

    def failure(self, key: str) -> HeaderParseError | None:
        """Why a browser ignores the header ``key`` as a whole, or None if it does not."""
        values = self.lines.get(key)
        slot = BY_KEY.get(key)
        if values is None or slot is None or slot.repeat == "policies":
            return None
        if slot.repeat == "first":
            values = values[:1]
        try:
            slot.model.from_header(", ".join(values))
        except HeaderParseError as exc:
            return exc
        return None


def response_pairs(headers: Any) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of anything :func:`secheaders.evaluate` accepts."""
    if isinstance(headers, SecurityPolicy):
        if not headers.uses_nonce:
            return headers.to_headers()
        served = headers.to_headers(SAMPLE_NONCE)
        if headers.cache_control is None:  # what Secure and SecureMiddleware add to nonced pages
            served.append(("Cache-Control", "private"))
        return served
    inner = getattr(headers, "headers", None)
    if inner is not None and hasattr(inner, "items") and not hasattr(headers, "items"):
        headers = inner  # a Flask/Werkzeug response (or any object with a .headers mapping)
    if isinstance(headers, str):
        raise TypeError("give headers as a mapping or (name, value) pairs, not one string")
    return [pair for lines in collect_lines(headers).values() for pair in lines]


def clean(value: str) -> str | None:
    """A raw value as HTTP parsers see it, or None when it holds CR, LF, NUL or controls."""
    try:
        return prepare_field_value("", value)
    except HeaderParseError:
        return None
