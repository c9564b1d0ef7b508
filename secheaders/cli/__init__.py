"""The ``secheaders`` command: render policies, parse headers, list presets, print the schema.

Exit codes: 0 success, 1 a header a browser would ignore (``parse``), 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from secheaders import __version__
from secheaders.policy import SecurityPolicy
from secheaders.presets import ConfigError, load_policy, load_preset, preset_descriptions
from secheaders.schema import config_schema

EXIT_IGNORED = 1
EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
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
    """Typed security headers: render, parse and check them in CI."""


@main.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (.toml, .json or pyproject.toml), keyed by lowercase header name.",
)
@click.option("--preset", help="A shipped preset instead of a file (see: secheaders presets).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["http", "json", "nginx", "apache"]),
    default="http",
    show_default=True,
    help="http: 'Name: value' lines; json: [{name, value}]; nginx: add_header lines; "
    "apache: Header always set lines.",
)
@click.option(
    "--nonce",
    help="Value for the policy's 'nonce' placeholders (left out when not given).",
)
def render(
    config_path: Path | None, preset: str | None, output_format: str, nonce: str | None
) -> None:
    """Render the headers of a policy file or a preset."""
    if (config_path is None) == (preset is None):
        _fail("give exactly one of --config FILE or --preset NAME")
    try:
        policy = load_policy(config_path) if config_path is not None else load_preset(str(preset))
        headers = policy.to_headers(nonce)
        lines = [format_header(name, value, output_format) for name, value in headers]
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(EXIT_USAGE)
    except ValueError as exc:
        _fail(str(exc))
    if policy.uses_nonce and nonce is None:
        click.echo(
            "note: this policy uses a per-request nonce; its 'nonce' placeholders are left "
            "out. Pass --nonce VALUE to fill them (a real nonce is new for every response).",
            err=True,
        )
    if output_format == "json":
        click.echo(json.dumps([{"name": n, "value": v} for n, v in headers], indent=2))
    else:
        click.echo("\n".join(lines))


def format_header(name: str, value: str, output_format: str) -> str:
    """One header as a line of the chosen output format."""
    if output_format == "nginx":
        if "$" in value:
            raise ValueError(f"{name}: '$' would be read by nginx as a variable")
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'add_header {name} "{quoted}" always;'
    if output_format == "apache":
        if "${" in value:
            raise ValueError(f"{name}: '${{' would be read by Apache as a variable")
        quoted = value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
        return f'Header always set {name} "{quoted}"'
    return f"{name}: {value}"


@main.command("presets")
def list_presets() -> None:
    """List the shipped presets with what each is for."""
    descriptions = preset_descriptions()
    width = max(map(len, descriptions))
    for name, description in descriptions.items():
        click.echo(f"{name.ljust(width)}  {description}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the config format (for editors and CI)."""
    click.echo(json.dumps(config_schema(), indent=2))


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


from . import checks as checks  # noqa: E402  (registers evaluate, check, validate, diff)
from .reports import reports_group  # noqa: E402  (registers reports summarize)

main.add_command(reports_group)
