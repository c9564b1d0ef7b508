"""``secheaders evaluate``, ``check``, ``validate`` and ``diff``: policy checks for CI.

Exit codes: 0 ok; 1 a finding at or above ``--fail-on``, a grade under ``--min-grade``, an
invalid file (``validate``) or a looser policy (``diff --fail-on-looser``); 2 usage or input
error.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from secheaders.evaluation import Report, Severity
from secheaders.evaluation.diff import diff_policies
from secheaders.evaluation.grading import ORDER
from secheaders.evaluation.report import evaluate as evaluate_headers
from secheaders.policy import SecurityPolicy
from secheaders.presets import ConfigError, load_policy, load_preset

from . import _fail, main, split_header_block
from .output import (
    Located,
    diff_text,
    line_of,
    report_text,
    reports_json,
    sarif,
    sarif_problems,
)

EXIT_FAILED = 1
MAX_REDIRECTS = 10
FORMATS = click.Choice(["text", "json", "sarif"])
_SEVERITIES = [severity.value for severity in Severity]


CSP_LEVEL = click.option(
    "--csp-level",
    type=click.IntRange(1, 3),
    default=3,
    show_default=True,
    help="Judge CSP as a browser of this CSP level enforces it (1 and 2: older browsers).",
)


def _gate_options(command: Any) -> Any:
    """--format, --fail-on, --min-grade, --show-tests and --csp-level (evaluate and check)."""
    for option in reversed(
        [
            click.option(
                "--format",
                "output_format",
                type=FORMATS,
                default="text",
                show_default=True,
                help="text for people, json for scripts, sarif for code scanning.",
            ),
            click.option(
                "--fail-on",
                type=click.Choice([*_SEVERITIES, "none"]),
                default="high",
                show_default=True,
                help="Exit 1 when a finding has this severity or a more severe one.",
            ),
            click.option(
                "--min-grade",
                type=click.Choice(ORDER),
                help="Exit 1 when the Observatory grade is lower than this.",
            ),
            click.option("--show-tests", is_flag=True, help="List the graded tests (text format)."),
            CSP_LEVEL,
        ]
    ):
        command = option(command)
    return command


def _gate(reports: Iterable[Report], fail_on: str, min_grade: str | None) -> int:
    for report in reports:
        if fail_on != "none" and report.at_least(fail_on):
            return EXIT_FAILED
        if min_grade is not None and not report.passes(min_grade):
            return EXIT_FAILED
    return 0


def _emit(items: list[Located], output_format: str, show_tests: bool, default_uri: str) -> None:
    if output_format == "json":
        click.echo(reports_json(items))
    elif output_format == "sarif":
        triples = [
            (finding, item.uri or default_uri, item.label if len(items) > 1 else None)
            for item in items
            for finding in item.report.findings
        ]
        click.echo(sarif(triples))
    else:
        click.echo("\n\n".join(report_text(item, show_tests=show_tests) for item in items))


# --- evaluate -----------------------------------------------------------------------------


def read_header_file(text: str) -> list[tuple[str, str]]:
    """A raw header block, or JSON: ``{"Name": "value" | [values]}`` or ``[{name, value}]``."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return split_header_block(text)
    try:
        data = json.loads(text)
    except ValueError as exc:
        _fail(f"the file looks like JSON but is not: {exc}")
    pairs: list[tuple[str, str]] = []
    items: Iterable[Any] = data.items() if isinstance(data, dict) else data
    for item in items:
        if isinstance(item, dict) and set(item) == {"name", "value"}:
            item = (item["name"], item["value"])
        if not (isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[0], str)):
            _fail(f"{item!r}: expected a name and a value")
        name, value = item
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            _fail(f"{name}: header values must be strings")
        pairs.extend((name, v) for v in values)
    return pairs


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, timeout: float) -> tuple[list[tuple[str, str]], str, list[str]]:
    """GET ``url`` following redirects by hand: (headers, final URL, redirect chain)."""
    opener = urllib.request.build_opener(_NoRedirect)
    chain: list[str] = []
    for _ in range(MAX_REDIRECTS + 1):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            _fail(f"{url}: only http:// and https:// URLs can be fetched")
        request = urllib.request.Request(url, headers={"User-Agent": "secheaders"})
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            response = exc  # an error status still has headers worth judging
        except (urllib.error.URLError, OSError, ValueError) as exc:
            _fail(f"{url}: {getattr(exc, 'reason', exc)}")
        with response:
            location = response.headers.get("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                chain.append(f"{response.status} {url}")
                url = urllib.parse.urljoin(url, location)
                continue
            return list(response.headers.items()), url, chain
    return _fail(f"more than {MAX_REDIRECTS} redirects")


@main.command("evaluate")
@click.option(
    "--header", "-H", "header_lines", multiple=True, help="A 'Name: value' header (repeatable)."
)
@click.option(
    "--file",
    "header_file",
    type=click.File("r"),
    help="A raw header block (curl -sI output) or JSON; '-' for stdin.",
)
@click.option("--url", help="Fetch this URL with GET and judge its headers.")
@click.option(
    "--https/--http",
    "https",
    default=None,
    help="Whether the site is served over HTTPS (default: yes, or the URL's scheme).",
)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="For --url.")
@_gate_options
def evaluate_command(
    header_lines: tuple[str, ...],
    header_file: Any,
    url: str | None,
    https: bool | None,
    timeout: float,
    output_format: str,
    fail_on: str,
    min_grade: str | None,
    show_tests: bool,
    csp_level: int,
) -> None:
    """Judge a response's security headers and grade them like the MDN HTTP Observatory."""
    extra: dict[str, Any] = {}
    if url is not None:
        if header_lines or header_file is not None:
            _fail("give --url, or --header/--file, not both")
        pairs, final, chain = fetch(url, timeout)
        label, uri = final, final
        extra["redirects"] = chain
        if https is None:
            https = urllib.parse.urlsplit(final).scheme == "https"
    else:
        pairs = split_header_block("\n".join(header_lines)) if header_lines else []
        if header_file is not None:
            try:
                text = header_file.read()
            except UnicodeDecodeError as exc:
                _fail(f"{header_file.name}: not text ({exc.reason}); give a header block or JSON")
            pairs += read_header_file(text)
        if not header_lines and header_file is None:
            _fail("give headers with --header, --file or --url")
        label = getattr(header_file, "name", "headers")
        uri = label if header_file is not None and label != "<stdin>" else "headers"
    report = evaluate_headers(pairs, https=True if https is None else https, csp_level=csp_level)
    _emit([Located(label, report, uri, extra or None)], output_format, show_tests, uri)
    sys.exit(_gate([report], fail_on, min_grade))


# --- check --------------------------------------------------------------------------------


@main.command("check")
@click.argument("app_path", metavar="APP")
@click.option("--path", "paths", multiple=True, help="Also request this path (repeatable).")
@click.option(
    "--https/--http",
    "https",
    default=True,
    show_default=True,
    help="Request pages as https://localhost or http://localhost.",
)
@_gate_options
def check(
    app_path: str,
    paths: tuple[str, ...],
    https: bool,
    output_format: str,
    fail_on: str,
    min_grade: str | None,
    show_tests: bool,
    csp_level: int,
) -> None:
    """Request every GET route of a Flask app and judge each response.

    APP is what flask --app takes: 'module', 'module:app' or 'module:create_app()'. Routes
    that need arguments are skipped; name their URLs with --path.
    """
    from flask.cli import NoAppException, ScriptInfo

    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")  # like flask --app: modules of the current directory
    try:
        app = ScriptInfo(app_import_path=app_path).load_app()
    except NoAppException as exc:
        _fail(str(exc))
    except Exception as exc:  # the app's own import fails: say so without a traceback
        _fail(f"cannot load {app_path}: {type(exc).__name__}: {exc}")
    targets = sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and not rule.arguments
        }
    )
    targets += [path for path in paths if path not in targets]
    if not targets:
        _fail("the app has no GET route without arguments; name pages with --path")
    base_url = "https://localhost" if https else "http://localhost"
    client = app.test_client()
    items = []
    for target in targets:
        try:
            response = client.get(target, base_url=base_url)
        except Exception as exc:  # a view that raises while the app propagates exceptions
            _fail(f"GET {target} raised {type(exc).__name__}: {exc}")
        report = evaluate_headers(response, https=https, csp_level=csp_level)
        items.append(Located(target, report, None, {"status": response.status_code}))
    _emit(items, output_format, show_tests, _module_file(app.import_name))
    sys.exit(_gate([item.report for item in items], fail_on, min_grade))


def _module_file(name: str) -> str:
    module = sys.modules.get(name)
    origin = getattr(module, "__file__", None)
    if not origin:
        return name
    path = Path(origin).resolve()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


# --- validate -----------------------------------------------------------------------------


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def validate(files: tuple[Path, ...], output_format: str) -> None:
    """Validate policy and preset files; one line per error with its location."""
    problems: list[tuple[str, int | None, str]] = []
    valid: list[str] = []
    for path in files:
        if not path.is_file():
            _fail(f"{path}: no such file")
        try:
            load_policy(path)
        except ConfigError as exc:
            for problem in exc.problems:
                _, _, rest = problem.partition(": ")
                location = rest.partition(": ")[0]
                problems.append((path.as_posix(), line_of(path, location), problem))
        else:
            valid.append(path.as_posix())
    if output_format == "json":
        result = {
            "valid": valid,
            "errors": [{"file": f, "line": line, "message": m} for f, line, m in problems],
        }
        click.echo(json.dumps(result, indent=2))
    elif output_format == "sarif":
        click.echo(sarif_problems(problems))
    else:
        for file, line, message in problems:
            rest = message.removeprefix(f"{file}: ")
            click.echo(f"{file}:{line}: {rest}" if line else f"{file}: {rest}")
        for file in valid:
            click.echo(f"{file}: ok")
    sys.exit(EXIT_FAILED if problems else 0)


# --- diff ---------------------------------------------------------------------------------


def load_any(spec: str) -> SecurityPolicy:
    """``preset:NAME``, a policy file (.toml, .json) or a raw header block file."""
    try:
        if spec.startswith("preset:"):
            return load_preset(spec.removeprefix("preset:"))
        path = Path(spec)
        if not path.is_file():
            _fail(f"{spec}: no such file (give a file or preset:NAME)")
        if path.suffix.lower() in (".toml", ".json"):
            return load_policy(path)
        return SecurityPolicy.from_headers(split_header_block(path.read_text(encoding="utf-8")))
    except ConfigError as exc:
        _fail("\n".join(exc.problems))


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
@click.option(
    "--fail-on-looser",
    is_flag=True,
    help="Exit 1 when anything got looser or the grade dropped (a CI regression gate).",
)
@click.option("--https/--http", "https", default=True, show_default=True)
@CSP_LEVEL
def diff(
    old: str, new: str, output_format: str, fail_on_looser: bool, https: bool, csp_level: int
) -> None:
    """Show what got looser or stricter from OLD to NEW, per header and directive.

    OLD and NEW are policy files (.toml, .json), raw header files or preset:NAME. A CSP token
    the browser ignores where it stands (a host beside 'strict-dynamic', 'unsafe-inline'
    beside a nonce) is a fallback for older browsers: adding one is a change, not a loosening.
    """
    result = diff_policies(load_any(old), load_any(new), https=https, csp_level=csp_level)
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    elif output_format == "sarif":
        uri = new if not new.startswith("preset:") else "secheaders.toml"
        click.echo(sarif((finding, uri, None) for finding in result.new_findings))
    else:
        click.echo(diff_text(result))
    regressed = bool(result.looser) or result.grade_dropped
    sys.exit(EXIT_FAILED if fail_on_looser and regressed else 0)
