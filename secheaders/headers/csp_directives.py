"""The CSP directive table and the readers of each kind of directive value.

Every directive the model knows is one row of :data:`DIRECTIVES`: its value kind, its fallback
chain, whether report-only policies and ``<meta>`` honour it, and which source keywords mean
something in it. Validation, rendering, parsing and (later) evaluation read this table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from ._base import TOKEN_RE, Sink, suggest, text_problem
from .csp_sources import (
    NONE,
    REQUEST_NONCE,
    SELF,
    HashSource,
    HostSource,
    IgnoredTokenError,
    Keyword,
    NonceSource,
    RequestNonce,
    SchemeSource,
    Source,
    hash_length_problem,
    read_source,
)


class Kind(Enum):
    """What a directive's value is made of."""

    SOURCE_LIST = "source list"
    ANCESTOR_LIST = "ancestor source list"
    FLAG = "flag (no value)"
    SANDBOX = "sandbox tokens"
    TRUSTED_TYPES = "trusted-types expressions"
    REQUIRE_TRUSTED_TYPES = "sink groups"
    WEBRTC = "'allow' or 'block'"
    REPORT_URI = "URI references"
    REPORT_TO = "endpoint name"


_SCRIPT = frozenset({"default-src", "script-src", "script-src-elem", "script-src-attr"})
_STYLE = frozenset({"default-src", "style-src", "style-src-elem", "style-src-attr"})
_EVAL = frozenset({"default-src", "script-src"})

#: Directives in which each keyword has an effect (``'self'`` and ``'none'`` work everywhere).
KEYWORD_SCOPE: dict[str, frozenset[str]] = {
    "unsafe-inline": _SCRIPT | _STYLE,
    "unsafe-eval": _EVAL,
    "wasm-unsafe-eval": _EVAL,
    "trusted-types-eval": _EVAL,
    "strict-dynamic": frozenset({"default-src", "script-src", "script-src-elem", "worker-src"}),
    "unsafe-hashes": frozenset(
        {"default-src", "script-src", "script-src-attr", "style-src", "style-src-attr"}
    ),
    "report-sample": _SCRIPT | _STYLE,
    "report-sha256": frozenset({"default-src", "script-src", "script-src-elem"}),
    "report-sha384": frozenset({"default-src", "script-src", "script-src-elem"}),
    "report-sha512": frozenset({"default-src", "script-src", "script-src-elem"}),
    "inline-speculation-rules": frozenset({"default-src", "script-src", "script-src-elem"}),
    "unsafe-webtransport-hashes": frozenset({"default-src", "connect-src"}),
    "unsafe-allow-redirects": frozenset(),
}
#: Directives in which nonces and hashes have an effect.
NONCE_HASH_SCOPE = _SCRIPT | _STYLE | {"worker-src"}


@dataclass(frozen=True, slots=True)
class Directive:
    """One row of the directive table."""

    name: str
    kind: Kind
    fallback: tuple[str, ...] = ()
    report_only: bool = True
    meta: bool = True
    obsolete: str | None = None

    @property
    def attr(self) -> str:
        """The Python field name (``script_src`` for ``script-src``)."""
        return self.name.replace("-", "_")


def _fetch(name: str, *fallback: str) -> Directive:
    return Directive(name, Kind.SOURCE_LIST, (*fallback, "default-src"))


DIRECTIVES: tuple[Directive, ...] = (
    Directive("default-src", Kind.SOURCE_LIST),
    _fetch("script-src"),
    _fetch("script-src-elem", "script-src"),
    _fetch("script-src-attr", "script-src"),
    _fetch("style-src"),
    _fetch("style-src-elem", "style-src"),
    _fetch("style-src-attr", "style-src"),
    _fetch("img-src"),
    _fetch("font-src"),
    _fetch("connect-src"),
    _fetch("media-src"),
    _fetch("object-src"),
    _fetch("manifest-src"),
    _fetch("child-src"),
    _fetch("frame-src", "child-src"),
    _fetch("fenced-frame-src", "frame-src", "child-src"),
    _fetch("worker-src", "child-src", "script-src"),
    Directive("base-uri", Kind.SOURCE_LIST),
    Directive("form-action", Kind.SOURCE_LIST),
    Directive("frame-ancestors", Kind.ANCESTOR_LIST, meta=False),
    Directive("sandbox", Kind.SANDBOX, report_only=False, meta=False),
    Directive("upgrade-insecure-requests", Kind.FLAG, report_only=False),
    Directive(
        "block-all-mixed-content",
        Kind.FLAG,
        obsolete="obsolete: browsers now upgrade or block all mixed content by themselves",
    ),
    Directive("require-trusted-types-for", Kind.REQUIRE_TRUSTED_TYPES),
    Directive("trusted-types", Kind.TRUSTED_TYPES),
    Directive("webrtc", Kind.WEBRTC),
    Directive("report-uri", Kind.REPORT_URI, meta=False),
    Directive("report-to", Kind.REPORT_TO),
)

BY_NAME: dict[str, Directive] = {d.name: d for d in DIRECTIVES}
BY_ATTR: dict[str, Directive] = {d.attr: d for d in DIRECTIVES}

#: Directives that were once specified and are now ignored by browsers.
REMOVED = frozenset(
    {
        "plugin-types",
        "prefetch-src",
        "navigate-to",
        "referrer",
        "reflected-xss",
        "require-sri-for",
        "disown-opener",
    }
)

SANDBOX_TOKENS = frozenset(
    {
        "allow-downloads",
        "allow-forms",
        "allow-modals",
        "allow-orientation-lock",
        "allow-pointer-lock",
        "allow-popups",
        "allow-popups-to-escape-sandbox",
        "allow-presentation",
        "allow-same-origin",
        "allow-scripts",
        "allow-top-navigation",
        "allow-top-navigation-by-user-activation",
        "allow-top-navigation-to-custom-protocols",
        "allow-storage-access-by-user-activation",
    }
)

_TT_NAME = re.compile(r"[A-Za-z0-9\-#=_/@.%]+")
_URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+=%]+")


def tokens_of(value: object, directive: str, sink: Sink) -> list[str]:
    """The raw tokens of a directive value given as a string, a list, or typed sources."""
    if isinstance(value, str):
        problem = text_problem(value, forbid=";,", allow_space=True)
        if problem:
            sink.report("invalid-character", problem, directive=directive, token=value)
        return value.split()
    if not isinstance(value, Sequence):
        sink.report(
            "invalid-value",
            f"expected a list of tokens, got {type(value).__name__}",
            directive=directive,
        )
        return []
    if sink.reading:  # the parser's own split (or models it read): free of separators
        return [str(item) for item in value]
    tokens: list[str] = []
    for index, item in enumerate(value):
        text = str(item) if isinstance(item, Source) else item
        if not isinstance(text, str):
            sink.report(
                "invalid-value",
                f"expected a string, got {type(item).__name__} ({item!r})",
                directive=directive,
                index=index,
            )
            continue
        problem = text_problem(text, forbid=";,")
        if problem:
            sink.report(
                "invalid-character",
                f"{text!r} {problem}",
                directive=directive,
                token=text,
                index=index,
            )
            continue
        tokens.append(text)
    return tokens


def read_source_list(spec: Directive, tokens: list[str], sink: Sink) -> tuple[Source, ...]:
    """Typed sources of a source-list or ancestor-list directive; empty means ``'none'``."""
    sources: dict[str, Source] = {}  # by canonical text: an ordered set, linear and cheap
    none_token: str | None = None
    name = spec.name
    for index, token in enumerate(tokens):
        source, notes, text = judge_source(name, token)
        if notes:
            for code, message in notes:
                sink.report(code, message, directive=name, token=token, index=index)
        if source is None:
            continue
        if source is NONE:
            none_token = token
        elif source is REQUEST_NONCE and sink.reading:
            message = "'nonce' has no value, so browsers ignore it"
            sink.report("ignored-source", message, directive=name, token=token, index=index)
        else:
            sources.setdefault(text, source)
    if none_token is not None and sources:
        sink.report(
            "none-with-sources",
            f"'none' must be the only source; beside {next(iter(sources))} browsers ignore it",
            directive=spec.name,
            token=none_token,
        )
    return tuple(sources.values()) or (NONE,)


Note = tuple[str, str]


@lru_cache(maxsize=8192)
def judge_source(directive: str, token: str) -> tuple[Source | None, tuple[Note, ...], str]:
    """What a browser makes of ``token`` in ``directive``.

    Returns the source to keep (``None`` when browsers ignore the token), ``(code, message)``
    notes about it (problems a browser ignores, or things accepted that look wrong), and the
    source's canonical text.
    """
    source, notes = _judge(directive, token)
    return source, notes, "" if source is None else str(source)


def _judge(directive: str, token: str) -> tuple[Source | None, tuple[Note, ...]]:
    try:
        source, warning = read_source(token)
    except IgnoredTokenError as exc:
        return None, (("ignored-source", str(exc)),)
    kind = source.__class__
    if kind is HostSource and directive not in _ANCESTOR_LISTS:  # most tokens: nothing more
        return source, (("suspicious-source", warning),) if warning else ()
    notes: list[Note] = [("suspicious-source", warning)] if warning else []
    # read_source gives one object per keyword, so identity is equality here.
    if source is NONE:
        return source, tuple(notes)
    if directive in _ANCESTOR_LISTS:
        if kind is SchemeSource or kind is HostSource or source is SELF:
            return source, tuple(notes)
        message = f"{token}: frame-ancestors accepts only 'self', 'none', hosts and schemes"
        return None, (*notes, ("ignored-source", message))
    if kind is HashSource:
        problem = hash_length_problem(source)  # type: ignore[arg-type]
        if problem:
            notes.append(("hash-length", problem))
    if kind in _NONCE_OR_HASH and directive not in NONCE_HASH_SCOPE:
        what = "hash" if kind is HashSource else "nonce"
        message = (
            f"{token}: a {what} has no effect in {directive}; it applies to scripts and styles"
        )
        notes.append(("no-effect", message))
    elif kind is Keyword and source.name in KEYWORD_SCOPE:  # type: ignore[union-attr]
        scope = KEYWORD_SCOPE[source.name]  # type: ignore[union-attr]
        if directive not in scope:
            where = ", ".join(sorted(scope)) if scope else "no directive any more"
            notes.append(
                ("no-effect", f"{token} has no effect in {directive}; it works in {where}")
            )
    return source, tuple(notes)


#: Directives whose sources are an ancestor list (frame-ancestors).
_ANCESTOR_LISTS = frozenset(spec.name for spec in DIRECTIVES if spec.kind is Kind.ANCESTOR_LIST)
_NONCE_OR_HASH = frozenset({NonceSource, HashSource, RequestNonce})


def read_sandbox(spec: Directive, tokens: list[str], sink: Sink) -> tuple[str, ...]:
    """Sandbox allowances (lowercase); an empty tuple applies every restriction."""
    kept: list[str] = []
    for token in tokens:
        name = token.lower()
        if name not in SANDBOX_TOKENS:
            sink.report(
                "ignored-token",
                f"{token} is not a sandbox keyword{suggest(name, SANDBOX_TOKENS)}",
                directive=spec.name,
                token=token,
            )
        elif name not in kept:
            kept.append(name)
    return tuple(kept)


def read_trusted_types(spec: Directive, tokens: list[str], sink: Sink) -> tuple[str, ...]:
    """Trusted Types policy names and keywords; an empty value means ``'none'``."""
    kept: list[str] = []
    none_token: str | None = None
    for token in tokens:
        lowered = token.lower()
        if lowered == "'none'":
            none_token = token
        elif lowered == "'allow-duplicates'":
            kept.append(lowered)
        elif token == "*" or _TT_NAME.fullmatch(token):
            kept.append(token)
        else:
            sink.report(
                "ignored-token",
                f"{token} is not a policy name, *, 'allow-duplicates' or 'none'",
                directive=spec.name,
                token=token,
            )
    if none_token is not None and kept:
        sink.report(
            "none-with-sources",
            "'none' must stand alone; beside policy names browsers ignore it",
            directive=spec.name,
            token=none_token,
        )
    unique = tuple(dict.fromkeys(kept))
    return unique or ("'none'",)


def read_require_trusted_types(
    spec: Directive, tokens: list[str], sink: Sink
) -> tuple[str, ...] | None:
    """The sink groups (only ``'script'`` exists); ``None`` when nothing valid is left."""
    groups: list[str] = []
    for token in tokens:
        if token.lower() == "'script'":
            if "'script'" not in groups:
                groups.append("'script'")
        else:
            sink.report(
                "ignored-token",
                f"{token} is not a sink group; the only one is 'script'",
                directive=spec.name,
                token=token,
            )
    if not groups:
        sink.report(
            "empty-directive",
            "needs 'script'; without it the directive does nothing",
            directive=spec.name,
        )
        return None
    return tuple(groups)


def read_webrtc(spec: Directive, tokens: list[str], sink: Sink) -> str:
    """``'allow'`` only when the value is exactly that token; anything else blocks."""
    value = [token.lower() for token in tokens]
    if value in (["'allow'"], ["'block'"]):
        return value[0]
    sink.report(
        "invalid-value",
        f"takes exactly one of 'allow' or 'block', got {' '.join(tokens) or 'nothing'}; "
        "browsers read this as 'block'",
        directive=spec.name,
    )
    return "'block'"


def read_report_uri(spec: Directive, tokens: list[str], sink: Sink) -> tuple[str, ...] | None:
    """The report URLs; ``None`` when there are none."""
    kept: dict[str, None] = {}  # an ordered set: linear however many URLs
    for token in tokens:
        if not _URI_REFERENCE.fullmatch(token):
            sink.report(
                "invalid-uri",
                f"{token} is not a URI reference (percent-encode other characters)",
                directive=spec.name,
                token=token,
            )
        kept[token] = None
    if not kept:
        sink.report("empty-directive", "names no URL, so nothing is reported", directive=spec.name)
        return None
    return tuple(kept)


def read_report_to(spec: Directive, tokens: list[str], sink: Sink) -> str | None:
    """The endpoint name; ``None`` when the value is not exactly one token."""
    if len(tokens) == 1 and TOKEN_RE.fullmatch(tokens[0]):
        return tokens[0]
    sink.report(
        "invalid-value",
        f"takes exactly one endpoint name, got {' '.join(tokens) or 'nothing'}",
        directive=spec.name,
    )
    return None


def read_flag(spec: Directive, tokens: list[str], sink: Sink) -> bool:
    """A flag directive: present means on; a value after it is ignored."""
    if tokens:
        sink.report(
            "ignored-token",
            f"takes no value; {' '.join(tokens)} is ignored",
            directive=spec.name,
            token=tokens[0],
        )
    return True
