"""Summaries of logged violation reports, each blocked thing with the change that would allow it.

A log line is one JSON object (or list) in one of these forms:

1. a log record, ``{"message": ..., "report": {<Violation fields>}, "count": N}``, where
   ``count`` (default 1) is how many identical reports the line stands for;
2. a bare :class:`~secheaders.reports.Violation` dict (it has ``type`` and no ``body``);
3. a body as browsers send it: ``{"csp-report": {...}}``, a Reporting API report or a list of
   them.

Blank lines are ignored, and a line with a ``dropped`` count (reports the receiver cut) adds
to :attr:`Summary.ignored`; any other line is skipped with a reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import ValidationError

from secheaders.headers.csp_directives import BY_NAME, Kind, judge_source

from .models import MalformedReportError, Violation, clean_text, read_reports

__all__ = [
    "CSP_HEADER",
    "CSP_REPORT_ONLY_HEADER",
    "Blocked",
    "DispositionFilter",
    "LineError",
    "SkippedLine",
    "Suggestion",
    "Summary",
    "policy_label",
    "read_line",
    "suggest",
    "summarize",
]

CSP_HEADER = "content-security-policy"
CSP_REPORT_ONLY_HEADER = "content-security-policy-report-only"
#: Skipped lines kept with their reason; the rest are only counted.
MAX_SKIPPED_KEPT = 100
#: Reports read from one line holding a list.
MAX_REPORTS_PER_LINE = 10_000

DispositionFilter = Literal["enforce", "report", "all"]

_CSP = "csp-violation"
_SHORT_TYPES = {_CSP: "csp", "permissions-policy-violation": "permissions-policy"}
_SCHEMES = frozenset({"data", "blob", "mediastream", "filesystem"})
_EXTENSION_SCHEMES = frozenset(
    {
        "chrome-extension",
        "moz-extension",
        "safari-extension",
        "safari-web-extension",
        "ms-browser-extension",
    }
)
_GOVERNING = {
    "script-src-elem": "script-src",
    "script-src-attr": "script-src",
    "style-src-elem": "style-src",
    "style-src-attr": "style-src",
}
_EXTENDABLE = frozenset({Kind.SOURCE_LIST, Kind.ANCESTOR_LIST})
# data: lets injected markup run script or plugins in these directives.
_NO_DATA = frozenset({"default-src", "script-src", "object-src", "base-uri"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_TT_NAME = re.compile(r"[A-Za-z0-9\-#=_/@.%]+")
_NONCE = 'nonce="{{ csp_nonce() }}"'
_UNSAFE_INLINE = "'unsafe-inline' would allow it, but is not recommended"


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """The policy change that would allow a violation.

    ``source`` is what to add to ``directive`` of ``header`` (config-file names). It is ``None``
    when the fix lies elsewhere (a template, a script, another site's headers): ``advice``
    says what to do. ``recommended`` is ``False`` for a source that would weaken the policy,
    such as ``'unsafe-inline'``.
    """

    advice: str
    header: str | None = None
    directive: str | None = None
    source: str | None = None
    recommended: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The fields as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Blocked:
    """What was blocked under one directive of one policy, and the change that would allow it.

    ``blocked`` is the origin of a blocked URL, a scheme (``data``) or a keyword (``inline``).
    """

    policy: str
    directive: str
    blocked: str
    suggestion: Suggestion | None


@dataclass(frozen=True)
class SkippedLine:
    """A line that held no report."""

    line: int
    reason: str


class LineError(ValueError):
    """A log line that holds no report; the message says why."""


@dataclass
class Summary:
    """Reports counted by directive and by blocked thing, weighted by each line's ``count``.

    ``total`` counts the reports kept, ``lines`` the lines they came from, ``filtered`` the
    reports left out by the disposition filter, ``ignored`` the reports known but not read
    (list items of another type or shape, and the receiver's ``dropped`` counts), and
    ``skipped`` the lines that held no report (the first :data:`MAX_SKIPPED_KEPT` are in
    ``skipped_lines``).
    """

    total: int = 0
    lines: int = 0
    filtered: int = 0
    ignored: int = 0
    skipped: int = 0
    skipped_lines: list[SkippedLine] = field(default_factory=list)
    directives: Counter[tuple[str, str]] = field(default_factory=Counter)
    blocked: Counter[Blocked] = field(default_factory=Counter)

    def add(self, violation: Violation, count: int = 1) -> None:
        """Count ``violation`` ``count`` times."""
        policy = policy_label(violation)
        directive = violation.directive or ""
        self.total += count
        self.directives[policy, directive] += count
        self.blocked[Blocked(policy, directive, _blocked(violation), suggest(violation))] += count

    def skip(self, line: int, reason: str) -> None:
        """Record a line that held no report."""
        self.skipped += 1
        if len(self.skipped_lines) < MAX_SKIPPED_KEPT:
            self.skipped_lines.append(SkippedLine(line, reason))

    def top_directives(
        self, limit: int | None = None, min_count: int = 1
    ) -> list[tuple[str, str, int]]:
        """``(policy, directive, count)``, most reported first."""
        rows = sorted(
            ((p, d, n) for (p, d), n in self.directives.items() if n >= min_count),
            key=lambda row: (-row[2], row[0], row[1]),
        )
        return rows[:limit]

    def top_blocked(
        self, limit: int | None = None, min_count: int = 1
    ) -> list[tuple[Blocked, int]]:
        """``(blocked, count)``, most reported first."""
        rows = sorted(
            ((b, n) for b, n in self.blocked.items() if n >= min_count),
            key=lambda row: (-row[1], row[0].policy, row[0].directive, row[0].blocked),
        )
        return rows[:limit]

    def change(self, min_count: int = 1) -> dict[str, dict[str, list[str]]]:
        """The recommended sources to add, as the ``extend`` table of a config file:
        header -> directive -> sources, from the rows seen at least ``min_count`` times."""
        change: dict[str, dict[str, list[str]]] = {}
        for fix, _ in self._sources(min_count, recommended=True):
            if fix.header and fix.directive and fix.source:
                change.setdefault(fix.header, {}).setdefault(fix.directive, []).append(fix.source)
        return dict(sorted(change.items(), key=lambda item: item[0] != CSP_HEADER))

    def not_suggested(self, min_count: int = 1) -> list[tuple[Suggestion, int]]:
        """Sources that would allow what was blocked but weaken the policy, with counts."""
        return self._sources(min_count, recommended=False)

    def _sources(self, min_count: int, *, recommended: bool) -> list[tuple[Suggestion, int]]:
        totals: dict[tuple[str, str, str], int] = {}
        first: dict[tuple[str, str, str], Suggestion] = {}
        for row, count in self.top_blocked(min_count=min_count):
            fix = row.suggestion
            if fix is None or fix.recommended != recommended:
                continue
            if fix.header is None or fix.directive is None or fix.source is None:
                continue
            key = (fix.header, fix.directive, fix.source)
            totals[key] = totals.get(key, 0) + count
            first.setdefault(key, fix)
        ranked = sorted(totals, key=lambda key: -totals[key])  # stable: first seen first
        return [(first[key], totals[key]) for key in ranked]


def policy_label(violation: Violation) -> str:
    """``csp``, ``csp-report-only``, ``coep``, ``permissions-policy``, ``deprecation``, ..."""
    base = _SHORT_TYPES.get(violation.type, violation.type)
    return f"{base}-report-only" if violation.disposition == "report" else base


def _disposition(violation: Violation) -> str:
    return "report" if violation.disposition == "report" else "enforce"


def summarize(lines: Iterable[str | bytes], *, disposition: DispositionFilter = "all") -> Summary:
    """Read log lines and count their reports; ``disposition`` keeps only enforced
    (``enforce``, also when a report names none) or report-only (``report``) ones."""
    summary = Summary()
    for number, line in enumerate(lines, 1):
        try:
            found, ignored = _read_line(line)
        except LineError as exc:
            summary.skip(number, str(exc))
            continue
        summary.ignored += ignored
        if not found:
            continue
        summary.lines += 1
        for violation, count in found:
            if disposition != "all" and _disposition(violation) != disposition:
                summary.filtered += count
            else:
                summary.add(violation, count)
    return summary


def read_line(line: str | bytes) -> list[tuple[Violation, int]]:
    """The reports of one log line, each with how many it stands for.

    Returns an empty list for a blank line; raises :class:`LineError` for one without a report.
    """
    return _read_line(line)[0]


def _read_line(line: str | bytes) -> tuple[list[tuple[Violation, int]], int]:
    """The reports of a line, and how many reports it names that were not read."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            raise LineError("not UTF-8") from None
    text = line.strip().lstrip("\ufeff")
    if not text:
        return [], 0
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise LineError("not JSON") from None
    if isinstance(data, dict):
        report = data.get("report")
        if isinstance(report, dict):
            return [(_violation(report), _count(data))], 0
        if "type" in data and "body" not in data and "csp-report" not in data:
            fields = {key: value for key, value in data.items() if key != "count"}
            return [(_violation(fields), _count(data))], 0
        if "body" not in data and "csp-report" not in data:
            dropped = data.get("dropped")
            if isinstance(dropped, int) and not isinstance(dropped, bool) and dropped >= 0:
                return [], dropped  # the receiver's note of reports it cut
            if "message" in data:
                raise LineError("a log line without a report")
            raise LineError("JSON, but not a report")
    elif not isinstance(data, list):
        raise LineError("JSON, but not a report")
    try:
        batch = read_reports(
            text.encode("utf-8"), "application/json", max_reports=MAX_REPORTS_PER_LINE
        )
    except MalformedReportError as exc:
        raise LineError(str(exc)) from None
    if not batch.violations:
        raise LineError(f"no report of a type read here ({batch.unsupported} unsupported)")
    ignored = batch.invalid + batch.unsupported + batch.truncated
    return [(violation, 1) for violation in batch.violations], ignored


def _violation(fields: dict[str, Any]) -> Violation:
    try:
        return Violation.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "report"
        raise LineError(clean_text(f"report: {where}: {error['msg']}", 200)) from None


def _count(data: dict[str, Any]) -> int:
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise LineError("count must be a positive whole number")
    return count


# --- suggestions --------------------------------------------------------------------------


def suggest(violation: Violation) -> Suggestion | None:
    """The change that would allow ``violation``, or ``None`` when there is nothing to say.

    For CSP, a blocked URL gives its origin (``'self'`` when it is the document's), a scheme
    gives ``data:`` and so on, and the keywords give advice; the directive is the one a
    config file sets (``script-src`` for ``script-src-elem``). Report-only violations belong to
    ``content-security-policy-report-only``.
    """
    if violation.type == _CSP:
        return _suggest_csp(violation)
    if violation.type == "coep":
        return _suggest_coep(violation)
    if violation.type == "coop":
        return Suggestion(
            header="cross-origin-opener-policy",
            advice="windows were cut apart; if the page needs its popup or opener, use "
            "same-origin-allow-popups or unsafe-none in cross-origin-opener-policy",
        )
    if violation.type == "permissions-policy-violation" and violation.directive:
        header = "permissions-policy"
        if violation.disposition == "report":
            header += "-report-only"
        feature = violation.directive
        return Suggestion(
            header=header,
            directive=feature,
            advice=f"add self, or the origin of the frame that uses it, to {feature} in "
            f'{header} (an iframe also needs allow="{feature}")',
        )
    return None


def _suggest_coep(violation: Violation) -> Suggestion:
    kind = violation.directive or ""
    if kind == "navigation":
        advice = "the framed page must send Cross-Origin-Embedder-Policy and "
        advice += "Cross-Origin-Resource-Policy: cross-origin"
    elif kind.startswith("worker"):
        advice = "the worker script must send Cross-Origin-Embedder-Policy"
    else:
        advice = "the resource's server must send Cross-Origin-Resource-Policy: cross-origin, "
        advice += "or load it with crossorigin from a server that sends CORS headers"
    return Suggestion(advice=advice)


def _suggest_csp(violation: Violation) -> Suggestion:
    header = CSP_REPORT_ONLY_HEADER if violation.disposition == "report" else CSP_HEADER
    effective = (violation.directive or "").lower()
    if not effective:
        return Suggestion(header=header, advice="the report names no directive")
    directive = _GOVERNING.get(effective, effective)
    blocked = (violation.blocked_url or "").strip()
    keyword = blocked.lower()
    if keyword == "inline":
        return Suggestion(
            header=header,
            directive=directive,
            source="'unsafe-inline'",
            recommended=False,
            advice=_inline_advice(effective),
        )
    if keyword == "eval":
        return Suggestion(
            header=header,
            directive=directive,
            source="'unsafe-eval'",
            recommended=False,
            advice="code calls eval(), new Function() or setTimeout with a string; rewrite it "
            "('unsafe-eval' would allow it, but is not recommended)",
        )
    if keyword == "wasm-eval":
        return _add(header, effective, directive, "'wasm-unsafe-eval'")
    if keyword == "trusted-types-policy":
        name = violation.sample or ""
        if _TT_NAME.fullmatch(name):
            return Suggestion(
                header=header,
                directive="trusted-types",
                source=name,
                advice=f"add {name} to trusted-types if the code that creates the policy is yours",
            )
        return Suggestion(header=header, advice="a Trusted Types policy name was refused")
    if keyword == "trusted-types-sink":
        return Suggestion(
            header=header,
            directive="require-trusted-types-for",
            advice="a string reached a DOM sink (see the sample); pass a value made by a "
            "Trusted Types policy instead, or add a default policy",
        )
    scheme = keyword.partition(":")[0]
    if scheme in _EXTENSION_SCHEMES:
        return Suggestion(advice="a browser extension; nothing to change")
    if scheme in _SCHEMES:
        if scheme == "data" and directive in _NO_DATA:
            return Suggestion(
                header=header,
                directive=directive,
                source="data:",
                recommended=False,
                advice="serve it from a URL instead (data: would allow it, but is not "
                f"recommended in {directive}: it lets injected markup run)",
            )
        return _add(header, effective, directive, f"{scheme}:")
    origin = _origin(blocked)
    if origin is None:
        what = f"{clean_text(blocked, 100)} is not a" if blocked else "the report names no"
        return Suggestion(header=header, advice=f"{what} URL or keyword that a policy can allow")
    if origin == _origin(violation.document_url):
        return _add(header, effective, directive, "'self'")
    if origin.startswith("http://") and violation.document_url.lower().startswith("https://"):
        return Suggestion(
            header=header,
            directive=directive,
            source=origin,
            recommended=False,
            advice=f"load it from https://{origin[7:]} instead (browsers block or upgrade "
            "http:// resources on https:// pages)",
        )
    return _add(header, effective, directive, origin)


def _add(header: str, effective: str, directive: str, source: str) -> Suggestion:
    spec = BY_NAME.get(directive)
    if spec is None or spec.kind not in _EXTENDABLE:
        return Suggestion(
            header=header,
            directive=directive,
            advice=f"{directive} is not a source list a config file can extend",
        )
    kept, notes, text = judge_source(directive, source)
    if kept is None or notes:
        return Suggestion(
            header=header, directive=directive, advice=f"{source} cannot be named in {directive}"
        )
    advice = f"add {text} to {directive}"
    if effective != directive:
        advice += f" (or to {effective} if the policy sets it)"
    return Suggestion(header=header, directive=directive, source=text, advice=advice)


def _inline_advice(effective: str) -> str:
    if effective == "script-src-attr":
        advice = "an event handler attribute or javascript: URL; move the code into a "
        advice += f"<script {_NONCE}> that calls addEventListener"
    elif effective == "style-src-attr":
        advice = f"a style attribute; move it into a stylesheet or a <style {_NONCE}>"
    elif effective.startswith("style-src"):
        advice = f"an inline <style>; add {_NONCE} or allow its hash"
    else:
        advice = f"an inline <script>; add {_NONCE} or allow its hash"
    return f"{advice} ({_UNSAFE_INLINE})"


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if not scheme or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    origin = f"{scheme}://{host}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        origin += f":{port}"
    return origin


def _blocked(violation: Violation) -> str:
    """What to show as blocked: a URL's origin, a scheme or a keyword."""
    blocked = (violation.blocked_url or "").strip()
    scheme = blocked.partition(":")[0].lower()
    if scheme in _SCHEMES:
        return scheme
    return _origin(blocked) or clean_text(blocked, 200)
