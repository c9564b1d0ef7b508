"""Output of the checking commands: readable text, stable JSON and SARIF 2.1.0."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from secheaders import __version__
from secheaders.evaluation import Finding, Report, Severity
from secheaders.evaluation.diff import PolicyDiff

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.HIGH: "error",
    Severity.SYNTAX: "error",
    Severity.MEDIUM: "warning",
    Severity.HIGH_MAYBE: "warning",
    Severity.STRICT_CSP: "note",
    Severity.MEDIUM_MAYBE: "note",
    Severity.INFO: "note",
}
#: GitHub code scanning ranks security results by this 0-10 score.
_SECURITY_SEVERITY = {
    Severity.HIGH: "8.0",
    Severity.SYNTAX: "5.0",
    Severity.MEDIUM: "5.5",
    Severity.HIGH_MAYBE: "7.0",
    Severity.STRICT_CSP: "3.0",
    Severity.MEDIUM_MAYBE: "4.0",
    Severity.INFO: "1.0",
}
_COLOUR = {
    Severity.HIGH: "red",
    Severity.SYNTAX: "red",
    Severity.MEDIUM: "yellow",
    Severity.HIGH_MAYBE: "yellow",
    Severity.STRICT_CSP: "cyan",
    Severity.MEDIUM_MAYBE: "cyan",
    Severity.INFO: "bright_black",
}


@dataclass(frozen=True)
class Located:
    """A report with what it was made from: a label for people, a file for SARIF."""

    label: str
    report: Report
    uri: str | None = None
    extra: dict[str, Any] | None = None


# --- text ---------------------------------------------------------------------------------


def finding_lines(findings: Iterable[Finding]) -> list[str]:
    """One line per finding, its severity coloured, plus an indented hint when there is one."""
    lines = []
    for finding in findings:
        severity = finding.severity.value
        line = finding.describe()
        coloured = click.style(severity, fg=_COLOUR[finding.severity]) + line[len(severity) :]
        lines.append(f"  {coloured}")
        if finding.hint:
            lines.append(f"  {'':<12} {'':<36} hint: {finding.hint}")
    return lines


def report_text(item: Located, *, show_tests: bool) -> str:
    """A report as a readable block."""
    report = item.report
    scheme = "HTTPS" if report.https else "HTTP"
    grade = click.style(report.grade, bold=True, fg="green" if report.passes("A") else "red")
    lines = [f"{item.label}: grade {grade} (score {report.score}, {scheme})"]
    for key, value in (item.extra or {}).items():
        lines.append(f"  {key}: {value}")
    lines.append(f"  framing: {report.framing}")
    if report.findings:
        lines.append(f"  {len(report.findings)} finding(s):")
        lines.extend(finding_lines(report.findings))
    else:
        lines.append("  no findings")
    if show_tests:
        lines.append("  Observatory tests:")
        for test in report.tests:
            lines.append(f"  {test.modifier:+4d}  {test.name:<30} {test.result}")
    return "\n".join(lines)


def diff_text(diff: PolicyDiff) -> str:
    """A diff as a readable block."""
    lines = [f"grade {diff.old.grade} ({diff.old.score}) -> {diff.new.grade} ({diff.new.score})"]
    colours = {"looser": "red", "stricter": "green", "changed": "yellow"}
    for change in diff.changes:
        where = f"{change.header} {change.directive}" if change.directive else change.header
        direction = click.style(f"{change.direction:<8}", fg=colours[change.direction])
        lines.append(f"  {direction} {where}: {change.message}")
    if not diff.changes:
        lines.append("  no changes")
    if diff.new_findings:
        lines.append("new findings:")
        lines.extend(finding_lines(diff.new_findings))
    if diff.fixed_findings:
        lines.append("fixed findings:")
        lines.extend(finding_lines(diff.fixed_findings))
    return "\n".join(lines)


# --- JSON ---------------------------------------------------------------------------------


def reports_json(items: Sequence[Located]) -> str:
    """``{"results": [{"source": ..., **report}]}``."""
    results = [
        {"source": item.label, **(item.extra or {}), **item.report.as_dict()} for item in items
    ]
    return json.dumps({"version": __version__, "results": results}, indent=2)


# --- SARIF --------------------------------------------------------------------------------


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.id,
        "name": "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]+", finding.id)),
        "shortDescription": {"text": finding.id},
        "fullDescription": {"text": finding.message},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": ["security", "http-headers"],
            "precision": "high",
            "security-severity": _SECURITY_SEVERITY[finding.severity],
        },
    }
    if finding.hint:
        rule["help"] = {"text": finding.hint}
    return rule


def _location(uri: str, line: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _result(
    rule_id: str, rule_index: int, level: str, text: str, uri: str, line: int | None, key: str
) -> dict[str, Any]:
    digest = hashlib.sha256(f"{rule_id}|{uri}|{key}".encode()).hexdigest()
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [_location(uri, line)],
        "partialFingerprints": {"secheadersFinding/v1": digest},
    }


def sarif(findings: Iterable[tuple[Finding, str, str | None]]) -> str:
    """SARIF 2.1.0 for ``(finding, uri, where)`` triples; ``where`` labels a page or source."""
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    results = []
    for finding, uri, where in findings:
        if finding.id not in rules:
            rules[finding.id] = len(rule_list)
            rule_list.append(_rule(finding))
        prefix = f"{where}: " if where else ""
        text = f"{prefix}{finding.where}: {finding.message}"
        if finding.hint:
            text += f" ({finding.hint})"
        key = f"{where}|{finding.header}|{finding.directive}|{finding.value}"
        results.append(
            _result(finding.id, rules[finding.id], _LEVEL[finding.severity], text, uri, None, key)
        )
    return _sarif_log(rule_list, results)


def sarif_problems(problems: Iterable[tuple[str, int | None, str]]) -> str:
    """SARIF 2.1.0 for config problems: ``(file, line, message)``."""
    rule = {
        "id": "config-error",
        "name": "ConfigError",
        "shortDescription": {"text": "invalid policy file"},
        "fullDescription": {"text": "A policy or preset file that secheaders cannot load."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "configuration"], "precision": "very-high"},
    }
    results = [
        _result("config-error", 0, "error", message, uri, line, message)
        for uri, line, message in problems
    ]
    return _sarif_log([rule] if results else [], results)


def _sarif_log(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> str:
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "secheaders",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2)


def line_of(path: Path, location: str) -> int | None:
    """The line of a file where a ``key.path[index]`` location's last key appears."""
    keys = [key for key in re.split(r"[.\[\]]", location) if key and not key.isdigit()]
    if not keys:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"""(^|[\s\[{{,."']){re.escape(keys[-1])}(["']?\s*[=:\]])""")
    for number, line in enumerate(lines, 1):
        if pattern.search(line):
            return number
    return None
