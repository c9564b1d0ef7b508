"""Browser violation reports: the wire formats, read into one :class:`Violation` model.

Two formats arrive at a report endpoint:

* the legacy CSP ``report-uri`` body, ``{"csp-report": {...}}`` (``application/csp-report``);
* the Reporting API, a list of ``{"type", "age", "url", "user_agent", "body"}`` objects
  (``application/reports+json``), for CSP and for COEP, COOP, Permissions-Policy, deprecation
  and intervention reports.

Every report is attacker-controlled text. Strings are shortened to :data:`MAX_TEXT` characters
and control characters (and the Unicode characters that reorder or break lines) are escaped,
so a value can be logged or shown as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

__all__ = [
    "MAX_TEXT",
    "REPORT_MEDIA_TYPES",
    "MalformedReportError",
    "ReportBatch",
    "ReportError",
    "UnsupportedMediaTypeError",
    "Violation",
    "clean_text",
    "read_reports",
]

#: Longest string kept from a report; longer ones are cut and end with ``…``.
MAX_TEXT = 4096
#: Media types a report endpoint accepts (parameters such as ``charset`` are ignored).
REPORT_MEDIA_TYPES = ("application/csp-report", "application/reports+json", "application/json")

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """``value`` safe to log: control, line-breaking and bidi characters escaped, and cut
    to ``limit`` characters."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return _UNSAFE.sub(_escape, value)


def _text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _disposition(value: Any) -> Any:
    # COEP and COOP say "reporting" where CSP and Permissions-Policy say "report".
    return "report" if value == "reporting" else value


Text = Annotated[str, BeforeValidator(_text)]
Count = Annotated[int, Field(ge=0, le=2**31)]
Disposition = Annotated[Literal["enforce", "report"], BeforeValidator(_disposition)]


class Violation(BaseModel):
    """One report, whatever its format, with the fields every consumer needs.

    ``directive`` says what was violated: the CSP effective directive (``script-src-elem``),
    the Permissions-Policy feature (``camera``), the COEP or COOP violation kind (``corp``,
    ``navigation-to-response``), or the deprecation or intervention id. ``blocked_url`` is the
    blocked resource: a URL, a scheme (``data``) or a keyword (``inline``, ``eval``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Text
    document_url: Text = ""
    directive: Text | None = None
    blocked_url: Text | None = None
    disposition: Disposition | None = None
    referrer: Text | None = None
    original_policy: Text | None = None
    source_file: Text | None = None
    line_number: Count | None = None
    column_number: Count | None = None
    status_code: Count | None = None
    sample: Text | None = None
    destination: Text | None = None
    message: Text | None = None
    user_agent: Text | None = None
    age: Count | None = None
    format: Literal["csp-report", "reports+json"] = "reports+json"

    def key(self) -> tuple[str, str, str | None, str | None, str | None]:
        """What makes two reports the same for flood control."""
        return (self.type, self.document_url, self.directive, self.blocked_url, self.disposition)

    def summary(self) -> str:
        """One line for a log: ``csp-violation script-src-elem blocked inline on URL (enforce)``."""
        parts = [self.type]
        if self.directive:
            parts.append(self.directive)
        if self.blocked_url:
            parts.append(f"blocked {self.blocked_url}")
        if self.document_url:
            parts.append(f"on {self.document_url}")
        if self.disposition:
            parts.append(f"({self.disposition})")
        return " ".join(parts)


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    report_type: ClassVar[str]

    def violation(self, envelope: _Envelope) -> Violation:
        raise NotImplementedError


class _LegacyCspReport(_Body):
    """The ``csp-report`` object of a ``report-uri`` body (hyphenated names)."""

    report_type: ClassVar[str] = "csp-violation"
    document_uri: Text = Field(alias="document-uri")
    referrer: Text | None = None
    blocked_uri: Text | None = Field(None, alias="blocked-uri")
    effective_directive: Text | None = Field(None, alias="effective-directive")
    violated_directive: Text | None = Field(None, alias="violated-directive")
    original_policy: Text | None = Field(None, alias="original-policy")
    disposition: Disposition | None = None
    status_code: Count | None = Field(None, alias="status-code")
    script_sample: Text | None = Field(None, alias="script-sample")
    source_file: Text | None = Field(None, alias="source-file")
    line_number: Count | None = Field(None, alias="line-number")
    column_number: Count | None = Field(None, alias="column-number")

    def to_violation(self, user_agent: str | None) -> Violation:
        # Old browsers put the whole directive ("script-src 'self'") in violated-directive.
        violated = (self.violated_directive or "").split(" ", 1)[0] or None
        return Violation(
            type=self.report_type,
            format="csp-report",
            document_url=self.document_uri,
            directive=self.effective_directive or violated,
            blocked_url=self.blocked_uri,
            disposition=self.disposition,
            referrer=self.referrer or None,
            original_policy=self.original_policy,
            source_file=self.source_file,
            line_number=self.line_number,
            column_number=self.column_number,
            status_code=self.status_code,
            sample=self.script_sample or None,
            user_agent=user_agent,
        )


class _Envelope(BaseModel):
    """One Reporting API report: the common fields around a type-specific body."""

    model_config = ConfigDict(extra="ignore")

    type: str
    url: Text = ""
    age: Count | None = None
    user_agent: Text | None = None
    body: dict[str, Any]


class _LocatedBody(_Body):
    """A body that says where in the page's code the report came from."""

    sourceFile: Text | None = None  # noqa: N815 - the wire names
    lineNumber: Count | None = None  # noqa: N815
    columnNumber: Count | None = None  # noqa: N815

    def _location(self) -> dict[str, Any]:
        return {
            "source_file": self.sourceFile,
            "line_number": self.lineNumber,
            "column_number": self.columnNumber,
        }


class _CspBody(_LocatedBody):
    report_type: ClassVar[str] = "csp-violation"
    documentURL: Text  # noqa: N815 - the wire names
    referrer: Text | None = None
    blockedURL: Text | None = None  # noqa: N815
    effectiveDirective: Text  # noqa: N815
    originalPolicy: Text | None = None  # noqa: N815
    sample: Text | None = None
    disposition: Disposition | None = None
    statusCode: Count | None = None  # noqa: N815

    def violation(self, envelope: _Envelope) -> Violation:
        return _from_envelope(
            envelope,
            document_url=self.documentURL or envelope.url,
            directive=self.effectiveDirective,
            blocked_url=self.blockedURL,
            disposition=self.disposition,
            referrer=self.referrer or None,
            original_policy=self.originalPolicy,
            **self._location(),
            status_code=self.statusCode,
            sample=self.sample or None,
        )


class _CoepBody(_Body):
    report_type: ClassVar[str] = "coep"
    type: Text  # corp, navigation, worker initialization
    blockedURL: Text | None = None  # noqa: N815
    destination: Text | None = None
    disposition: Disposition | None = None

    def violation(self, envelope: _Envelope) -> Violation:
        return _from_envelope(
            envelope,
            directive=self.type,
            blocked_url=self.blockedURL,
            destination=self.destination,
            disposition=self.disposition,
        )


class _CoopBody(_LocatedBody):
    report_type: ClassVar[str] = "coop"
    type: Text  # navigation-to-response, access-from-coop-page-to-opener, ...
    disposition: Disposition | None = None
    effectivePolicy: Text | None = None  # noqa: N815
    referrer: Text | None = None
    property: Text | None = None
    previousResponseURL: Text | None = None  # noqa: N815
    nextResponseURL: Text | None = None  # noqa: N815
    openerURL: Text | None = None  # noqa: N815
    openeeURL: Text | None = None  # noqa: N815
    otherDocumentURL: Text | None = None  # noqa: N815

    def violation(self, envelope: _Envelope) -> Violation:
        other = (
            self.previousResponseURL
            or self.nextResponseURL
            or self.otherDocumentURL
            or self.openeeURL
            or self.openerURL
        )
        return _from_envelope(
            envelope,
            directive=self.type,
            blocked_url=other or None,
            disposition=self.disposition,
            referrer=self.referrer or None,
            original_policy=self.effectivePolicy,
            message=f"property {self.property}" if self.property else None,
            **self._location(),
        )


class _PermissionsPolicyBody(_LocatedBody):
    report_type: ClassVar[str] = "permissions-policy-violation"
    featureId: Text  # noqa: N815
    disposition: Disposition | None = None
    message: Text | None = None

    def violation(self, envelope: _Envelope) -> Violation:
        return _from_envelope(
            envelope,
            directive=self.featureId,
            disposition=self.disposition,
            message=self.message,
            **self._location(),
        )


class _NoticeBody(_LocatedBody):
    """Deprecation and intervention reports: a browser notice, not a policy violation."""

    id: Text
    message: Text | None = None

    def violation(self, envelope: _Envelope) -> Violation:
        return _from_envelope(
            envelope,
            directive=self.id,
            message=self.message,
            **self._location(),
        )


class _DeprecationBody(_NoticeBody):
    report_type: ClassVar[str] = "deprecation"


class _InterventionBody(_NoticeBody):
    report_type: ClassVar[str] = "intervention"


_BODIES: dict[str, type[_Body]] = {
    body.report_type: body
    for body in (
        _CspBody,
        _CoepBody,
        _CoopBody,
        _PermissionsPolicyBody,
        _DeprecationBody,
        _InterventionBody,
    )
}


def _from_envelope(envelope: _Envelope, **fields: Any) -> Violation:
    fields.setdefault("document_url", envelope.url)
    return Violation(
        type=envelope.type,
        user_agent=envelope.user_agent,
        age=envelope.age,
        **fields,
    )


class ReportError(ValueError):
    """A request body that is not a report; ``status`` is the HTTP status to answer with."""

    status: ClassVar[int] = 400


class UnsupportedMediaTypeError(ReportError):
    """The Content-Type is not one a browser sends reports with."""

    status: ClassVar[int] = 415


class MalformedReportError(ReportError):
    """Not UTF-8, not JSON, or no report in it that fits the formats."""

    status: ClassVar[int] = 400


@dataclass
class ReportBatch:
    """What one request body held.

    ``violations`` are the reports read; ``invalid`` counts items that did not fit their
    format, ``unsupported`` items of a report type not read here (``network-error``, say), and
    ``truncated`` items past the per-request limit, which were not looked at.
    """

    violations: list[Violation] = field(default_factory=list)
    invalid: int = 0
    unsupported: int = 0
    truncated: int = 0


def media_type(content_type: str | None) -> str:
    """The lowercase media type of a Content-Type value, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def report_media_type(content_type: str | None) -> str:
    """The media type of ``content_type`` when it is one reports are sent with; raises
    :class:`UnsupportedMediaTypeError` otherwise."""
    kind = media_type(content_type)
    if kind not in REPORT_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            f"Content-Type {clean_text(kind, 100) or '(none)'} is not one of "
            + ", ".join(REPORT_MEDIA_TYPES)
        )
    return kind


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _load(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedReportError("the body is not UTF-8") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise MalformedReportError("the JSON is nested too deeply") from None
    except ValueError as exc:
        raise MalformedReportError(f"the body is not JSON ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return clean_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 200)


def _read_legacy(data: dict[str, Any], user_agent: str | None) -> ReportBatch:
    report = data.get("csp-report")
    if not isinstance(report, dict):
        raise MalformedReportError('a report-uri body is {"csp-report": {...}}')
    try:
        violation = _LegacyCspReport.model_validate(report).to_violation(user_agent)
    except ValidationError as exc:
        raise MalformedReportError(f"csp-report: {_schema_problem(exc)}") from None
    return ReportBatch([violation])


def _read_list(items: list[Any], max_reports: int) -> ReportBatch:
    if not items:
        raise MalformedReportError("the report list is empty")
    batch = ReportBatch(truncated=max(0, len(items) - max_reports))
    problem = ""
    for item in items[:max_reports]:
        try:
            envelope = _Envelope.model_validate(item)
            body_model = _BODIES.get(envelope.type)
            if body_model is None:
                batch.unsupported += 1
                continue
            batch.violations.append(body_model.model_validate(envelope.body).violation(envelope))
        except ValidationError as exc:
            batch.invalid += 1
            problem = problem or _schema_problem(exc)
    if not batch.violations and not batch.unsupported:
        raise MalformedReportError(f"no report in the list fits its format: {problem}")
    return batch


def _schema_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "report"
    return clean_text(f"{where}: {error['msg']}", 200)


def read_reports(
    body: bytes,
    content_type: str | None,
    *,
    max_reports: int = 100,
    user_agent: str | None = None,
) -> ReportBatch:
    """Read a report request body sent with ``content_type``.

    Raises :class:`UnsupportedMediaTypeError` for a media type browsers do not send reports
    with, and :class:`MalformedReportError` for a body that holds no usable report. A list
    with some bad items keeps the good ones and counts the rest. ``user_agent`` (the request's
    User-Agent) is recorded on legacy reports, whose body lacks one.
    """
    kind = report_media_type(content_type)
    data = _load(body)
    agent = clean_text(user_agent, 512) if user_agent else None
    if isinstance(data, dict) and kind != "application/reports+json":
        if "csp-report" in data or kind == "application/csp-report":
            return _read_legacy(data, agent)
        return _read_list([data], max_reports)  # one Reporting API report, unwrapped
    if isinstance(data, list) and kind != "application/csp-report":
        return _read_list(data, max_reports)
    expected = (
        'an object {"csp-report": {...}}'
        if kind == "application/csp-report"
        else "a list of reports"
    )
    raise MalformedReportError(f"a {kind} body must be {expected}")
