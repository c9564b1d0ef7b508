"""Cache-Control (RFC 9111), for responses that must not be stored or shared."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ._base import TOKEN_RE, Diagnostic, HeaderModel, HeaderParseError, sink_for, split_list

CACHE_CONTROL = "Cache-Control"

Seconds = Annotated[int, Field(ge=0, strict=True)]


_SECONDS = frozenset({"max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"})


def _flag(name: str) -> Any:
    return Field(None, alias=name, strict=True)


class CacheControl(HeaderModel):
    """Response caching directives. ``no-store`` is the one for sensitive responses.

    Flags are ``True`` or absent; the ``*-age`` and ``stale-*`` directives take seconds.
    """

    header_name: ClassVar[str] = CACHE_CONTROL

    no_store: bool | None = _flag("no-store")
    no_cache: bool | None = _flag("no-cache")
    private: bool | None = _flag("private")
    public: bool | None = _flag("public")
    max_age: Seconds | None = _flag("max-age")
    s_maxage: Seconds | None = _flag("s-maxage")
    must_revalidate: bool | None = _flag("must-revalidate")
    proxy_revalidate: bool | None = _flag("proxy-revalidate")
    must_understand: bool | None = _flag("must-understand")
    no_transform: bool | None = _flag("no-transform")
    immutable: bool | None = _flag("immutable")
    stale_while_revalidate: Seconds | None = _flag("stale-while-revalidate")
    stale_if_error: Seconds | None = _flag("stale-if-error")

    @field_validator(
        "no_store",
        "no_cache",
        "private",
        "public",
        "must_revalidate",
        "proxy_revalidate",
        "must_understand",
        "no_transform",
        "immutable",
        mode="before",
    )
    @classmethod
    def _false_is_absent(cls, value: Any) -> Any:
        return None if value is False else value

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Self:
        sink = sink_for(info, CACHE_CONTROL)
        if not self.directives():
            sink.report("empty", "set at least one directive (no-store for sensitive data)")
        if self.public and self.private:
            sink.report("conflict", "public and private contradict each other; keep one")
        return self

    def directives(self) -> dict[str, bool | int]:
        """The set directives by wire name, in canonical order."""
        found: dict[str, bool | int] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is not None:
                found[info.alias or name] = value
        return found

    def to_header(self) -> str:
        """Directives joined with ``", "``: ``no-store, max-age=0``."""
        return ", ".join(
            name if value is True else f"{name}={value}"
            for name, value in self.directives().items()
        )

    @classmethod
    def _read(cls, text: str) -> Self:
        known = {info.alias: info for info in cls.model_fields.values()}
        found: list[Diagnostic] = []
        data: dict[str, Any] = {}
        for item in split_list(text):
            name, eq, raw = item.partition("=")
            name = name.strip(" \t").lower()
            raw = raw.strip(" \t")
            info = known.get(name)
            if name in data:
                found.append(_note("duplicate", f"{name} repeated; the first one is used", name))
            elif info is None:
                note = (
                    "unknown directive; caches ignore it"
                    if TOKEN_RE.fullmatch(name)
                    else ("not a directive")
                )
                found.append(_note("unknown-directive", note, name))
            elif name not in _SECONDS:
                if eq:
                    found.append(
                        _note("ignored-value", f"{name}={raw} names fields; ignored here", name)
                    )
                else:
                    data[name] = True
            else:
                seconds = raw.strip('"')
                if seconds.isdigit() and seconds.isascii() and len(seconds) < 20:
                    data[name] = int(seconds)
                    if seconds != raw:
                        found.append(_note("quoted-value", f"{name} should not be quoted", name))
                else:
                    found.append(_note("invalid-value", f"{name}={raw} is not seconds", name))
        if not data:
            raise HeaderParseError(CACHE_CONTROL, "no directive a cache would apply")
        return cls._build(data, found)


def _note(code: str, message: str, directive: str) -> Diagnostic:
    return Diagnostic(code, CACHE_CONTROL, message, directive=directive)
