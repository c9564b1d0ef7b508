"""Content-Security-Policy (CSP Level 3) and its report-only twin.

Every directive is a typed field (``script_src``, alias ``script-src``) whose behaviour comes from
the directive table in :mod:`secheaders.headers.csp_directives`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal, Self, overload

from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ._base import Diagnostic, HeaderModel, HeaderParseError, Sink, prepare_field_value, sink_for
from .csp_directives import (
    BY_ATTR,
    BY_NAME,
    DIRECTIVES,
    REMOVED,
    Directive,
    Kind,
    read_flag,
    read_report_to,
    read_report_uri,
    read_require_trusted_types,
    read_sandbox,
    read_source_list,
    read_trusted_types,
    read_webrtc,
    tokens_of,
)
from .csp_sources import REQUEST_NONCE, STRICT_DYNAMIC, HashSource, Source

CSP = "Content-Security-Policy"
CSP_REPORT_ONLY = "Content-Security-Policy-Report-Only"

_Reader = Callable[[Directive, list[str], Sink], Any]
_READERS: dict[Kind, _Reader] = {
    Kind.SOURCE_LIST: read_source_list,
    Kind.ANCESTOR_LIST: read_source_list,
    Kind.SANDBOX: read_sandbox,
    Kind.TRUSTED_TYPES: read_trusted_types,
    Kind.REQUIRE_TRUSTED_TYPES: read_require_trusted_types,
    Kind.WEBRTC: read_webrtc,
    Kind.REPORT_URI: read_report_uri,
    Kind.REPORT_TO: read_report_to,
    Kind.FLAG: read_flag,
}


def _header_of(info: ValidationInfo) -> str:
    title = info.config.get("title") if info.config else None
    return CSP_REPORT_ONLY if title == "ContentSecurityPolicyReportOnly" else CSP


def _validate_directive(value: Any, info: ValidationInfo) -> Any:
    """Validate one directive value (authoring) or read it (parsing), driven by the table."""
    assert info.field_name is not None
    spec = BY_ATTR[info.field_name]
    sink = sink_for(info, _header_of(info))
    if spec.obsolete and value not in (None, False):
        sink.report("obsolete-directive", spec.obsolete, directive=spec.name)
    if spec.kind is Kind.FLAG and isinstance(value, bool):
        return True if value else None
    if isinstance(value, bool):
        sink.report(
            "invalid-value", "expected a list of tokens, not true/false", directive=spec.name
        )
        return None
    return _READERS[spec.kind](spec, tokens_of(value, spec.name, sink), sink)


def _dump_tokens(value: tuple[Source | str, ...]) -> list[str]:
    return [str(item) for item in value]


_Validate = PlainValidator(_validate_directive)
_TOKENS_SCHEMA = WithJsonSchema({"type": "array", "items": {"type": "string"}})

SourceList = Annotated[tuple[Source, ...], _Validate, PlainSerializer(_dump_tokens), _TOKENS_SCHEMA]
"""A source list; the empty list is stored as ``('none',)``."""
TokenList = Annotated[tuple[str, ...], _Validate, PlainSerializer(_dump_tokens), _TOKENS_SCHEMA]
Flag = Annotated[bool, _Validate, WithJsonSchema({"type": "boolean", "const": True})]
Token = Annotated[str, _Validate, WithJsonSchema({"type": "string"})]


def _d(name: str) -> Any:
    return Field(None, alias=name, description=BY_NAME[name].kind.value)


_DIRECTIVE_NAME = re.compile(r"[a-z0-9\-]+")
#: (wire name, field name) of every directive, in table order: read on every policy.
_NAMES_ATTRS = tuple((spec.name, spec.attr) for spec in DIRECTIVES)
#: (directive, field name, reader) of every directive, in table (and field) order.
_TABLE = tuple((spec, spec.attr, _READERS[spec.kind]) for spec in DIRECTIVES)
#: Each directive's row in the table.
_POSITION = {spec.name: index for index, spec in enumerate(DIRECTIVES)}
#: A model with no field set, per class, that parsed values are copied onto.
_BLANKS: dict[type, _ContentSecurityPolicyBase] = {}
_ASCII_WHITESPACE = re.compile(r"[ \t]+")
NONCE_VALUE = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")


class _ContentSecurityPolicyBase(HeaderModel):
    """Fields, validation, rendering and parsing shared by the enforced and report-only CSP."""

    report_only: ClassVar[bool] = False
    key_kind: ClassVar[str] = "directive"
    unknown_key_hint: ClassVar[str] = (
        "; a directive this library does not know goes under extra-directives"
    )

    default_src: SourceList | None = _d("default-src")
    script_src: SourceList | None = _d("script-src")
    script_src_elem: SourceList | None = _d("script-src-elem")
    script_src_attr: SourceList | None = _d("script-src-attr")
    style_src: SourceList | None = _d("style-src")
    style_src_elem: SourceList | None = _d("style-src-elem")
    style_src_attr: SourceList | None = _d("style-src-attr")
    img_src: SourceList | None = _d("img-src")
    font_src: SourceList | None = _d("font-src")
    connect_src: SourceList | None = _d("connect-src")
    media_src: SourceList | None = _d("media-src")
    object_src: SourceList | None = _d("object-src")
    manifest_src: SourceList | None = _d("manifest-src")
    child_src: SourceList | None = _d("child-src")
    frame_src: SourceList | None = _d("frame-src")
    fenced_frame_src: SourceList | None = _d("fenced-frame-src")
    worker_src: SourceList | None = _d("worker-src")
    base_uri: SourceList | None = _d("base-uri")
    form_action: SourceList | None = _d("form-action")
    frame_ancestors: SourceList | None = _d("frame-ancestors")
    sandbox: TokenList | None = _d("sandbox")
    upgrade_insecure_requests: Flag | None = _d("upgrade-insecure-requests")
    block_all_mixed_content: Flag | None = _d("block-all-mixed-content")
    require_trusted_types_for: TokenList | None = _d("require-trusted-types-for")
    trusted_types: TokenList | None = _d("trusted-types")
    webrtc: Token | None = _d("webrtc")
    report_uri: TokenList | None = _d("report-uri")
    report_to: Token | None = _d("report-to")
    extra_directives: dict[str, tuple[str, ...]] | None = Field(
        None,
        alias="extra-directives",
        description="Directives this library does not know, rendered as given (escape hatch).",
    )

    @field_validator("extra_directives", mode="before")
    @classmethod
    def _check_extra(cls, value: Any, info: ValidationInfo) -> Any:
        if not value:
            return None
        if not isinstance(value, Mapping):
            return value
        sink = sink_for(info, cls.header_name)
        checked: dict[str, tuple[str, ...]] = {}
        for name, raw in value.items():
            if not sink.reading:
                if name in BY_NAME:
                    attr = BY_NAME[name].attr
                    sink.report(
                        "known-directive",
                        f"{name} is a known directive; set it through the {attr} field",
                        directive=name,
                    )
                elif not isinstance(name, str) or not _DIRECTIVE_NAME.fullmatch(name):
                    sink.report(
                        "invalid-directive-name",
                        f"{name!r} is not a directive name (lowercase letters, digits, '-')",
                        directive=str(name),
                    )
            tokens = tuple(tokens_of(raw, str(name), sink))
            checked[str(name)] = tokens
        return checked

    @model_validator(mode="after")
    def _check_policy(self, info: ValidationInfo) -> Self:
        sink = sink_for(info, self.header_name)
        if not sink.reading and self.is_empty():
            sink.report("empty-policy", "a policy needs at least one directive")
        if self.report_only:
            for spec in DIRECTIVES:
                if not spec.report_only and getattr(self, spec.attr) is not None:
                    sink.report(
                        "not-in-report-only",
                        f"browsers ignore {spec.name} in {CSP_REPORT_ONLY}; "
                        f"put it in the enforced {CSP}",
                        directive=spec.name,
                    )
        return self

    def is_empty(self) -> bool:
        """True when no directive is set."""
        values = self.__dict__  # the field values (getattr per field costs more)
        return not self.extra_directives and all(values[attr] is None for _, attr in _NAMES_ATTRS)

    def directives(self) -> dict[str, Any]:
        """The set directives in canonical order, by wire name (extra directives last)."""
        found: dict[str, Any] = {}
        values = self.__dict__  # the field values (getattr per field costs more)
        for name, attr in _NAMES_ATTRS:
            value = values[attr]
            if value is not None:
                found[name] = value
        found.update(self.extra_directives or {})
        return found

    def to_header(self, nonce: str | None = None) -> str:
        """Directives in table order, ``"; "`` between them, no trailing separator.

        ``nonce`` fills the ``'nonce'`` placeholders; without it they are left out (a list
        left empty renders as ``'none'``).
        """
        if nonce is not None and not NONCE_VALUE.fullmatch(nonce):
            raise ValueError(f"nonce {nonce!r} must be base64 or base64url characters")
        parts: list[str] = []
        for name, value in self.directives().items():
            if value is True or value == ():
                parts.append(name)
            elif isinstance(value, str):
                parts.append(f"{name} {value}")
            else:
                parts.append(" ".join((name, *_list_tokens(value, nonce))))
        return "; ".join(parts)

    @property
    def uses_nonce(self) -> bool:
        """Whether any directive holds the ``'nonce'`` placeholder."""
        return any(
            isinstance(value, tuple) and REQUEST_NONCE in value
            for value in self.directives().values()
        )

    def with_nonce(self, nonce: str) -> Self:
        """A copy with every ``'nonce'`` placeholder replaced by ``'nonce-<nonce>'``."""
        placeholder = str(REQUEST_NONCE)
        return type(self).model_validate(
            {
                name: [f"'nonce-{nonce}'" if item == placeholder else item for item in value]
                if isinstance(value, list) and name in BY_NAME
                else value
                for name, value in self.model_dump(by_alias=True, exclude_none=True).items()
            }
        )

    def to_meta(self) -> str:
        """An HTML ``<meta http-equiv>`` element for this policy.

        Raises ``ValueError`` for directives that browsers drop from ``<meta>`` policies.
        """
        if self.report_only:
            raise ValueError(f"{CSP_REPORT_ONLY} cannot be delivered in a <meta> element")
        dropped = [name for name in self.directives() if name in BY_NAME and not BY_NAME[name].meta]
        if dropped:
            raise ValueError(f"browsers ignore {', '.join(dropped)} in a <meta> policy")
        content = html.escape(self.to_header(), quote=True)
        return f'<meta http-equiv="{CSP}" content="{content}">'

    @classmethod
    def _read(cls, text: str) -> Self:
        policies, _dropped = cls._read_all(text)
        if len(policies) != 1:
            if not policies:
                raise HeaderParseError(cls.header_name, "no directive a browser would enforce")
            raise HeaderParseError(
                cls.header_name,
                f"holds {len(policies)} policies separated by commas; "
                "use secheaders.parse_csp() to read all of them",
            )
        return policies[0]

    @classmethod
    def _read_all(cls, text: str) -> tuple[list[Self], list[Diagnostic]]:
        """The policies browsers keep, and diagnostics about the policies they discard.

        ``text`` is a field value checked and trimmed by ``prepare_field_value``.
        """
        policies: list[Self] = []
        dropped: list[Diagnostic] = []
        for piece in text.split(","):
            policy, found = cls._read_one(piece)
            if policy is not None:
                policies.append(policy)
            elif piece.strip(" \t;"):
                message = "a policy with no directive a browser enforces is discarded"
                dropped += [*found, Diagnostic("empty-policy", cls.header_name, message)]
        return policies, dropped

    @classmethod
    def _read_one(cls, text: str) -> tuple[Self | None, list[Diagnostic]]:
        found: list[Diagnostic] = []
        data: dict[str, _Reading] = {}
        extra: dict[str, tuple[str, ...]] = {}
        for segment in text.split(";"):
            reading = (
                _read_segment(cls.report_only, segment)
                if len(segment) <= _CACHED_SEGMENT
                else _read_segment.__wrapped__(cls.report_only, segment)
            )
            if reading is None:
                continue
            name, kind, value, notes = reading
            if kind is _DROPPED:
                found.extend(notes)
            elif name in data or name in extra:
                message = "appears again; browsers keep only the first occurrence"
                found.append(
                    Diagnostic("duplicate-directive", cls.header_name, message, directive=name)
                )
            elif kind is _KNOWN:
                data[name] = reading
            else:
                extra[name] = value
                found.extend(notes)
        if not data and not extra:
            return None, found
        policy = cls._from_parts(data, extra, found)
        if policy.is_empty():
            return None, list(policy.diagnostics)
        return policy, []

    @classmethod
    def _from_parts(
        cls, data: dict[str, _Reading], extra: dict[str, tuple[str, ...]], found: list[Diagnostic]
    ) -> Self:
        """The model ``_build`` validates, from the directives the parser read.

        The directive readers already ran on each segment (``_read_segment``), with the same
        reading sink validation uses; their diagnostics follow in field order, as validation
        reports them. The model is then set up as ``model_construct`` sets one up (field
        values over an unset model's, the fields set, no extras, the private attributes with
        the diagnostics), without its generic per-field work: validation costs several times
        the readers themselves.
        """
        values: dict[str, Any] = {}
        diagnostics = list(found)
        for name in sorted(data, key=_POSITION.__getitem__):  # field order
            _name, _kind, value, notes = data[name]
            values[_TABLE[_POSITION[name]][1]] = value
            diagnostics.extend(notes)
        if extra:
            values["extra_directives"] = extra
        if cls.report_only:  # as _check_policy (the parser already leaves these out)
            sink = Sink(cls.header_name, reading=True)
            for spec in DIRECTIVES:
                if not spec.report_only and values.get(spec.attr) is not None:
                    sink.report(
                        "not-in-report-only",
                        f"browsers ignore {spec.name} in {CSP_REPORT_ONLY}; "
                        f"put it in the enforced {CSP}",
                        directive=spec.name,
                    )
            diagnostics += sink.diagnostics
        blank = _BLANKS.get(cls) or _BLANKS.setdefault(cls, cls.model_construct())
        assert blank.__pydantic_private__ is not None
        policy = cls.__new__(cls)
        object.__setattr__(policy, "__dict__", {**blank.__dict__, **values})
        object.__setattr__(policy, "__pydantic_fields_set__", set(values))
        object.__setattr__(policy, "__pydantic_extra__", None)
        private = {**blank.__pydantic_private__, "_diagnostics": tuple(diagnostics)}
        object.__setattr__(policy, "__pydantic_private__", private)
        return policy


#: What ``_read_segment`` makes of one directive: (name, kind, value, diagnostics).
_Reading = tuple[str, object, Any, tuple[Diagnostic, ...]]
_KNOWN, _UNKNOWN, _DROPPED = object(), object(), object()
#: Longer segments are read each time rather than kept in the cache.
_CACHED_SEGMENT = 2048


@lru_cache(maxsize=4096)
def _read_segment(report_only: bool, segment: str) -> _Reading | None:
    """One ``;``-separated segment of a policy as a browser reads it, or ``None`` if blank.

    The reading depends on nothing else, and real policies repeat their directives from one
    response to the next, so it is cached: a known directive's value (its reader's output) and
    the reader's diagnostics; an unknown directive's tokens; or a dropped directive's reason.
    """
    header = CSP_REPORT_ONLY if report_only else CSP
    # A prepared value has no control character but the tab, so in ASCII the only
    # whitespace is space and tab: str.split() (faster than the regular expression) cuts the
    # segment at the same places, and finds nothing in a blank one.
    if segment.isascii():
        tokens = segment.split()
        if not tokens:
            return None
    else:
        tokens = _ASCII_WHITESPACE.split(segment.strip(" \t"))
        name = tokens[0].lower()
        message = "the directive contains non-ASCII characters, so browsers drop it"
        return name, _DROPPED, None, (Diagnostic("non-ascii", header, message, directive=name),)
    name = tokens[0].lower()
    del tokens[0]
    spec = BY_NAME.get(name)
    if spec is None:
        code, message = (
            ("removed-directive", "was removed from CSP; browsers ignore it")
            if name in REMOVED
            else ("unknown-directive", "is not a CSP directive browsers know; ignored")
        )
        notes = (Diagnostic(code, header, message, directive=name),)
        return name, _UNKNOWN, tuple(tokens), notes
    if report_only and not spec.report_only:
        message = f"browsers ignore it in {CSP_REPORT_ONLY}"
        notes = (Diagnostic("not-in-report-only", header, message, directive=name),)
        return name, _DROPPED, None, notes
    sink = Sink(header, reading=True)
    if spec.obsolete:
        sink.report("obsolete-directive", spec.obsolete, directive=name)
    value = _TABLE[_POSITION[name]][2](spec, tokens, sink)
    return name, _KNOWN, value, tuple(sink.diagnostics)


def _list_tokens(value: tuple[Any, ...], nonce: str | None) -> list[str]:
    """A source list's tokens with the ``'nonce'`` placeholder filled or left out.

    Left out, a list that allows nothing in CSP3 browsers renders as ``'none'``: one that is
    then empty, or that keeps ``'strict-dynamic'`` without a hash (CSP3 browsers ignore the
    rest of it, and graders call 'strict-dynamic' without a nonce or hash invalid).
    """
    if REQUEST_NONCE not in value:
        return [str(item) for item in value]
    if nonce is not None:
        filled = f"'nonce-{nonce}'"
        return [filled if item == REQUEST_NONCE else str(item) for item in value]
    rest = [item for item in value if item != REQUEST_NONCE]
    if not rest or (STRICT_DYNAMIC in rest and not any(isinstance(i, HashSource) for i in rest)):
        return ["'none'"]
    return [str(item) for item in rest]


class ContentSecurityPolicy(_ContentSecurityPolicyBase):
    """An enforced ``Content-Security-Policy``."""

    header_name: ClassVar[str] = CSP


class ContentSecurityPolicyReportOnly(_ContentSecurityPolicyBase):
    """A ``Content-Security-Policy-Report-Only`` policy: violations are reported, not blocked."""

    header_name: ClassVar[str] = CSP_REPORT_ONLY
    report_only: ClassVar[bool] = True


@overload
def parse_csp(value: str) -> list[ContentSecurityPolicy]: ...
@overload
def parse_csp(value: str, *, report_only: Literal[False]) -> list[ContentSecurityPolicy]: ...
@overload
def parse_csp(
    value: str, *, report_only: Literal[True]
) -> list[ContentSecurityPolicyReportOnly]: ...
def parse_csp(
    value: str, *, report_only: bool = False
) -> list[ContentSecurityPolicy] | list[ContentSecurityPolicyReportOnly]:
    """Every policy a browser reads from one CSP field value (comma-separated policies).

    Policies left with no directive are dropped, as browsers do (a policy holding only unknown
    directives is kept: it enforces nothing, and says so in its diagnostics). Use
    ``report_only=True`` for ``Content-Security-Policy-Report-Only``.
    """
    if report_only:
        text = _prepare(CSP_REPORT_ONLY, value)
        return ContentSecurityPolicyReportOnly._read_all(text)[0]
    return ContentSecurityPolicy._read_all(_prepare(CSP, value))[0]


def _prepare(header: str, value: str) -> str:
    """``prepare_field_value``, answering the common value in one pass: printable ASCII has no
    CR, LF, NUL, tab or other control character, so there is nothing to check or unfold."""
    # Printable ASCII: nothing is left once the bytes from space to "~" are deleted.
    if (
        isinstance(value, str)
        and value.isascii()
        and not value.encode("ascii").translate(None, _PRINTABLE_ASCII)
    ):
        return value.strip(" ")
    return prepare_field_value(header, value)


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


__all__ = [
    "CSP",
    "CSP_REPORT_ONLY",
    "ContentSecurityPolicy",
    "ContentSecurityPolicyReportOnly",
    "parse_csp",
]
