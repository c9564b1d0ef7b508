"""X-Frame-Options, read with the HTML standard's algorithm."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import field_validator

from ._base import Diagnostic, HeaderModel, HeaderParseError, policy_error

XFO = "X-Frame-Options"


class XFrameOptions(HeaderModel):
    """Whether other pages may frame this one: ``DENY`` or ``SAMEORIGIN``.

    ``ALLOW-FROM`` is obsolete (browsers treat it as absent, leaving the page frameable by
    anyone); use CSP ``frame-ancestors`` for a list of origins.
    """

    header_name: ClassVar[str] = XFO
    plain_field: ClassVar[str | None] = "value"

    value: Literal["DENY", "SAMEORIGIN"]

    @field_validator("value", mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        upper = value.strip().upper()
        if upper.startswith("ALLOW-FROM"):
            raise policy_error(
                XFO,
                "allow-from",
                f"{value!r}: ALLOW-FROM is obsolete and browsers ignore it, leaving the page "
                "frameable by anyone; use DENY or SAMEORIGIN here and list the origins in "
                "CSP frame-ancestors",
                token=value,
            )
        if upper not in ("DENY", "SAMEORIGIN"):
            raise policy_error(
                XFO, "invalid-value", f"{value!r} is not DENY or SAMEORIGIN", token=value
            )
        return upper

    def to_header(self) -> str:
        """``DENY`` or ``SAMEORIGIN``."""
        return self.value

    @classmethod
    def _read(cls, text: str) -> Self:
        items = [item.strip(" \t").lower() for item in text.split(",")]
        items = [item for item in items if item]
        values = set(items)
        if len(values) > 1:
            if values & {"deny", "sameorigin", "allowall"}:
                note = Diagnostic(
                    "conflicting-values",
                    XFO,
                    f"conflicting values {', '.join(sorted(values))}; browsers block all "
                    "framing, as with DENY",
                )
                return cls._build({"value": "DENY"}, [note])
            raise HeaderParseError(
                XFO,
                "several unrecognised values; browsers ignore the header",
                code="multiple-values",
            )
        value = values.pop() if values else ""
        if value in ("deny", "sameorigin"):
            found = []
            if len(items) > 1:
                found.append(
                    Diagnostic("repeated-value", XFO, "the value is repeated; send it once")
                )
            return cls._build({"value": value.upper()}, found)
        if value.startswith("allow-from"):
            raise HeaderParseError(
                XFO,
                "ALLOW-FROM is obsolete; browsers ignore it and allow framing by anyone",
                code="allow-from",
            )
        raise HeaderParseError(
            XFO, f"{value!r} is not DENY or SAMEORIGIN; browsers ignore it", code="invalid"
        )
