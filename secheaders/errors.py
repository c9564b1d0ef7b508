"""Readable one-line messages for validation errors, with where they happened."""

from __future__ import annotations

from pydantic import ValidationError


def error_location(loc: tuple[int | str, ...]) -> str:
    """``("content-security-policy", "script-src", 1)`` -> ``content-security-policy.script-src[1]``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def format_validation_error(exc: ValidationError, source: str | None = None) -> list[str]:
    """One line per error: ``source: location: message``."""
    lines: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = str(error["msg"])
        ctx = error.get("ctx") or {}
        directive = ctx.get("directive")
        if directive and ctx.get("detail") and loc and str(loc[-1]).replace("_", "-") == directive:
            message = str(ctx["detail"])
        where = error_location(loc)
        parts = [part for part in (source, where) if part]
        lines.append(": ".join([*parts, message]))
    return lines
