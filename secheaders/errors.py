"""Readable one-line messages for validation errors, with where they happened."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

_UNKNOWN = object()


def error_location(
    loc: tuple[int | str, ...], data: Any = _UNKNOWN, *, missing: bool = False
) -> str:
    """``("csp-header", "script-src", 1)`` -> ``csp-header.script-src[1]``.

    Given the data that was validated, the location is spelled the way the author wrote it:
    parts the author did not write (a single CSP policy held as a one-item list, the internal
    ``features`` field of a Permissions-Policy mapping) are left out; ``missing`` keeps the
    last part, a required key the author left out.
    """
    parts: list[str] = []
    current = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if current is _UNKNOWN:
            parts.append(f"[{part}]" if isinstance(part, int) else str(part))
        elif isinstance(part, int):
            if isinstance(current, list | tuple) and part < len(current):
                parts.append(f"[{part}]")
                current = current[part]
        elif isinstance(current, Mapping) and part in current:
            parts.append(part)
            current = current[part]
        elif last and missing and isinstance(current, Mapping):
            parts.append(part)
    text = ""
    for part in parts:
        text += part if part.startswith("[") or not text else f".{part}"
    return text


def format_validation_error(
    exc: ValidationError, source: str | None = None, data: Any = _UNKNOWN
) -> list[str]:
    """One line per error: ``source: location: message``, the location as the author wrote it."""
    lines: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = str(error["msg"])
        where = error_location(loc, data, missing=error["type"] == "missing")
        ctx = error.get("ctx") or {}
        directive = ctx.get("directive")
        if directive and ctx.get("detail"):
            message = str(ctx["detail"])
            if not where.endswith(directive):
                where = f"{where}.{directive}" if where else directive
        if isinstance(ctx.get("index"), int):
            where += f"[{ctx['index']}]"
        lines.append(": ".join([part for part in (source, where) if part] + [message]))
    return lines
