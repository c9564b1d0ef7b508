"""``secheaders reports summarize``: the top violations in a report log, each with the change that
would allow it.

Exit codes: 0 success, also with skipped lines; 2 a file that cannot be read or in which no
line holds a report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from secheaders.reports.models import clean_text
from secheaders.reports.summary import Blocked, DispositionFilter, Summary, summarize

from . import _fail

SHOWN_SKIPPED = 5


@click.group("reports")
def reports_group() -> None:
    """Summarize logged violation reports."""


@reports_group.command("summarize")
@click.argument("file", metavar="FILE")
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Rows per table (0 for all).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--disposition",
    type=click.Choice(["enforce", "report", "all"]),
    default="all",
    show_default=True,
    help="Keep only enforced or only report-only violations.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Leave out rows seen fewer times (also from the change).",
)
def summarize_command(
    file: str, top: int, output_format: str, disposition: DispositionFilter, min_count: int
) -> None:
    """Summarize a JSON-lines log of violation reports ('-' for stdin).

    Prints the most violated directives and the most blocked origins and keywords, each with
    the policy change that would allow it, and that change as [extend] tables for the config
    file.
    """
    summary = _read(file, disposition)
    if summary.skipped:
        first = summary.skipped_lines[:SHOWN_SKIPPED]
        shown = ", ".join(f"line {s.line} ({s.reason})" for s in first)
        more = summary.skipped - len(first)
        click.echo(
            f"note: skipped {_plural(summary.skipped, 'line')} without a report: {shown}"
            + (f" and {more} more" if more else ""),
            err=True,
        )
        if not summary.lines:
            _fail(f"{'standard input' if file == '-' else file}: no line holds a report")
    limit = top or None
    if output_format == "json":
        click.echo(json.dumps(_as_json(summary, limit, min_count), indent=2))
    else:
        click.echo(_as_text(summary, limit, min_count))


def _read(file: str, disposition: DispositionFilter) -> Summary:
    try:
        with click.open_file(file, "rb") as stream:
            return summarize(stream, disposition=disposition)
    except OSError as exc:
        _fail(f"{file}: cannot read ({exc.strerror or exc})")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _as_json(summary: Summary, limit: int | None, min_count: int) -> dict[str, Any]:
    return {
        "total": summary.total,
        "lines": summary.lines,
        "filtered": summary.filtered,
        "ignored": summary.ignored,
        "skipped": summary.skipped,
        "skipped_lines": [{"line": s.line, "reason": s.reason} for s in summary.skipped_lines],
        "directives": [
            {"policy": policy, "directive": directive, "count": count}
            for policy, directive, count in summary.top_directives(limit, min_count)
        ],
        "blocked": [
            {
                "policy": row.policy,
                "directive": row.directive,
                "blocked": row.blocked,
                "count": count,
                "suggestion": row.suggestion.as_dict() if row.suggestion else None,
            }
            for row, count in summary.top_blocked(limit, min_count)
        ],
        "change": {"extend": summary.change(min_count)},
        "not_suggested": [
            {
                "header": fix.header,
                "directive": fix.directive,
                "source": fix.source,
                "count": count,
                "advice": fix.advice,
            }
            for fix, count in summary.not_suggested(min_count)
        ],
    }


def _as_text(summary: Summary, limit: int | None, min_count: int) -> str:
    headline = f"{_plural(summary.total, 'report')} on {_plural(summary.lines, 'line')}"
    if summary.filtered:
        headline += f"; {summary.filtered} of another disposition left out"
    if summary.ignored:
        headline += f"; {_plural(summary.ignored, 'report')} not read"
    parts = [headline]
    directives = summary.top_directives(None, min_count)
    if directives:
        title = _title("Directives", limit, len(directives))
        rows = [(str(n), policy, _cut(d, 40)) for policy, d, n in directives[:limit]]
        parts.append(_table(title, ("count", "policy", "directive"), rows))
    blocked = summary.top_blocked(None, min_count)
    if blocked:
        title = _title("Blocked", limit, len(blocked))
        header = ("count", "policy", "directive", "blocked", "suggestion")
        parts.append(_table(title, header, [_blocked_row(*item) for item in blocked[:limit]]))
    change = summary.change(min_count)
    if change:
        parts.append("Change for the config file:\n" + _toml(change))
    elif summary.total:
        parts.append("Change for the config file: none")
    weakening = [
        (str(count), fix.header or "", fix.directive or "", fix.source or "")
        for fix, count in summary.not_suggested(min_count)
    ]
    if weakening:
        columns = ("count", "header", "directive", "source")
        parts.append(_table("Not suggested (they weaken the policy)", columns, weakening))
    return "\n\n".join(parts)


def _blocked_row(row: Blocked, count: int) -> tuple[str, ...]:
    advice = row.suggestion.advice if row.suggestion else "-"
    return (str(count), row.policy, _cut(row.directive, 40), _cut(row.blocked, 60), advice)


def _toml(change: dict[str, dict[str, list[str]]]) -> str:
    tables = []
    for name, directives in change.items():
        lines = [f"[extend.{name}]"]
        for directive, sources in directives.items():
            lines.append(f"{directive} = [{', '.join(map(_toml_string, sources))}]")
        tables.append("\n".join(lines))
    return "\n\n".join(tables)


def _title(name: str, limit: int | None, total: int) -> str:
    return name if limit is None or limit >= total else f"{name} (top {limit} of {total})"


def _cut(value: str, limit: int) -> str:
    return clean_text(value, limit) or "-"


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [title]
    for row in (header, *rows):
        cells = [row[0].rjust(widths[0])]
        cells += [cell.ljust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def _toml_string(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
