"""secheaders.reports.summary and ``secheaders reports summarize``: suggestions, counting,
skipped lines, output formats and exit codes."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from secheaders import load_policy
from secheaders.cli import main
from secheaders.reports import ReportBatch, Violation
from secheaders.reports.delivery import Deduplicator, JsonLinesFormatter, ReportDelivery
from secheaders.reports.summary import (
    CSP_HEADER,
    CSP_REPORT_ONLY_HEADER,
    MAX_SKIPPED_KEPT,
    Blocked,
    LineError,
    Suggestion,
    read_line,
    suggest,
    summarize,
)

PAGE = "https://shop.example/cart"


def csp(blocked: str | None, directive: str | None = "script-src-elem", **fields: Any) -> Violation:
    fields.setdefault("document_url", PAGE)
    return Violation(type="csp-violation", directive=directive, blocked_url=blocked, **fields)


def line(report: dict[str, Any], count: int | None = None) -> str:
    record: dict[str, Any] = {
        "time": "2024-05-01T10:00:00Z",
        "level": "WARNING",
        "logger": "secheaders.reports",
        "message": "violation",
        "report": report,
    }
    if count is not None:
        record["count"] = count
    return json.dumps(record)


def bare(blocked: str, directive: str = "script-src-elem", **fields: Any) -> dict[str, Any]:
    return csp(blocked, directive, **fields).model_dump(mode="json", exclude_none=True)


# --- suggest() ----------------------------------------------------------------------------

H, RO = CSP_HEADER, CSP_REPORT_ONLY_HEADER
TT_SINK = "require-trusted-types-for"
CDN, EVIL = "https://cdn.example", "https://evil.example"
SELF, INLINE = "'self'", "'unsafe-inline'"

# (violation, header, directive, source, recommended)
CSP_CASES: list[tuple[Violation, str | None, str | None, str | None, bool]] = [
    (csp("https://cdn.example/lib.js?v=1"), H, "script-src", "https://cdn.example", True),
    (csp("https://CDN.example:443/a"), H, "script-src", "https://cdn.example", True),
    (csp("https://cdn.example:8443/a", "img-src"), H, "img-src", "https://cdn.example:8443", True),
    (csp("wss://live.example/ws", "connect-src"), H, "connect-src", "wss://live.example", True),
    (csp("https://shop.example/app.js"), H, "script-src", "'self'", True),
    (csp("https://shop.example/f", "font-src", disposition="report"), RO, "font-src", SELF, True),
    (csp("https://pay.example/go", "form-action"), H, "form-action", "https://pay.example", True),
    (csp("https://evil.example/x", "frame-ancestors"), H, "frame-ancestors", EVIL, True),
    (csp("https://cdn.example/a.css", "style-src-elem"), H, "style-src", CDN, True),
    (csp("data", "img-src"), H, "img-src", "data:", True),
    (csp("data:image/png;base64,AAAA", "img-src"), H, "img-src", "data:", True),
    (csp("blob", "worker-src"), H, "worker-src", "blob:", True),
    (csp("blob:https://shop.example/uuid", "media-src"), H, "media-src", "blob:", True),
    (csp("mediastream", "media-src"), H, "media-src", "mediastream:", True),
    (csp("filesystem", "img-src"), H, "img-src", "filesystem:", True),
    (csp("data", "script-src-elem"), H, "script-src", "data:", False),
    (csp("inline"), H, "script-src", "'unsafe-inline'", False),
    (csp("inline", "script-src-attr"), H, "script-src", "'unsafe-inline'", False),
    (csp("inline", "style-src-attr", disposition="report"), RO, "style-src", INLINE, False),
    (csp("eval", "script-src"), H, "script-src", "'unsafe-eval'", False),
    (csp("wasm-eval", "script-src"), H, "script-src", "'wasm-unsafe-eval'", True),
    (csp("trusted-types-policy", "trusted-types", sample="app"), H, "trusted-types", "app", True),
    (csp("trusted-types-policy", "trusted-types", sample="a b"), H, None, None, True),
    (csp("trusted-types-sink", TT_SINK, sample="Element innerHTML|<b>"), H, TT_SINK, None, True),
    (csp("http://cdn.example/a.js"), H, "script-src", "http://cdn.example", False),
    (csp("chrome-extension://abcdef/x.js"), None, None, None, True),
    (csp("https://[::1]/x.js"), H, "script-src", None, True),
    (csp("https://bad_host.example/x.js"), H, "script-src", None, True),
    (csp("https://cdn.example/x", "navigate-to"), H, "navigate-to", None, True),
    (csp("https://cdn.example/x", "sandbox"), H, "sandbox", None, True),
    (csp("", "script-src"), H, None, None, True),
    (csp("about", "frame-src"), H, None, None, True),
    (csp("https://cdn.example/x", None), H, None, None, True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("violation", "header", "directive", "source", "recommended"),
    CSP_CASES,
    ids=[f"{v.directive}-{v.blocked_url}" for v, *_ in CSP_CASES],
)
def test_suggest_csp(
    violation: Violation,
    header: str | None,
    directive: str | None,
    source: str | None,
    recommended: bool,
) -> None:
    fix = suggest(violation)
    assert fix is not None
    assert (fix.header, fix.directive, fix.source, fix.recommended) == (
        header,
        directive,
        source,
        recommended,
    )
    assert fix.advice
    if fix.source and fix.recommended:
        assert fix.advice.startswith(f"add {fix.source} to {fix.directive}")


@pytest.mark.parametrize(
    ("violation", "words"),
    [
        (csp("inline"), ['nonce="{{ csp_nonce() }}"', "hash", "'unsafe-inline'", "not recomm"]),
        (csp("inline", "script-src-attr"), ["addEventListener", "not recommended"]),
        (csp("inline", "style-src-attr"), ["stylesheet", "csp_nonce()"]),
        (csp("inline", "style-src-elem"), ["<style>", "csp_nonce()"]),
        (csp("eval", "script-src"), ["eval()", "'unsafe-eval'", "not recommended"]),
        (csp("https://cdn.example/a"), ["or to script-src-elem if the policy sets it"]),
        (csp("http://cdn.example/a"), ["https://cdn.example"]),
        (csp("data", "object-src"), ["not recommended"]),
        (csp("chrome-extension://abc/x"), ["extension"]),
    ],
)
def test_suggest_advice(violation: Violation, words: list[str]) -> None:
    fix = suggest(violation)
    assert fix is not None
    for word in words:
        assert word in fix.advice


def test_the_fix_for_inline_is_never_recommended() -> None:
    for directive in ("script-src", "script-src-elem", "script-src-attr", "style-src-elem"):
        fix = suggest(csp("inline", directive))
        assert fix is not None
        assert not fix.recommended
        assert fix.advice.index("csp_nonce()") < fix.advice.index("'unsafe-inline'")


@pytest.mark.parametrize(
    ("violation", "header", "directive", "word"),
    [
        (
            Violation(type="coep", directive="corp", blocked_url="https://img.example/a.png"),
            None,
            None,
            "Cross-Origin-Resource-Policy: cross-origin",
        ),
        (
            Violation(type="coep", directive="navigation", blocked_url="https://x.example/"),
            None,
            None,
            "Cross-Origin-Embedder-Policy",
        ),
        (
            Violation(type="coep", directive="worker initialization"),
            None,
            None,
            "worker",
        ),
        (
            Violation(type="coop", directive="navigation-to-response"),
            "cross-origin-opener-policy",
            None,
            "same-origin-allow-popups",
        ),
        (
            Violation(type="permissions-policy-violation", directive="camera"),
            "permissions-policy",
            "camera",
            'allow="camera"',
        ),
        (
            Violation(
                type="permissions-policy-violation", directive="camera", disposition="report"
            ),
            "permissions-policy-report-only",
            "camera",
            "self",
        ),
    ],
)
def test_suggest_other_report_types(
    violation: Violation, header: str | None, directive: str | None, word: str
) -> None:
    fix = suggest(violation)
    assert fix is not None
    assert (fix.header, fix.directive, fix.source) == (header, directive, None)
    assert word in fix.advice


@pytest.mark.parametrize("kind", ["deprecation", "intervention", "network-error"])
def test_notices_get_no_suggestion(kind: str) -> None:
    assert suggest(Violation(type=kind, directive="SomeFeature", message="m")) is None


# --- reading lines ------------------------------------------------------------------------


def test_read_line_forms() -> None:
    report = bare("https://cdn.example/a.js")
    legacy = {"csp-report": {"document-uri": PAGE, "blocked-uri": "inline"}}
    api = {
        "type": "csp-violation",
        "url": PAGE,
        "body": {"documentURL": PAGE, "blockedURL": "eval", "effectiveDirective": "script-src"},
    }
    assert read_line(line(report, 4)) == [(csp("https://cdn.example/a.js"), 4)]
    assert read_line(line(report)) == [(csp("https://cdn.example/a.js"), 1)]
    assert read_line(json.dumps({**report, "count": 2})) == [(csp("https://cdn.example/a.js"), 2)]
    [(violation, count)] = read_line(json.dumps(legacy).encode())
    assert (violation.blocked_url, violation.format, count) == ("inline", "csp-report", 1)
    assert [(v.blocked_url, n) for v, n in read_line(json.dumps([api, api]))] == [
        ("eval", 1),
        ("eval", 1),
    ]
    assert read_line(json.dumps(api)) == read_line(json.dumps([api]))[:1]
    assert read_line("\ufeff" + json.dumps(report) + "\r\n")[0][1] == 1
    assert read_line("   \n") == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "not JSON"),
        ('{"a": ', "not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"time": "t", "message": "server started"}', "a log line without a report"),
        ('{"time": "t"}', "JSON, but not a report"),
        ('{"dropped": "5"}', "JSON, but not a report"),
        ("42", "JSON, but not a report"),
        ('"text"', "JSON, but not a report"),
        ("null", "JSON, but not a report"),
        ('{"report": "text"}', "JSON, but not a report"),
        ('{"report": {"directive": "img-src"}}', "report: type: Field required"),
        ('{"type": "csp-violation", "colour": "red"}', "report: colour: Extra inputs"),
        ('{"report": {"type": "csp-violation"}, "count": 0}', "count must be a positive"),
        ('{"report": {"type": "csp-violation"}, "count": "2"}', "count must be a positive"),
        ('{"report": {"type": "csp-violation"}, "count": true}', "count must be a positive"),
        ('{"csp-report": "x"}', 'a report-uri body is {"csp-report": {...}}'),
        ("[]", "the report list is empty"),
        ('[{"type": "network-error", "body": {}}]', "no report of a type read here"),
        ('{"type": "csp-violation", "body": {}}', "no report in the list fits its format"),
        ("[" * 100_000, "not JSON"),
    ],
)
def test_read_line_refuses(text: str | bytes, reason: str) -> None:
    with pytest.raises(LineError) as caught:
        read_line(text)
    assert str(caught.value).startswith(reason)


# --- summarize() --------------------------------------------------------------------------


def test_summarize_weights_every_count() -> None:
    summary = summarize(
        [
            line(bare("https://cdn.example/a.js"), 12),
            line(bare("https://cdn.example/b.js?x=1"), 3),
            "",
            line(bare("inline")),
            json.dumps(bare("data", "img-src", disposition="report") | {"count": 5}),
        ]
    )
    assert (summary.total, summary.lines, summary.skipped, summary.filtered) == (21, 4, 0, 0)
    assert summary.top_directives() == [
        ("csp", "script-src-elem", 16),
        ("csp-report-only", "img-src", 5),
    ]
    rows = [(row.policy, row.directive, row.blocked, n) for row, n in summary.top_blocked()]
    assert rows == [
        ("csp", "script-src-elem", "https://cdn.example", 15),
        ("csp-report-only", "img-src", "data", 5),
        ("csp", "script-src-elem", "inline", 1),
    ]
    assert summary.change() == {
        CSP_HEADER: {"script-src": ["https://cdn.example"]},
        CSP_REPORT_ONLY_HEADER: {"img-src": ["data:"]},
    }
    [(fix, count)] = summary.not_suggested()
    assert (fix.header, fix.directive, fix.source, count) == (
        CSP_HEADER,
        "script-src",
        "'unsafe-inline'",
        1,
    )


def test_summarize_skips_lines_with_reasons() -> None:
    summary = summarize(
        [
            "not json",
            "",
            '{"message": "hello"}',
            line(bare("eval", "script-src")),
            "   ",
            b"\xff",
        ]
    )
    assert (summary.total, summary.lines, summary.skipped) == (1, 1, 3)
    assert [(s.line, s.reason) for s in summary.skipped_lines] == [
        (1, "not JSON"),
        (3, "a log line without a report"),
        (6, "not UTF-8"),
    ]


def test_summarize_keeps_the_first_skipped_lines() -> None:
    summary = summarize(["x"] * (MAX_SKIPPED_KEPT + 5))
    assert summary.skipped == MAX_SKIPPED_KEPT + 5
    assert len(summary.skipped_lines) == MAX_SKIPPED_KEPT
    assert summary.total == summary.lines == 0


def test_summarize_counts_list_items_it_does_not_read() -> None:
    item = {"type": "csp-violation", "body": {"documentURL": PAGE, "effectiveDirective": "img-src"}}
    other = {"type": "network-error", "body": {}}
    summary = summarize([json.dumps([item, other, {"type": "csp-violation", "body": {}}])])
    assert (summary.total, summary.ignored) == (1, 2)


def test_dropped_counts_add_to_ignored() -> None:
    summary = summarize(['{"message": "report batch cut", "dropped": 7}', line(bare("inline"))])
    assert (summary.total, summary.lines, summary.ignored, summary.skipped) == (1, 1, 7, 0)


def test_reads_what_the_log_formatter_writes() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("tests.reports.summary")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        now = [0.0]
        delivery = ReportDelivery(logger=logger)
        delivery.dedupe = Deduplicator(window=60, clock=lambda: now[0])
        report = csp("https://cdn.example/a.js", disposition="report")
        delivery.deliver(ReportBatch([report, report, report, csp("eval", "script-src")]))
        now[0] = 120.0
        delivery.flush()
    finally:
        logger.removeHandler(handler)
    summary = summarize(stream.getvalue().splitlines())
    assert (summary.total, summary.lines, summary.skipped) == (4, 3, 0)
    assert summary.change() == {RO: {"script-src": ["https://cdn.example"]}}


@pytest.mark.parametrize(
    ("disposition", "total", "filtered"),
    [("all", 7, 0), ("enforce", 3, 4), ("report", 4, 3)],
)
def test_summarize_by_disposition(disposition: Any, total: int, filtered: int) -> None:
    lines = [
        line(bare("https://a.example/", disposition="enforce"), 2),
        line(bare("https://b.example/")),  # no disposition: enforced
        line(bare("https://c.example/", disposition="report"), 4),
    ]
    summary = summarize(lines, disposition=disposition)
    assert (summary.total, summary.filtered, summary.lines) == (total, filtered, 3)


def test_change_merges_rows_and_honours_min_count() -> None:
    summary = summarize(
        [
            line(bare("https://cdn.example/a.js", "script-src-elem"), 3),
            line(bare("https://cdn.example/a.js", "script-src-attr"), 1),
            line(bare("https://fonts.example/f", "font-src"), 1),
            line(bare("https://shop.example/logo.png", "img-src"), 2),
            line(bare("inline", "script-src-elem"), 2),
            line(bare("inline", "script-src-attr"), 2),
        ]
    )
    assert summary.change() == {
        CSP_HEADER: {
            "script-src": ["https://cdn.example"],
            "img-src": ["'self'"],
            "font-src": ["https://fonts.example"],
        }
    }
    assert summary.change(min_count=2) == {
        CSP_HEADER: {"script-src": ["https://cdn.example"], "img-src": ["'self'"]}
    }
    assert summary.change(min_count=10) == {}
    assert [(f.source, n) for f, n in summary.not_suggested()] == [("'unsafe-inline'", 4)]
    assert summary.not_suggested(min_count=3) == []
    assert len(summary.top_blocked(2)) == 2
    assert summary.top_directives(1) == [("csp", "script-src-elem", 5)]


def test_blocked_rows_keep_non_csp_reports() -> None:
    summary = summarize(
        [
            line({"type": "coep", "directive": "corp", "blocked_url": "https://i.example/a"}),
            line({"type": "deprecation", "directive": "UnloadHandler", "message": "m"}, 2),
        ]
    )
    rows = summary.top_blocked()
    assert [(row.policy, row.directive, row.blocked, n) for row, n in rows] == [
        ("deprecation", "UnloadHandler", "", 2),
        ("coep", "corp", "https://i.example", 1),
    ]
    assert rows[0][0].suggestion is None
    assert summary.change() == {}


def test_suggestion_as_dict() -> None:
    row = Blocked("csp", "img-src", "data", suggest(csp("data", "img-src")))
    assert row.suggestion is not None
    assert row.suggestion.as_dict() == {
        "advice": "add data: to img-src",
        "header": CSP_HEADER,
        "directive": "img-src",
        "source": "data:",
        "recommended": True,
    }
    assert Suggestion(advice="x").as_dict()["source"] is None


# --- the command --------------------------------------------------------------------------

LOG = "\n".join(
    [
        line(bare("https://cdn.example/lib.js", disposition="report"), 12),
        json.dumps(bare("data", "img-src", disposition="report") | {"count": 3}),
        json.dumps(
            {
                "csp-report": {
                    "document-uri": PAGE,
                    "blocked-uri": "inline",
                    "effective-directive": "script-src-elem",
                    "disposition": "report",
                }
            }
        ),
        "",
        "not json",
        line(bare("https://shop.example/font.woff2", "font-src"), 2),
        line(bare("eval", "script-src")),
    ]
)

TEXT = """\
19 reports on 5 lines

Directives
  count  policy           directive
     13  csp-report-only  script-src-elem
      3  csp-report-only  img-src
      2  csp              font-src
      1  csp              script-src

Blocked
  count  policy           directive        blocked               suggestion
     12  csp-report-only  script-src-elem  https://cdn.example   add https://cdn.example to script-src (or to script-src-elem if the policy sets it)
      3  csp-report-only  img-src          data                  add data: to img-src
      2  csp              font-src         https://shop.example  add 'self' to font-src
      1  csp              script-src       eval                  code calls eval(), new Function() or setTimeout with a string; rewrite it ('unsafe-eval' would allow it, but is not recommended)
      1  csp-report-only  script-src-elem  inline                an inline <script>; add nonce="{{ csp_nonce() }}" or allow its hash ('unsafe-inline' would allow it, but is not recommended)

Change for the config file:
[extend.content-security-policy]
font-src = ["'self'"]

[extend.content-security-policy-report-only]
script-src = ["https://cdn.example"]
img-src = ["data:"]

Not suggested (they weaken the policy)
  count  header                               directive   source
      1  content-security-policy              script-src  'unsafe-eval'
      1  content-security-policy-report-only  script-src  'unsafe-inline'
"""  # noqa: E501


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["reports", "summarize", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "reports.log"
    path.write_text(LOG + "\n", encoding="utf-8")
    return path


def test_text_output(log: Path) -> None:
    code, out, err = run(str(log))
    assert code == 0
    assert out == TEXT
    assert err == "note: skipped 1 line without a report: line 5 (not JSON)\n"


def test_json_output(log: Path) -> None:
    code, out, _ = run(str(log), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {key: data[key] for key in ("total", "lines", "filtered", "ignored", "skipped")} == {
        "total": 19,
        "lines": 5,
        "filtered": 0,
        "ignored": 0,
        "skipped": 1,
    }
    assert data["skipped_lines"] == [{"line": 5, "reason": "not JSON"}]
    assert data["directives"][0] == {
        "policy": "csp-report-only",
        "directive": "script-src-elem",
        "count": 13,
    }
    assert data["blocked"][0] == {
        "policy": "csp-report-only",
        "directive": "script-src-elem",
        "blocked": "https://cdn.example",
        "count": 12,
        "suggestion": {
            "advice": "add https://cdn.example to script-src (or to script-src-elem if the "
            "policy sets it)",
            "header": CSP_REPORT_ONLY_HEADER,
            "directive": "script-src",
            "source": "https://cdn.example",
            "recommended": True,
        },
    }
    assert data["change"] == {
        "extend": {
            CSP_HEADER: {"font-src": ["'self'"]},
            CSP_REPORT_ONLY_HEADER: {"script-src": ["https://cdn.example"], "img-src": ["data:"]},
        }
    }
    sources = [item["source"] for item in data["not_suggested"]]
    assert sources == ["'unsafe-eval'", "'unsafe-inline'"]
    assert set(data["not_suggested"][0]) == {"header", "directive", "source", "count", "advice"}


def test_the_change_is_a_valid_config(log: Path, tmp_path: Path) -> None:
    _, out, _ = run(str(log))
    snippet = out.split("Change for the config file:\n")[1].split("\n\nNot suggested")[0]
    config = tmp_path / "secheaders.toml"
    config.write_text(
        'extends = "basic"\n\n[content-security-policy-report-only]\n'
        "default-src = [\"'self'\"]\n\n" + snippet + "\n"
    )
    headers = dict(load_policy(config).to_headers())
    assert "script-src 'self' https://cdn.example" in headers["Content-Security-Policy-Report-Only"]
    assert "img-src 'self' data:" in headers["Content-Security-Policy-Report-Only"]
    assert "font-src 'self'" in headers["Content-Security-Policy"]


def test_stdin(log: Path) -> None:
    code, out, _ = run("-", stdin=log.read_text())
    assert code == 0
    assert out == run(str(log))[1]


def test_options(log: Path) -> None:
    _, out, _ = run(str(log), "--top", "1", "--min-count", "3")
    assert "Directives (top 1 of 2)\n" in out
    assert "Blocked (top 1 of 2)\n" in out
    assert 'img-src = ["data:"]' in out  # the change is not cut to the top rows
    assert "font-src" not in out
    assert "Not suggested" not in out
    _, out, _ = run(str(log), "--disposition", "enforce", "--format", "json")
    data = json.loads(out)
    assert (data["total"], data["filtered"]) == (3, 16)
    assert data["change"] == {"extend": {CSP_HEADER: {"font-src": ["'self'"]}}}
    _, out, _ = run(str(log), "--disposition", "report", "--top", "0")
    assert out.startswith("16 reports on 5 lines; 3 of another disposition left out\n")
    code, _, err = run(str(log), "--top", "-1")
    assert code == 2
    assert "--top" in err


def test_no_change_to_suggest(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_text(line(bare("inline")) + "\n")
    code, out, _ = run(str(path))
    assert code == 0
    assert "Change for the config file: none\n" in out


def test_an_empty_log_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "empty.log"
    path.write_text("\n\n")
    assert run(str(path)) == (0, "0 reports on 0 lines\n", "")
    code, out, _ = run(str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["change"] == {"extend": {}}


def test_many_skipped_lines_are_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_text("\n".join(["x"] * 8 + [line(bare("inline"))]))
    code, _, err = run(str(path))
    assert code == 0
    assert err == (
        "note: skipped 8 lines without a report: line 1 (not JSON), line 2 (not JSON), "
        "line 3 (not JSON), line 4 (not JSON), line 5 (not JSON) and 3 more\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "error: {path}: cannot read (No such file or directory)\n"),
        ("x\n{}\n", "error: {path}: no line holds a report\n"),
    ],
)
def test_unreadable_files_exit_2(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "reports.log"
    if content is not None:
        path.write_text(content)
    code, out, err = run(str(path))
    assert (code, out) == (2, "")
    assert err.endswith(message.format(path=path))


def test_a_directory_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path))
    assert code == 2
    assert err.startswith(f"error: {tmp_path}: cannot read (")


def test_all_junk_on_stdin_exits_2() -> None:
    code, _, err = run("-", stdin="nope\n")
    assert code == 2
    assert err.endswith("error: standard input: no line holds a report\n")


def test_registered_in_main() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "reports" in result.stdout
    result = CliRunner().invoke(main, ["reports", "--help"])
    assert "summarize" in result.stdout
