"""Machinery shared by every header model: the base class, diagnostics and text checks.

Two modes run through the same validators:

* **authoring** (the default): a value that is wrong, ambiguous or has no effect raises a
  ``pydantic.ValidationError`` whose message names the directive and the token;
* **reading** (used by ``from_header``): the model is built the way a browser reads the header.
  What a browser ignores is dropped, what it accepts but looks like a mistake is kept, and both
  are recorded as :class:`Diagnostic` entries on the model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError


class HeaderParseError(ValueError):
    """A header value that a browser would ignore as a whole, or that is not a field value.

    ``code`` names the cause when a header tells causes apart (``"max-age-missing"`` for HSTS);
    otherwise it is ``"ignored-header"``.
    """

    def __init__(self, header: str, reason: str, *, code: str = "ignored-header") -> None:
        super().__init__(f"{header}: {reason}")
        self.header = header
        self.reason = reason
        self.code = code


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something in a parsed header that a browser ignores or that is probably a mistake.

    ``code`` is a stable identifier (for example ``"unknown-directive"``); ``directive`` and
    ``token`` locate the problem inside the header when that makes sense.
    """

    code: str
    header: str
    message: str
    directive: str | None = None
    token: str | None = None

    def __str__(self) -> str:
        where = f" {self.directive}" if self.directive else ""
        return f"{self.header}{where}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready form."""
        return {
            "code": self.code,
            "header": self.header,
            "directive": self.directive,
            "token": self.token,
            "message": self.message,
        }


class Sink:
    """Where validators send problems: raised when authoring, recorded when reading."""

    def __init__(self, header: str, *, reading: bool) -> None:
        self.header = header
        self.reading = reading
        self.diagnostics: list[Diagnostic] = []

    def report(
        self,
        code: str,
        message: str,
        *,
        directive: str | None = None,
        token: str | None = None,
        index: int | None = None,
    ) -> None:
        """Raise a validation error (authoring) or keep a diagnostic (reading).

        ``index`` is the token's position in the list the author wrote, when known.
        """
        if not self.reading:
            raise policy_error(
                self.header, code, message, directive=directive, token=token, index=index
            )
        self.diagnostics.append(Diagnostic(code, self.header, message, directive, token))


SINK_KEY = "secheaders_sink"


def sink_for(info: ValidationInfo, header: str) -> Sink:
    """The reading sink passed by a parser through the validation context, else an authoring one."""
    context = info.context
    if isinstance(context, dict):
        sink = context.get(SINK_KEY)
        if isinstance(sink, Sink):
            return sink
    return Sink(header, reading=False)


def policy_error(
    header: str,
    code: str,
    message: str,
    *,
    directive: str | None = None,
    token: str | None = None,
    index: int | None = None,
) -> PydanticCustomError:
    """A validation error whose message names the directive; context keeps the parts apart."""
    text = f"{directive}: {message}" if directive else message
    return PydanticCustomError(
        "secheaders",
        "{message}",
        {
            "message": text,
            "code": code,
            "header": header,
            "directive": directive,
            "token": token,
            "index": index,
            "detail": message,
        },
    )


# --- text checks --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_OBS_FOLD = re.compile(r"\r\n[ \t]+")


def text_problem(value: str, *, forbid: str = "", allow_space: bool = False) -> str | None:
    """Why ``value`` cannot be written into a header field, or ``None`` if it can."""
    if "\r" in value or "\n" in value or "\x00" in value:
        return "contains CR, LF or NUL, which would let it inject other header lines"
    if _CONTROL.search(value) or "\t" in value:
        return "contains a control character; header values are visible ASCII"
    if not value.isascii():
        bad = next(ch for ch in value if not ch.isascii())
        return f"contains the non-ASCII character {bad!r}; use punycode or percent-encoding"
    for ch in forbid:
        if ch in value:
            return f"contains {ch!r}, which would split the header value"
    if not allow_space and " " in value:
        return "contains a space; give each token as its own list item"
    return None


def prepare_field_value(header: str, value: str) -> str:
    """Check and trim a raw field value as an HTTP parser would before any header grammar."""
    if not isinstance(value, str):
        raise TypeError(f"{header}: header value must be str, not {type(value).__name__}")
    text = _OBS_FOLD.sub(" ", value)
    if "\r" in text or "\n" in text or "\x00" in text:
        raise HeaderParseError(header, "contains CR, LF or NUL; browsers reject such a response")
    if _CONTROL.search(text):
        raise HeaderParseError(header, "contains a control character; not a valid field value")
    return text.strip(" \t")


def split_list(text: str) -> list[str]:
    """Split an RFC 9110 list on commas outside quoted strings; trims and drops empty items."""
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append("".join(current).strip(" \t"))
            current = []
            continue
        current.append(ch)
    items.append("".join(current).strip(" \t"))
    return [item for item in items if item]


def suggest(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean ...?)" suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
SF_KEY_RE = re.compile(r"[a-z*][a-z0-9_\-.*]*")


# --- base model ---------------------------------------------------------------------------


class DiagnosedModel(BaseModel):
    """A frozen model that may carry parser diagnostics; they do not take part in equality."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _diagnostics: tuple[Diagnostic, ...] = PrivateAttr(default=())

    #: What the keys of this model's plain form name, for "unknown key" messages.
    key_kind: ClassVar[str] = "field"
    #: Added to the "unknown key" message.
    unknown_key_hint: ClassVar[str] = ""

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """What the parser found that a browser ignores or that looks like a mistake."""
        private = self.__pydantic_private__  # a slot: cheaper than pydantic's __getattr__
        return () if private is None else private.get("_diagnostics", ())

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_keys(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or cls.key_kind == "":
            return data
        known = {name: info.alias or name for name, info in cls.model_fields.items()}
        for key in data:
            if key not in known and key not in known.values():
                header = getattr(cls, "header_name", cls.__name__)
                hint = suggest(str(key), known.values()) + cls.unknown_key_hint
                raise policy_error(
                    header,
                    "unknown-key",
                    f"unknown {cls.key_kind} {key!r}{hint}",
                    directive=str(key),
                )
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.model_dump_json()))


class HeaderModel(DiagnosedModel):
    """Base of every header model: frozen, strict about unknown fields, renderable and parsable.

    Subclasses set ``header_name`` and implement ``to_header`` and ``_read``. A subclass with a
    ``plain_field`` also accepts that field's value alone (``"DENY"`` for X-Frame-Options) and
    dumps to it when every other field is at its default.
    """

    header_name: ClassVar[str]
    plain_field: ClassVar[str | None] = None

    def to_header(self) -> str:
        """The canonical header value."""
        raise NotImplementedError

    @classmethod
    def from_header(cls, value: str) -> Self:
        """Read ``value`` as a browser does; raise :class:`HeaderParseError` if it is ignored."""
        return cls._read(prepare_field_value(cls.header_name, value))

    @classmethod
    def _read(cls, text: str) -> Self:
        raise NotImplementedError

    @classmethod
    def _build(cls, data: Mapping[str, Any], found: Iterable[Diagnostic] = ()) -> Self:
        """Validate parsed ``data`` in reading mode and attach every diagnostic."""
        sink = Sink(cls.header_name, reading=True)
        try:
            model = cls.model_validate(data, context={SINK_KEY: sink})
        except ValidationError as exc:
            reasons = "; ".join(str(err["msg"]) for err in exc.errors())
            raise HeaderParseError(cls.header_name, reasons) from None
        model._diagnostics = (*found, *sink.diagnostics)
        return model

    @model_validator(mode="before")
    @classmethod
    def _accept_plain(cls, data: Any) -> Any:
        if data is True:
            if any(field.is_required() for field in cls.model_fields.values()):
                raise policy_error(
                    cls.header_name,
                    "needs-value",
                    f"true is not enough for {cls.header_name}: it has no default, give its value",
                )
            return {}
        if cls.plain_field is not None and not isinstance(data, Mapping | BaseModel):
            return {cls.plain_field: data}
        return data

    @model_serializer(mode="wrap")
    def _dump_plain(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        if self.plain_field is None or not isinstance(dumped, dict):
            return dumped
        fields = type(self).model_fields
        others_default = all(
            getattr(self, name) == info.default
            for name, info in fields.items()
            if name != self.plain_field
        )
        key = fields[self.plain_field].alias or self.plain_field
        plain = dumped.get(key, dumped.get(self.plain_field))
        # A bare ``false`` means "header not sent" in a policy, so keep the mapping for it.
        return plain if others_default and plain is not False else dumped

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.to_header()))


class MappingHeader(HeaderModel):
    """A header whose plain form is one mapping (feature -> allowlist, name -> URL).

    Subclasses name the field holding it in ``mapping_field``; the model accepts and dumps
    the bare mapping.
    """

    mapping_field: ClassVar[str]
    key_kind: ClassVar[str] = ""  # keys are data (feature or endpoint names), not fields

    @model_validator(mode="before")
    @classmethod
    def _accept_mapping(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data.get(cls.mapping_field), Mapping):
            return {cls.mapping_field: dict(data)}
        return data

    @model_serializer(mode="wrap")
    def _dump_mapping(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        return dumped[self.mapping_field] if isinstance(dumped, dict) else dumped
