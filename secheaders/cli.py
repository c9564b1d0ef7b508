"""The ``secheaders`` command: render a policy file to headers, parse headers back to models.

Exit codes: 0 success, 1 a header a browser would ignore (``parse``), 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from . import __version__
from .errors import format_validation_error
from .policy import SecurityPolicy

EXIT_IGNORED = 1
EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def load_policy_file(path: Path) -> SecurityPolicy:
    """Read a TOML or JSON policy file; exits with code 2 and readable errors when invalid."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    data: Any
    try:
        if path.suffix == ".json":
            data = json.loads(raw)
        elif path.suffix == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            _fail(f"{path}: unknown file type; use a .toml or .json file")
    except (ValueError, UnicodeDecodeError) as exc:
        _fail(f"{path}: not valid {path.suffix[1:].upper()}: {exc}")
    if not isinstance(data, dict):
        _fail(f"{path}: the top level must be a table of headers")
    try:
        return SecurityPolicy.model_validate(data)
    except ValidationError as exc:
        for line in format_validation_error(exc, source=str(path), data=data):
            click.echo(line, err=True)
        sys.exit(EXIT_USAGE)


def split_header_block(text: str) -> list[tuple[str, str]]:
    """``Name: value`` lines (a status line and blank lines skipped, folded lines joined)."""
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("HTTP/"):
            continue
        if line[0] in " \t" and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or name != name.strip():
            _fail(f"{line!r} is not a 'Name: value' header line")
        pairs.append((name, value.strip()))
    return pairs


@click.group()
@click.version_option(__version__, prog_name="secheaders")
def main() -> None:
    """Typed security headers: render policies, parse real headers."""


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (.toml or .json), keyed by lowercase header name.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["http", "json"]),
    default="http",
    show_default=True,
    help="http: 'Name: value' lines; json: a list of {name, value} objects.",
)
def render(config_path: Path, output_format: str) -> None:
    """Render the headers of a policy file."""
    headers = load_policy_file(config_path).to_headers()
    if output_format == "json":
        items = [{"name": name, "value": value} for name, value in headers]
        click.echo(json.dumps(items, indent=2))
    else:
        for name, value in headers:
            click.echo(f"{name}: {value}")


@main.command()
@click.argument("lines", nargs=-1)
@click.option(
    "--file",
    "header_file",
    type=click.File("r"),
    help="Read a raw header block (for example the output of curl -sI); '-' for stdin.",
)
def parse(lines: tuple[str, ...], header_file: Any) -> None:
    """Parse 'Name: value' header lines as a browser reads them.

    Prints the policy as JSON with the diagnostics. Exits 1 when a browser would ignore one
    of the headers as a whole.
    """
    text = "\n".join(lines)
    if header_file is not None:
        text = f"{text}\n{header_file.read()}"
    pairs = split_header_block(text)
    if not pairs:
        _fail("give at least one header line, e.g. secheaders parse 'X-Frame-Options: DENY'")
    policy = SecurityPolicy.from_headers(pairs)
    result = {
        "policy": policy.model_dump(by_alias=True, exclude_none=True, mode="json"),
        "headers": [{"name": name, "value": value} for name, value in policy.to_headers()],
        "diagnostics": [item.as_dict() for item in policy.diagnostics],
    }
    click.echo(json.dumps(result, indent=2))
    if any(item.code == "ignored-header" for item in policy.diagnostics):
        sys.exit(EXIT_IGNORED)
