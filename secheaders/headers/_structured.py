"""RFC 9651 structured fields through http-sf, with errors turned into HeaderParseError."""

from __future__ import annotations

from typing import Any

import http_sf

from ._base import HeaderParseError

Member = tuple[Any, dict[str, Any]]


def _parse(header: str, text: str, kind: str) -> Any:
    try:
        return http_sf.parse(text.encode("ascii"), tltype=kind)
    except (http_sf.StructuredFieldError, UnicodeEncodeError, ValueError) as exc:
        raise HeaderParseError(
            header, f"not a structured-field {kind} ({exc}); header ignored"
        ) from None


def parse_dictionary(header: str, text: str) -> dict[str, Member]:
    """Members of a dictionary field; any syntax error voids the whole field."""
    parsed: dict[str, Member] = _parse(header, text, "dictionary")
    return parsed


def parse_item(header: str, text: str) -> Member:
    """The bare item and parameters of an item field."""
    parsed: Member = _parse(header, text, "item")
    return parsed


def serialize(value: Any) -> str:
    """Canonical RFC 9651 serialization."""
    return http_sf.ser(value)
