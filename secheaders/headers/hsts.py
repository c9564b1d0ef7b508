"""Strict-Transport-Security (RFC 6797), with the preload list's requirements."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import Field, ValidationInfo, model_validator

from ._base import TOKEN_RE, Diagnostic, HeaderModel, HeaderParseError, sink_for

HSTS = "Strict-Transport-Security"
ONE_YEAR = 31_536_000
_QUOTED = '"'
#: Directives whose repetition makes browsers ignore the header (RFC 6797 section 6.1).
_ONCE = frozenset({"max-age", "includesubdomains"})


def _unquote(value: str) -> str | None:
    """The content of a token or quoted-string, or None if it is neither."""
    if TOKEN_RE.fullmatch(value):
        return value
    if len(value) >= 2 and value[0] == value[-1] == _QUOTED:
        out: list[str] = []
        chars = iter(value[1:-1])
        for ch in chars:
            if ch == "\\":
                ch = next(chars, "")
                if not ch:
                    return None
            elif ch == _QUOTED:
                return None
            out.append(ch)
        return "".join(out)
    return None


class StrictTransportSecurity(HeaderModel):
    """Tells browsers to use only HTTPS for this host (and its subdomains) for ``max_age`` s.

    ``preload=True`` signals consent to the browsers' preload list, which requires
    ``max_age >= 31536000`` and ``include_subdomains``.
    """

    header_name: ClassVar[str] = HSTS

    max_age: int = Field(alias="max-age", ge=0, strict=True)
    include_subdomains: bool = Field(False, alias="includeSubDomains", strict=True)
    preload: bool = Field(False, strict=True)

    @model_validator(mode="after")
    def _check_preload(self, info: ValidationInfo) -> Self:
        if self.preload and (self.max_age < ONE_YEAR or not self.include_subdomains):
            missing = []
            if self.max_age < ONE_YEAR:
                missing.append(f"max-age of at least {ONE_YEAR} (one year)")
            if not self.include_subdomains:
                missing.append("includeSubDomains")
            sink_for(info, HSTS).report(
                "preload-requirements",
                f"preload needs {' and '.join(missing)}; the preload list refuses this header",
                directive="preload",
            )
        return self

    def to_header(self) -> str:
        """``max-age=N``, then ``includeSubDomains``, then ``preload``."""
        parts = [f"max-age={self.max_age}"]
        if self.include_subdomains:
            parts.append("includeSubDomains")
        if self.preload:
            parts.append("preload")
        return "; ".join(parts)

    @classmethod
    def _read(cls, text: str) -> Self:
        found: list[Diagnostic] = []
        seen: dict[str, str | None] = {}
        empty = 0
        for raw in text.split(";"):
            directive = raw.strip(" \t")
            if not directive:
                empty += 1
                continue
            name, eq, raw_value = directive.partition("=")
            name = name.strip(" \t")
            if not TOKEN_RE.fullmatch(name):
                raise HeaderParseError(
                    HSTS,
                    f"{directive!r} is not a directive; header ignored",
                    code="directive-syntax",
                )
            lowered = name.lower()
            value = _unquote(raw_value.strip(" \t")) if eq else None
            if eq and value is None:
                raise HeaderParseError(
                    HSTS,
                    f"{name} has a malformed value {raw_value.strip()!r}; header ignored",
                    code="max-age-syntax" if lowered == "max-age" else "directive-syntax",
                )
            if lowered in seen:
                if lowered in _ONCE:
                    raise HeaderParseError(
                        HSTS,
                        f"{name} appears twice, so browsers ignore the header",
                        code="duplicate-directive",
                    )
                message = f"{name} appears more than once; send it once"
                found.append(Diagnostic("repeated-directive", HSTS, message, directive=lowered))
                continue
            seen[lowered] = value
        if empty and seen:
            message = f"{empty} empty directive(s) from stray ';'; allowed, but send none"
            found.append(Diagnostic("empty-directive", HSTS, message))
        return cls._build(cls._fields_from(seen, found), found)

    @staticmethod
    def _fields_from(seen: dict[str, str | None], found: list[Diagnostic]) -> dict[str, Any]:
        if "max-age" not in seen:
            raise HeaderParseError(
                HSTS, "max-age is missing, so browsers ignore the header", code="max-age-missing"
            )
        digits = seen.pop("max-age")
        if digits is None:
            raise HeaderParseError(
                HSTS, "max-age has no value, so browsers ignore the header", code="max-age-syntax"
            )
        if not digits.isdigit() or not digits.isascii() or len(digits) > 4000:
            raise HeaderParseError(
                HSTS, f"max-age={digits} is not a number of seconds", code="max-age-syntax"
            )
        if len(digits) > 1 and digits.startswith("0"):
            found.append(
                Diagnostic("max-age-leading-zero", HSTS, f"max-age={digits} has leading zeros")
            )
        data: dict[str, Any] = {"max-age": int(digits)}
        if "includesubdomains" in seen:
            if seen.pop("includesubdomains") is not None:
                raise HeaderParseError(
                    HSTS,
                    "includeSubDomains takes no value; header ignored",
                    code="directive-syntax",
                )
            data["includeSubDomains"] = True
        if "preload" in seen and seen["preload"] is None:
            seen.pop("preload")
            data["preload"] = True
        for name in seen:
            found.append(
                Diagnostic(
                    "unknown-directive",
                    HSTS,
                    "is not an HSTS directive; browsers ignore it",
                    directive=name,
                )
            )
        return data
