"""Reading report bodies: real browser bodies, both formats, and hostile input."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secheaders.reports import (
    MAX_TEXT,
    MalformedReportError,
    UnsupportedMediaTypeError,
    Violation,
    clean_text,
    read_reports,
)

DATA = Path(__file__).parent.parent / "data" / "reports"


def body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def envelope(report_type: str = "csp-violation", **fields: Any) -> dict[str, Any]:
    report_body = {"documentURL": "https://app.example/", "effectiveDirective": "img-src"}
    report_body.update(fields)
    return {"type": report_type, "url": "https://app.example/", "body": report_body}


def test_chrome_legacy_report() -> None:
    batch = read_reports(body("chrome-csp-report.json"), "application/csp-report", user_agent="UA")
    assert batch.violations == [
        Violation(
            type="csp-violation",
            format="csp-report",
            document_url="https://app.example/page",
            directive="script-src-elem",
            blocked_url="inline",
            disposition="enforce",
            original_policy="default-src 'self'; script-src 'nonce-0bWmGz4w3Rq4sXlZJd8k' "
            "'strict-dynamic'; report-uri /_secheaders/reports",
            source_file="https://app.example/page",
            line_number=12,
            column_number=5,
            status_code=200,
            user_agent="UA",
        )
    ]


def test_firefox_legacy_report_keeps_the_report_only_disposition() -> None:
    (violation,) = read_reports(
        body("firefox-csp-report.json"), "application/csp-report"
    ).violations
    assert violation.disposition == "report"
    assert violation.blocked_url == "https://cdn.other.example/lib.js"
    assert violation.referrer == "https://search.example/"


def test_old_safari_report_takes_the_directive_from_violated_directive() -> None:
    (violation,) = read_reports(body("safari-csp-report.json"), "application/csp-report").violations
    assert violation.directive == "img-src"
    assert violation.disposition is None


def test_reporting_api_batch_of_every_type() -> None:
    batch = read_reports(body("chrome-reports.json"), "application/reports+json")
    assert [(v.type, v.directive, v.blocked_url, v.disposition) for v in batch.violations] == [
        ("csp-violation", "script-src-elem", "inline", "enforce"),
        ("csp-violation", "script-src", "eval", "report"),
        ("coep", "corp", "https://third.example/img.png", "enforce"),
        ("coop", "navigation-to-response", "https://other.example/", "report"),
        ("permissions-policy-violation", "geolocation", None, "enforce"),
        ("deprecation", "UnloadHandler", None, None),
        ("intervention", "HeavyAdIntervention", None, None),
    ]
    assert batch.unsupported == 1  # the network-error report
    assert batch.invalid == batch.truncated == 0
    first, _, coep, coop, feature, deprecation, _ = batch.violations
    assert first.sample == 'console.log("lo")'
    assert first.age == 53531
    assert first.user_agent is not None
    assert "Chrome/142" in first.user_agent
    assert coep.destination == "image"
    assert coop.original_policy == "same-origin"
    assert feature.line_number == 20
    assert feature.message is not None
    assert deprecation.source_file == "https://app.example/legacy.js"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("chrome-csp-report.json", "csp-report"), ("chrome-reports.json", "reports+json")],
)
def test_application_json_takes_both_formats(name: str, expected: str) -> None:
    batch = read_reports(body(name), "application/json; charset=utf-8")
    assert batch.violations[0].format == expected


def test_application_json_takes_one_unwrapped_report() -> None:
    batch = read_reports(json.dumps(envelope()).encode(), "application/json")
    assert batch.violations[0].directive == "img-src"


def test_media_type_is_case_insensitive_and_parameters_are_ignored() -> None:
    batch = read_reports(body("chrome-reports.json"), "Application/Reports+JSON ; charset=UTF-8")
    assert len(batch.violations) == 7


def test_batch_over_the_limit_is_cut_with_a_count() -> None:
    items = [envelope(blockedURL=f"https://x{i}.example/") for i in range(7)]
    batch = read_reports(json.dumps(items).encode(), "application/reports+json", max_reports=5)
    assert len(batch.violations) == 5
    assert batch.truncated == 2


def test_bad_items_are_counted_and_good_ones_kept() -> None:
    items: list[Any] = [
        envelope(),
        "not an object",
        {"type": "csp-violation", "url": "https://app.example/"},  # no body
        envelope(effectiveDirective=["a list"]),
        envelope(lineNumber=-1),
        envelope(disposition="sometimes"),
    ]
    batch = read_reports(json.dumps(items).encode(), "application/reports+json")
    assert len(batch.violations) == 1
    assert batch.invalid == 5


@pytest.mark.parametrize(
    ("content_type", "raw", "error", "message"),
    [
        ("text/plain", b"{}", UnsupportedMediaTypeError, "Content-Type text/plain"),
        (None, b"{}", UnsupportedMediaTypeError, "(none)"),
        ("application/x-www-form-urlencoded", b"a=b", UnsupportedMediaTypeError, "not one of"),
        ("application/json", b"\xff\xfe{}", MalformedReportError, "not UTF-8"),
        ("application/json", b'{"csp-report": {"document-uri": "h', MalformedReportError, "JSON"),
        ("application/json", b"", MalformedReportError, "not JSON"),
        ("application/json", b"NaN", MalformedReportError, "not JSON"),
        ("application/json", b"[" * 100_000, MalformedReportError, "nested too deeply"),
        ("application/json", b"1" * 5000, MalformedReportError, "not JSON"),
        ("application/json", b"[]", MalformedReportError, "empty"),
        ("application/json", b'"a string"', MalformedReportError, "must be"),
        ("application/csp-report", b"[]", MalformedReportError, "csp-report"),
        ("application/csp-report", b'{"other": 1}', MalformedReportError, "csp-report"),
        ("application/csp-report", b'{"csp-report": []}', MalformedReportError, "csp-report"),
        ("application/csp-report", b'{"csp-report": {}}', MalformedReportError, "document-uri"),
        (
            "application/csp-report",
            b'{"csp-report": {"document-uri": 5}}',
            MalformedReportError,
            "document-uri",
        ),
        ("application/reports+json", b'{"csp-report": {}}', MalformedReportError, "a list"),
        ("application/reports+json", b"[1, 2]", MalformedReportError, "no report"),
        (
            "application/reports+json",
            b'[{"type": "csp-violation", "body": {"documentURL": "x"}}]',
            MalformedReportError,
            "effectiveDirective",
        ),
    ],
)
def test_bad_bodies(
    content_type: str | None, raw: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        read_reports(raw, content_type)
    assert message in str(caught.value)


def test_error_messages_do_not_carry_the_body() -> None:
    secret = "https://evil.example/\x1b[2J"
    raw = json.dumps([{"type": "csp-violation", "body": {"documentURL": secret}}]).encode()
    with pytest.raises(MalformedReportError) as caught:
        read_reports(raw, "application/reports+json")
    assert "evil" not in str(caught.value)


def test_control_characters_and_line_breaks_are_escaped() -> None:
    hostile = "https://app.example/\r\nFAKE LOG LINE\x1b[31m\u2028\u202e\x00\ud800"
    raw = json.dumps([envelope(blockedURL=hostile)]).encode()
    (violation,) = read_reports(raw, "application/reports+json").violations
    assert violation.blocked_url == (
        "https://app.example/\\x0d\\x0aFAKE LOG LINE\\x1b[31m\\u2028\\u202e\\x00\\ud800"
    )
    violation.model_dump_json()  # a lone surrogate would fail to encode


def test_huge_strings_are_cut() -> None:
    raw = json.dumps([envelope(blockedURL="a" * 50_000, sample="b" * 50_000)]).encode()
    (violation,) = read_reports(raw, "application/reports+json").violations
    assert violation.blocked_url is not None
    assert len(violation.blocked_url) == MAX_TEXT
    assert violation.blocked_url.endswith("…")


def test_clean_text_leaves_ordinary_text_alone() -> None:
    assert clean_text("https://app.example/ü?q=1 2") == "https://app.example/ü?q=1 2"


@given(st.text(max_size=300))
def test_clean_text_never_leaves_a_line_break_or_control(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert "\u2028" not in cleaned
    assert "\u2029" not in cleaned
    cleaned.encode("utf-8")


@given(st.binary(max_size=400))
def test_any_bytes_either_read_or_raise_a_report_error(raw: bytes) -> None:
    with contextlib.suppress(MalformedReportError):
        read_reports(raw, "application/json")


def test_violation_summary_and_key() -> None:
    violation = Violation(
        type="csp-violation",
        document_url="https://app.example/",
        directive="img-src",
        blocked_url="https://x.example/a.png",
        disposition="report",
    )
    assert violation.summary() == (
        "csp-violation img-src blocked https://x.example/a.png on https://app.example/ (report)"
    )
    assert violation.key() == (
        "csp-violation",
        "https://app.example/",
        "img-src",
        "https://x.example/a.png",
        "report",
    )
