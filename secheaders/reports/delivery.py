"""Delivering reports: flood control, the ``secheaders.reports`` logger and callbacks.

Each callback runs on its own worker thread with a bounded queue, so a slow callback delays
only itself, a failing one is logged and skipped, and neither slows the request that carried
the report.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import threading
import time
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from .models import ReportBatch, Violation, clean_text

__all__ = ["LOGGER_NAME", "Deduplicator", "JsonLinesFormatter", "ReportDelivery"]

LOGGER_NAME = "secheaders.reports"
_KEY_TEXT = 512  # longest key field kept for a repeat summary
ReportCallback = Callable[[Violation], object]
_NOTICES = ("deprecation", "intervention")


class Deduplicator:
    """Counts reports already seen inside ``window`` seconds instead of passing them on.

    At most ``max_tracked`` distinct reports are remembered, oldest first out, whatever the
    input; only their key fields (each cut to 512 characters) are kept. A report that falls
    out (its window ended, or room was needed) and had repeats is returned by the next
    :meth:`admit` or :meth:`drain` as ``(key fields, repeats)`` so the count is not lost.
    """

    def __init__(
        self,
        window: float = 60.0,
        max_tracked: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.max_tracked = max_tracked
        self._clock = clock
        self._seen: OrderedDict[tuple[Any, ...], list[Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def admit(self, violation: Violation) -> tuple[bool, list[tuple[dict[str, Any], int]]]:
        """Whether ``violation`` is new (to be delivered), and the repeat counts now due."""
        if self.window <= 0:
            return True, []
        key = violation.key()
        now = self._clock()
        with self._lock:
            due = self._expire(now)
            entry = self._seen.get(key)
            if entry is not None:
                entry[1] += 1
                return False, due
            self._seen[key] = [now, 0, _key_fields(violation)]
            while len(self._seen) > self.max_tracked:
                _, (_, repeats, fields) = self._seen.popitem(last=False)
                if repeats:
                    due.append((fields, repeats))
            return True, due

    def drain(self, everything: bool = False) -> list[tuple[dict[str, Any], int]]:
        """Repeat counts whose window has ended (or all of them, forgetting every report)."""
        with self._lock:
            return self._expire(float("inf") if everything else self._clock())

    def _expire(self, now: float) -> list[tuple[dict[str, Any], int]]:
        due = []
        while self._seen:
            first_key = next(iter(self._seen))
            started, repeats, fields = self._seen[first_key]
            if now - started < self.window:
                break
            del self._seen[first_key]
            if repeats:
                due.append((fields, repeats))
        return due


def _key_fields(violation: Violation) -> dict[str, Any]:
    return {
        "type": violation.type,
        "document_url": clean_text(violation.document_url, _KEY_TEXT),
        "directive": violation.directive,
        "blocked_url": clean_text(violation.blocked_url, _KEY_TEXT)
        if violation.blocked_url
        else None,
        "disposition": violation.disposition,
    }


class _CallbackWorker:
    """One callback, its queue and the thread that feeds it (restarted after a fork)."""

    def __init__(self, callback: ReportCallback, delivery: ReportDelivery, size: int) -> None:
        self.callback = callback
        self.name = getattr(callback, "__qualname__", repr(callback))
        self._delivery = weakref.ref(delivery)
        self._size = size
        self._pid = -1
        self._queue: queue.Queue[Violation] = queue.Queue(size)
        self._lock = threading.Lock()

    def put(self, violation: Violation) -> bool:
        if self._pid != os.getpid():
            self._start()
        try:
            self._queue.put_nowait(violation)
        except queue.Full:
            return False
        return True

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._queue = queue.Queue(self._size)  # a forked child starts empty
            thread = threading.Thread(
                target=self._run, name=f"secheaders-report-{self.name}", daemon=True
            )
            thread.start()
            self._pid = os.getpid()

    def _run(self) -> None:
        work = self._queue
        while True:
            violation = work.get()
            try:
                self.callback(violation)
            except Exception:
                delivery = self._delivery()
                if delivery is not None:
                    delivery.count("callback_errors")
                logging.getLogger(LOGGER_NAME).exception("report callback %s failed", self.name)
            finally:
                work.task_done()

    def wait(self, deadline: float) -> bool:
        work = self._queue
        with work.all_tasks_done:
            while work.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                work.all_tasks_done.wait(left)
        return True


class ReportDelivery:
    """Passes read reports on: once each inside the flood-control window, to the logger and
    to every callback. ``stats`` counts what happened (see the docs for the names)."""

    def __init__(
        self,
        *,
        dedupe_window: float = 60.0,
        max_tracked: int = 4096,
        queue_size: int = 10_000,
        logger: logging.Logger | None = None,
    ) -> None:
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        self.dedupe = Deduplicator(dedupe_window, max_tracked)
        self.queue_size = queue_size
        self.stats: Counter[str] = Counter()
        self._workers: list[_CallbackWorker] = []
        self._lock = threading.Lock()
        atexit.register(_flush_at_exit, weakref.ref(self))

    def add_callback(self, callback: ReportCallback) -> None:
        """Call ``callback(violation)`` for every delivered report, on a worker thread."""
        if not callable(callback):
            raise TypeError(f"a report callback must be callable, not {callback!r}")
        self._workers.append(_CallbackWorker(callback, self, self.queue_size))

    def count(self, name: str, amount: int = 1) -> None:
        """Add to one of the ``stats`` counters (thread-safe)."""
        if not amount:
            return
        with self._lock:
            self.stats[name] += amount

    def deliver(self, batch: ReportBatch) -> int:
        """Deliver the new reports of ``batch``; returns how many were delivered."""
        if batch.truncated:
            self.count("truncated", batch.truncated)
            self._log(
                logging.WARNING,
                "report batch cut: %d reports over the per-request limit were dropped",
                batch.truncated,
                extra={"dropped": batch.truncated},
            )
        self.count("invalid", batch.invalid)
        self.count("unsupported", batch.unsupported)
        delivered = 0
        for violation in batch.violations:
            new, due = self.dedupe.admit(violation)
            self._log_repeats(due)
            if not new:
                self.count("duplicates")
                continue
            delivered += 1
            self._log(
                logging.INFO if violation.type in _NOTICES else logging.WARNING,
                "%s",
                violation.summary(),
                extra={"report": violation.model_dump(mode="json"), "count": 1},
            )
            for worker in self._workers:
                if not worker.put(violation):
                    self.count("callback_dropped")
        self.count("delivered", delivered)
        return delivered

    def flush(self, timeout: float = 5.0, *, everything: bool = False) -> bool:
        """Log the repeat counts now due (``everything``: all of them, as at exit) and wait
        for the callbacks to catch up; ``False`` if they did not within ``timeout`` seconds."""
        self._log_repeats(self.dedupe.drain(everything))
        deadline = time.monotonic() + timeout
        return all(worker.wait(deadline) for worker in self._workers)

    def _log_repeats(self, due: list[tuple[dict[str, Any], int]]) -> None:
        for fields, repeats in due:
            self._log(
                logging.INFO,
                "%s repeated %d more times",
                fields["type"],
                repeats,
                extra={"report": fields, "count": repeats},
            )

    def _log(self, level: int, message: str, *args: Any, extra: Mapping[str, Any]) -> None:
        try:
            self.logger.log(level, message, *args, extra=extra)
        except Exception:  # a broken handler or filter must not fail the request
            self.count("log_errors")


def _flush_at_exit(ref: weakref.ref[ReportDelivery]) -> None:
    delivery = ref()
    if delivery is not None:
        delivery.flush(timeout=2.0, everything=True)


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record: ``time``, ``level``, ``logger``, ``message`` and, for
    report records, ``report`` (the :class:`Violation` fields) and ``count``. The input of
    ``secheaders reports summarize``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": clean_text(record.getMessage()),
        }
        for name in ("report", "count", "dropped"):
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["error"] = clean_text(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=True, default=str)
