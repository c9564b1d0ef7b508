"""The parser's and the evaluator's caches change no answer: cold and warm runs agree."""

from __future__ import annotations

import json
from pathlib import Path

from secheaders import evaluate_csp, parse_csp
from secheaders.evaluation import csp as evaluation
from secheaders.headers import csp as reader

CORPUS = json.loads((Path(__file__).parent.parent / "data" / "real_world_headers.json").read_text())
CSP_VALUES = [
    (entry["value"], entry["header"] == "Content-Security-Policy-Report-Only")
    for entry in CORPUS
    if entry["header"].startswith("Content-Security-Policy")
]


def _forget() -> None:
    evaluation.clear_caches()
    assert reader._read_segment.cache_info().currsize == 0
    assert not evaluation._DIRECTIVE_FACTS


def _answers(value: str, report_only: bool) -> tuple[object, ...]:
    result = evaluate_csp(value, report_only=report_only)
    return (
        [finding.as_dict() for finding in result.findings],
        result.answers,
        [policy.diagnostics for policy in result.policies],
        [policy.to_header() for policy in result.policies],
    )


def test_cold_and_warm_evaluations_of_the_corpus_agree() -> None:
    cold = []
    for value, report_only in CSP_VALUES:
        _forget()
        cold.append(_answers(value, report_only))
    warm = [_answers(value, report_only) for value, report_only in CSP_VALUES]
    again = [_answers(value, report_only) for value, report_only in CSP_VALUES]
    assert cold == warm == again


def test_a_cached_segment_is_read_again_for_the_other_header() -> None:
    _forget()
    enforced = parse_csp("sandbox allow-scripts; script-src 'self'")[0]
    assert enforced.sandbox == ("allow-scripts",)
    report_only = parse_csp("sandbox allow-scripts; script-src 'self'", report_only=True)[0]
    assert report_only.sandbox is None
    assert [d.code for d in report_only.diagnostics] == ["not-in-report-only"]


def test_findings_name_the_header_they_were_found_in_after_caching() -> None:
    value = "script-src http://cdn.example 'unsafe-inline'; object-src 'none'"
    enforced = evaluate_csp(value)
    report_only = evaluate_csp(value, report_only=True)
    assert {f.header for f in enforced.findings} == {"Content-Security-Policy"}
    assert {f.header for f in report_only.findings} == {"Content-Security-Policy-Report-Only"}
    assert enforced.ids() == report_only.ids()


def test_the_same_sources_judged_at_another_level_are_judged_again() -> None:
    value = "script-src 'nonce-abcdefghijkl' 'unsafe-inline'; object-src 'none'; base-uri 'none'"
    assert "unsafe-inline" not in evaluate_csp(value, level=3).ids()
    assert "unsafe-inline" in evaluate_csp(value, level=1).ids()
    assert "unsafe-inline" not in evaluate_csp(value, level=3).ids()


def test_the_memo_is_bounded() -> None:
    _forget()
    directives, scripts = evaluation._DIRECTIVE_FACTS, evaluation._SCRIPT_FACTS
    for index in range(directives.size + 10):
        evaluate_csp(f"script-src https://host{index}.example; object-src 'none'")
    assert 0 < len(directives) <= directives.size
    assert 0 < len(scripts) <= scripts.size


def test_long_segments_are_read_without_the_cache() -> None:
    _forget()
    hosts = " ".join(f"https://h{index}.example" for index in range(400))
    value = f"script-src {hosts}; object-src 'none'"
    assert len(value) > reader._CACHED_SEGMENT
    first = parse_csp(value)[0]
    assert reader._read_segment.cache_info().currsize == 1  # only the short object-src
    assert parse_csp(value)[0] == first
