"""The report receiver: a blueprint with one POST endpoint, hardened for internet input.

Statuses: 204 reports taken, 400 not a report, 405 not POST, 413 body over the limit
(checked while reading), 415 not a report media type. The answer never holds request data,
and the view neither reads nor sets cookies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from secheaders.reports.delivery import LOGGER_NAME, ReportDelivery
from secheaders.reports.models import ReportError, read_reports, report_media_type

BLUEPRINT = "secheaders_reports"
_CHUNK = 16 * 1024
_log = logging.getLogger(LOGGER_NAME)


class _TooLargeError(ReportError):
    status = 413


@dataclass
class ReportReceiver:
    """One app's receiver: its limits and where its reports go.

    ``delivery.stats`` counts, per app: ``delivered``, ``duplicates``, ``invalid``,
    ``unsupported``, ``truncated``, ``callback_errors``, ``callback_dropped``,
    ``log_errors`` and ``rejected_<status>`` for refused requests.
    """

    path: str
    max_body: int
    max_reports: int
    delivery: ReportDelivery = field(repr=False)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until callbacks have every report delivered so far (tests, shutdown)."""
        return self.delivery.flush(timeout)


def reports_blueprint(path: str) -> Blueprint:
    """The blueprint serving ``path`` (registered on each app that reports to itself)."""
    blueprint = Blueprint(BLUEPRINT, __name__)
    blueprint.add_url_rule(
        path, "receive", receive_reports, methods=["POST"], provide_automatic_options=False
    )
    return blueprint


def exempt_from_csrf(app: Flask) -> None:
    """Tell Flask-WTF's CSRFProtect (when the app has one) to leave the receiver alone.

    Runs first among the app's ``before_request`` hooks, so it works whichever extension was
    set up first; browsers post reports without any token.
    """
    if request.blueprint == BLUEPRINT:
        csrf = app.extensions.get("csrf")
        exempt = getattr(csrf, "exempt", None)
        if exempt is not None:
            exempt(app.blueprints[BLUEPRINT])


def receive_reports() -> Response:
    """Read, check and deliver the reports of one POST."""
    from . import EXTENSION

    receiver: ReportReceiver = current_app.extensions[EXTENSION].receiver
    try:
        report_media_type(request.content_type)  # 415 before reading the body
        body = _read_body(receiver.max_body)
        batch = read_reports(
            body,
            request.content_type,
            max_reports=receiver.max_reports,
            user_agent=request.headers.get("User-Agent"),
        )
    except ReportError as exc:
        receiver.delivery.count(f"rejected_{exc.status}")
        _log.info("report request refused (%d): %s", exc.status, exc)
        return _answer(exc.status)
    except Exception:  # a bug here must still not answer 5xx to an open endpoint
        receiver.delivery.count("rejected_400")
        _log.exception("report request could not be read")
        return _answer(400)
    receiver.delivery.deliver(batch)
    return _answer(204)


def _read_body(limit: int) -> bytes:
    """At most ``limit`` bytes of the body; over it raises before reading the rest."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise _TooLargeError(f"Content-Length {declared} is over the {limit}-byte limit")
    stream: Any = request.stream
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise _TooLargeError(f"the body is over the {limit}-byte limit")
        chunks.append(chunk)


class _CookielessResponse(Response):
    """A response that sets no cookie: Flask's session saving (and any extension that
    refreshes a cookie after the view) finds nothing to write to."""

    def set_cookie(self, *args: Any, **kwargs: Any) -> None:
        """Ignored: the report endpoint sets no cookies."""

    def delete_cookie(self, *args: Any, **kwargs: Any) -> None:
        """Ignored: the report endpoint sets no cookies."""


def _answer(status: int) -> Response:
    response = _CookielessResponse(status=status)
    if status == 405:
        response.headers["Allow"] = "POST"
    response.headers["Cache-Control"] = "no-store"
    return response
