"""Readable one-line messages for validation errors, with where they happened."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

_UNKNOWN = object()


def error_location(loc: tuple[int | str, ...], data: Any = _UNKNOWN) -> str:
    """``("csp-header", "script-src", 1)`` -> ``csp-header.script-src[1]``.

    Given the validated ``data``, list indexes the author did not write (a single CSP policy
    stored as a one-item list) are left out.
    """
    text = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            if current is not _UNKNOWN and not isinstance(current, list | tuple):
                continue
            text += f"[{part}]"
            current = _step(current, part)
        else:
            text += f".{part}" if text else str(part)
            current = _step(current, part)
    return text


def _step(current: Any, part: int | str) -> Any:
    if isinstance(part, int) and isinstance(current, list | tuple) and part < len(current):
        return current[part]
    if isinstance(part, str) and isinstance(current, Mapping) and part in current:
        return current[part]
    return _UNKNOWN


def format_validation_error(
    exc: ValidationError, source: str | None = None, data: Any = _UNKNOWN
) -> list[str]:
    """One line per error: ``source: location: message``, the location as the author wrote it."""
    lines: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = str(error["msg"])
        ctx = error.get("ctx") or {}
        directive = ctx.get("directive")
        if directive and ctx.get("detail") and loc and str(loc[-1]).replace("_", "-") == directive:
            message = str(ctx["detail"])
        where = error_location(loc, data)
        if isinstance(ctx.get("index"), int):
            where += f"[{ctx['index']}]"
        parts = [part for part in (source, where) if part]
        lines.append(": ".join([*parts, message]))
    return lines
