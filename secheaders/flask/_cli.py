"""``flask secheaders routes``: the effective headers of every endpoint."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from . import EXTENSION


@click.group("secheaders")
def secheaders_group() -> None:
    """secheaders: inspect the security headers of this app."""


@secheaders_group.command("routes")
@click.option("--http", "plain_http", is_flag=True, help="Show what plain-HTTP requests get.")
@click.option(
    "--nonce",
    "with_nonce",
    is_flag=True,
    help="Show the headers of a page that calls csp_nonce(), the nonce as <nonce>.",
)
@with_appcontext
def routes_command(plain_http: bool, with_nonce: bool) -> None:
    """Print the headers each endpoint sends (a report endpoint's URL names SERVER_NAME, or
    localhost)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    host = app.config.get("SERVER_NAME") or "localhost"
    state = app.extensions[EXTENSION]
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))
    for rule in rules:
        compiled = state.compiled_for(app, rule.endpoint)
        header_set = (
            None if compiled is None else compiled.insecure if plain_http else compiled.secure
        )
        headers = (
            [] if header_set is None else header_set.render("<nonce>" if with_nonce else None, host)
        )
        click.echo(f"{rule.endpoint}  {rule.rule}")
        if not headers:
            click.echo("    (exempt: no security headers)")
        for name, value in headers:
            click.echo(f"    {name}: {value}")
