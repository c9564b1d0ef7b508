"""Shipped presets and config files: loading, extends, errors that say where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secheaders import (
    ConfigError,
    ContentSecurityPolicy,
    SecurityPolicy,
    load_policy,
    load_preset,
    presets,
)
from secheaders.presets import preset_descriptions

GOLDEN = Path(__file__).parent / "golden"
NONCE = "R4nd0mN0nc3R4nd0mN0nc3Q"


def test_the_four_presets_ship_with_descriptions() -> None:
    assert presets() == ["api", "basic", "legacy-compatible", "strict"]
    descriptions = preset_descriptions()
    assert all(descriptions[name] for name in presets())


@pytest.mark.parametrize("name", presets())
def test_preset_renders_exactly_its_golden_file(name: str) -> None:
    policy = load_preset(name)
    rendered = "".join(f"{n}: {v}\n" for n, v in policy.to_headers(NONCE))
    assert rendered == (GOLDEN / f"{name}.http").read_text()


@pytest.mark.parametrize("name", presets())
def test_preset_round_trips_through_render_and_parse(name: str) -> None:
    policy = load_preset(name)
    reread = SecurityPolicy.from_headers(policy.to_headers(NONCE))
    assert reread == policy.with_nonce(NONCE)
    assert reread.diagnostics == ()
    without_nonce = SecurityPolicy.from_headers(policy.to_headers())
    assert not without_nonce.diagnostics
    assert NONCE not in str(without_nonce.to_headers())


def test_nonce_placeholders_are_where_the_presets_say() -> None:
    strict = load_preset("strict").csp
    assert strict is not None
    assert strict.to_header(NONCE).startswith(
        f"default-src 'none'; script-src 'nonce-{NONCE}' 'strict-dynamic'; "
        f"style-src 'self' 'nonce-{NONCE}';"
    )
    assert load_preset("legacy-compatible").uses_nonce
    assert not load_preset("api").uses_nonce
    assert not load_preset("basic").uses_nonce


def test_unknown_preset_suggests_a_name() -> None:
    with pytest.raises(ConfigError, match="unknown preset 'strikt' \\(did you mean strict\\?\\)"):
        load_preset("strikt")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_extends_a_preset_and_changes_single_directives(tmp_path: Path) -> None:
    config = write(
        tmp_path / "secheaders.toml",
        """
extends = "strict"
x-frame-options = false
cross-origin-opener-policy = "same-origin-allow-popups"

[content-security-policy]
frame-ancestors = ["'self'"]
upgrade-insecure-requests = false

[strict-transport-security]
preload = true

[extend.content-security-policy]
img-src = ["https://images.example"]
script-src = ["https://cdn.example"]
""",
    )
    policy = load_policy(config)
    strict = load_preset("strict")
    assert policy.x_frame_options is None
    assert policy.cross_origin_opener_policy is not None
    assert policy.cross_origin_opener_policy.value == "same-origin-allow-popups"
    csp = policy.csp
    assert csp is not None
    assert csp.to_header(NONCE) == (
        f"default-src 'none'; script-src 'nonce-{NONCE}' 'strict-dynamic' https://cdn.example; "
        f"style-src 'self' 'nonce-{NONCE}'; img-src 'self' data: https://images.example; "
        "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
        "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    assert policy.strict_transport_security is not None
    assert policy.strict_transport_security.to_header() == (
        "max-age=63072000; includeSubDomains; preload"
    )
    assert policy.permissions_policy == strict.permissions_policy


def test_a_file_extends_another_file(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    write(tmp_path / "base" / "common.toml", 'extends = "basic"\nx-frame-options = "DENY"\n')
    child = write(tmp_path / "site.json", json.dumps({"extends": "base/common.toml"}))
    policy = load_policy(child)
    assert policy.x_frame_options is not None
    assert policy.x_frame_options.value == "DENY"
    assert policy.csp == load_preset("basic").csp


def test_pyproject_table(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.secheaders]\nextends = "api"\n'
        'referrer-policy = "same-origin"\n',
    )
    policy = load_policy(pyproject)
    assert policy.referrer_policy is not None
    assert policy.referrer_policy.policy == ("same-origin",)
    assert load_policy(write(tmp_path / "empty.toml", "")) == SecurityPolicy()
    bare = tmp_path / "bare"
    bare.mkdir()
    with pytest.raises(ConfigError, match=r"no \[tool.secheaders\] table"):
        load_policy(write(bare / "pyproject.toml", '[project]\nname = "x"\n'))


def test_a_mapping_loads_like_a_file() -> None:
    policy = load_policy({"extends": "api", "cache-control": {"no-store": True, "private": True}})
    assert policy.cache_control is not None
    assert policy.cache_control.to_header() == "no-store, private"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[content-security-policy]\nscript-src = ["\'self\'", "self"]\n',
            "{file}: content-security-policy.script-src[1]: self is read as a host name, "
            "not a keyword; write 'self'",
        ),
        (
            "[content-security-policy]\nscritp-src = [\"'self'\"]\n",
            "{file}: content-security-policy.scritp-src: unknown directive 'scritp-src' "
            "(did you mean script-src?)",
        ),
        (
            'x-frame-option = "DENY"\n',
            "{file}: x-frame-option: unknown header 'x-frame-option' (did you mean "
            "x-frame-options?)",
        ),
        (
            'extends = "strict"\n[strict-transport-security]\nmax-age = 60\npreload = true\n',
            "{file}: strict-transport-security.preload: preload needs max-age of at least",
        ),
        ('extends = "stict"\n', "{file}: extends: unknown preset 'stict' (did you mean strict?)"),
        ("extends = 3\n", "{file}: extends: must be a preset name or a file path"),
        ("description = 3\n", "{file}: description: must be a string"),
        ("extend = 3\n", "{file}: extend: must be a table of headers"),
        (
            'extends = "strict"\n[extend]\nx-frame-options = "SAMEORIGIN"\n',
            "{file}: extend.x-frame-options: X-Frame-Options cannot be extended, only replaced",
        ),
        (
            'extends = "api"\n[extend.content-security-policy]\nimg-scr = ["x.example"]\n',
            "{file}: extend.content-security-policy.img-scr: Content-Security-Policy: unknown "
            "directive 'img-scr' (did you mean img-src?)",
        ),
        (
            '[permissions-policy]\ngeolocaton = ["self"]\n',
            "{file}: permissions-policy.geolocaton: geolocaton is not a registered feature "
            "(did you mean geolocation?)",
        ),
        ("[content-security-policy\n", "{file}: not valid TOML"),
        (
            'extends = "strict"\n[extend.permissions-policy]\nfullscreen = ["self"]\n',
            "{file}: extend.permissions-policy.fullscreen: Permissions-Policy: fullscreen is "
            "not in the policy",
        ),
        (
            "origin-agent-cluster = {value = false}\n[extend]\nclear-site-data = 3\n",
            "{file}: extend.clear-site-data: Clear-Site-Data: expected a list of values, got 3",
        ),
        ('extends = "missing.toml"\n', "{file}: extends: {dir}/missing.toml: cannot read"),
    ],
)
def test_errors_name_file_key_path_and_token(tmp_path: Path, text: str, problem: str) -> None:
    config = write(tmp_path / "secheaders.toml", text)
    with pytest.raises(ConfigError) as exc_info:
        load_policy(config)
    expected = problem.format(file=config, dir=tmp_path)
    assert any(line.startswith(expected) for line in exc_info.value.problems), (
        exc_info.value.problems
    )


def test_every_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    config = write(
        tmp_path / "secheaders.toml",
        '[content-security-policy]\nscript-src = ["self"]\nimg-src = ["\'x\'"]\n'
        "[strict-transport-security]\nmax-age = -1\n",
    )
    with pytest.raises(ConfigError) as exc_info:
        load_policy(config)
    assert len(exc_info.value.problems) == 3


def test_extends_cycles_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="a cycle"):
        load_policy(tmp_path / "a.toml")


def test_csp_array_of_tables_replaces_the_policies(tmp_path: Path) -> None:
    config = write(
        tmp_path / "secheaders.toml",
        'extends = "strict"\n[[content-security-policy]]\nscript-src = ["\'nonce\'"]\n'
        "[[content-security-policy]]\nobject-src = [\"'none'\"]\n",
    )
    policy = load_policy(config)
    assert policy.content_security_policy == (
        ContentSecurityPolicy(script_src=["'nonce'"]),
        ContentSecurityPolicy(object_src=["'none'"]),
    )
