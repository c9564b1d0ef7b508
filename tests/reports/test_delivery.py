"""Flood control, logging and callbacks."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator

import pytest

from secheaders.reports import ReportBatch, Violation
from secheaders.reports.delivery import Deduplicator, JsonLinesFormatter, ReportDelivery


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def violation(blocked: str = "https://x.example/", disposition: str = "enforce") -> Violation:
    return Violation.model_validate(
        {
            "type": "csp-violation",
            "document_url": "https://app.example/",
            "directive": "img-src",
            "blocked_url": blocked,
            "disposition": disposition,
        }
    )


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    logger = logging.getLogger("secheaders.reports")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def test_duplicates_inside_the_window_are_counted_then_reported_once() -> None:
    clock = Clock()
    dedupe = Deduplicator(window=60, clock=clock)
    assert dedupe.admit(violation()) == (True, [])
    assert dedupe.admit(violation())[0] is False
    assert dedupe.admit(violation())[0] is False
    assert dedupe.admit(violation(disposition="report"))[0] is True  # another disposition
    clock.now = 61
    new, due = dedupe.admit(violation())
    assert new is True  # the window ended: delivered again
    assert [(fields["disposition"], repeats) for fields, repeats in due] == [("enforce", 2)]


def test_memory_is_bounded_and_evicted_repeats_are_not_lost() -> None:
    dedupe = Deduplicator(window=3600, max_tracked=100, clock=Clock())
    dedupe.admit(violation("https://first.example/"))
    dedupe.admit(violation("https://first.example/"))
    due = []
    for i in range(10_000):
        due += dedupe.admit(violation(f"https://h{i}.example/"))[1]
    assert len(dedupe) == 100
    assert [(fields["blocked_url"], repeats) for fields, repeats in due] == [
        ("https://first.example/", 1)
    ]


def test_key_fields_kept_for_repeats_are_short() -> None:
    dedupe = Deduplicator(window=10, clock=Clock())
    long_one = violation("https://x.example/" + "a" * 3000)
    dedupe.admit(long_one)
    dedupe.admit(long_one)
    ((fields, repeats),) = dedupe.drain(everything=True)
    assert repeats == 1
    assert len(fields["blocked_url"]) == 512


def test_zero_window_turns_flood_control_off() -> None:
    dedupe = Deduplicator(window=0)
    assert dedupe.admit(violation())[0]
    assert dedupe.admit(violation())[0]


def test_delivery_logs_with_structured_extra_and_counts(records: Records) -> None:
    delivery = ReportDelivery()
    batch = ReportBatch([violation(), violation(), violation("inline")], invalid=2, truncated=3)
    assert delivery.deliver(batch) == 2
    logged = [r for r in records.records if hasattr(r, "report")]
    assert [r.getMessage() for r in logged] == [
        "csp-violation img-src blocked https://x.example/ on https://app.example/ (enforce)",
        "csp-violation img-src blocked inline on https://app.example/ (enforce)",
    ]
    assert logged[0].levelno == logging.WARNING
    assert logged[0].report["blocked_url"] == "https://x.example/"
    assert any(getattr(r, "dropped", 0) == 3 for r in records.records)
    assert delivery.stats == {"delivered": 2, "duplicates": 1, "invalid": 2, "truncated": 3}


def test_flush_logs_the_repeat_counts(records: Records) -> None:
    delivery = ReportDelivery(dedupe_window=0.05)
    delivery.deliver(ReportBatch([violation()] * 4))
    time.sleep(0.06)
    delivery.flush()
    (repeat,) = [r for r in records.records if getattr(r, "count", 1) > 1]
    assert repeat.count == 3  # type: ignore[attr-defined]
    assert repeat.getMessage() == "csp-violation repeated 3 more times"


def test_flush_everything_logs_repeats_still_inside_their_window(records: Records) -> None:
    delivery = ReportDelivery(dedupe_window=3600)
    delivery.deliver(ReportBatch([violation()] * 3))
    delivery.flush()
    assert not [r for r in records.records if getattr(r, "count", 1) > 1]  # window still open
    delivery.flush(everything=True)  # as at exit
    (repeat,) = [r for r in records.records if getattr(r, "count", 1) > 1]
    assert repeat.count == 2  # type: ignore[attr-defined]


def test_a_failing_callback_is_logged_and_the_others_still_get_every_report(
    records: Records,
) -> None:
    delivery = ReportDelivery(dedupe_window=0)
    got: list[Violation] = []

    def broken(_: Violation) -> None:
        raise RuntimeError("callback bug")

    delivery.add_callback(broken)
    delivery.add_callback(got.append)
    delivery.deliver(ReportBatch([violation(f"https://{i}.example/") for i in range(5)]))
    assert delivery.flush(timeout=5)
    assert len(got) == 5
    assert delivery.stats["callback_errors"] == 5
    assert any(r.exc_info and "broken" in r.getMessage() for r in records.records)


def test_a_slow_callback_does_not_hold_up_delivery_or_the_other_callbacks() -> None:
    delivery = ReportDelivery(dedupe_window=0)
    release = threading.Event()
    got: list[Violation] = []
    delivery.add_callback(lambda _: release.wait(10))
    delivery.add_callback(got.append)
    started = time.monotonic()
    delivery.deliver(ReportBatch([violation(f"https://{i}.example/") for i in range(50)]))
    assert time.monotonic() - started < 1  # the request does not wait for callbacks
    deadline = time.monotonic() + 5
    while len(got) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(got) == 50
    assert delivery.flush(timeout=0.05) is False  # the slow one is still busy
    release.set()
    assert delivery.flush(timeout=5)


def test_a_full_callback_queue_drops_and_counts() -> None:
    delivery = ReportDelivery(dedupe_window=0, queue_size=2)
    release = threading.Event()
    delivery.add_callback(lambda _: release.wait(10))
    delivery.deliver(ReportBatch([violation(f"https://{i}.example/") for i in range(10)]))
    release.set()
    assert delivery.flush(timeout=5)
    assert 6 <= delivery.stats["callback_dropped"] <= 8


def test_a_broken_log_handler_does_not_fail_delivery() -> None:
    class Broken(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            raise RuntimeError("filter bug")

    logger = logging.getLogger("test.broken-reports")
    logger.addFilter(Broken())
    delivery = ReportDelivery(logger=logger)
    assert delivery.deliver(ReportBatch([violation()])) == 1
    assert delivery.stats["log_errors"] == 1


def test_add_callback_needs_a_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        ReportDelivery().add_callback("not a function")  # type: ignore[arg-type]


def test_json_lines_formatter() -> None:
    hostile = violation("https://x.example/\\x0d\\x0aforged")
    record = logging.LogRecord(
        "secheaders.reports", logging.WARNING, "f", 1, "%s", (hostile.summary() + "\n\x1b",), None
    )
    record.report = hostile.model_dump(mode="json")
    record.count = 1
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING"
    assert data["logger"] == "secheaders.reports"
    assert data["message"].endswith("(enforce)\\x0a\\x1b")
    assert data["report"]["directive"] == "img-src"
    assert data["count"] == 1
    assert data["time"].endswith("+00:00")
