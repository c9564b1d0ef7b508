"""Violation reports: reading what browsers send, delivering it, and summarising it.

Nothing here imports Flask; :mod:`secheaders.flask` mounts the receiver.
"""

from __future__ import annotations

from .delivery import LOGGER_NAME, Deduplicator, JsonLinesFormatter, ReportDelivery
from .models import (
    MAX_TEXT,
    REPORT_MEDIA_TYPES,
    MalformedReportError,
    ReportBatch,
    ReportError,
    UnsupportedMediaTypeError,
    Violation,
    clean_text,
    read_reports,
)

__all__ = [
    "LOGGER_NAME",
    "MAX_TEXT",
    "REPORT_MEDIA_TYPES",
    "Deduplicator",
    "JsonLinesFormatter",
    "MalformedReportError",
    "ReportBatch",
    "ReportDelivery",
    "ReportError",
    "UnsupportedMediaTypeError",
    "Violation",
    "clean_text",
    "read_reports",
]
