"""The secheaders command: render and parse, output formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from secheaders.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "policy.toml"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_render_http() -> None:
    code, out, _ = run("render", "--config", str(EXAMPLE))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Content-Security-Policy: default-src 'self'; script-src")
    assert "Strict-Transport-Security: max-age=63072000; includeSubDomains" in lines


def test_render_json_from_a_json_file(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"x-frame-options": "deny", "referrer-policy": "no-referrer"}))
    code, out, _ = run("render", "--config", str(config), "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "X-Frame-Options", "value": "DENY"},
        {"name": "Referrer-Policy", "value": "no-referrer"},
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.toml",
            '[content-security-policy]\nscript-src = ["\'self\'", "self"]\n',
            "bad.toml: content-security-policy.script-src[1]: self is read as a host name",
        ),
        (
            "typo.toml",
            'x-frame-option = "DENY"\n',
            "typo.toml: x-frame-option: unknown header 'x-frame-option' (did you mean x-frame-o",
        ),
        ("broken.toml", "[content-security-policy\n", "broken.toml: not valid TOML"),
        ("broken.json", "{", "broken.json: not valid JSON"),
        ("list.json", "[]", "the top level must be a table"),
        ("policy.yaml", "a: 1", "policy.yaml: unknown file type; use a .toml or .json file"),
        ("latin1.toml", b"x = '\xe9'", "not valid TOML"),
    ],
)
def test_render_bad_config_exits_2_with_a_location(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    code, out, err = run("render", "--config", str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_render_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("render", "--config", str(tmp_path / "missing.toml"))
    assert code == 2
    assert "cannot read" in err


def test_parse_prints_model_and_diagnostics() -> None:
    code, out, _ = run(
        "parse",
        "Content-Security-Policy: script-src self 'nonce-abc'; object-src 'none'",
        "X-Frame-Options: SAMEORIGIN",
    )
    assert code == 0
    result = json.loads(out)
    assert result["policy"] == {
        "content-security-policy": {
            "script-src": ["self", "'nonce-abc'"],
            "object-src": ["'none'"],
        },
        "x-frame-options": "SAMEORIGIN",
    }
    assert result["diagnostics"][0]["code"] == "suspicious-source"
    assert result["diagnostics"][0]["token"] == "self"
    assert result["headers"][1] == {"name": "X-Frame-Options", "value": "SAMEORIGIN"}


def test_parse_exits_1_when_a_header_is_ignored() -> None:
    code, out, _ = run("parse", "Strict-Transport-Security: includeSubDomains")
    assert code == 1
    assert json.loads(out)["diagnostics"][0]["code"] == "ignored-header"


def test_parse_reads_a_raw_block_from_stdin() -> None:
    block = "HTTP/2 200\r\ncontent-type: text/html\r\nx-frame-options: deny\r\n\r\n"
    code, out, _ = run("parse", "--file", "-", stdin=block)
    assert code == 0
    assert json.loads(out)["policy"] == {"x-frame-options": "DENY"}


@pytest.mark.parametrize("args", [(), ("not a header line",), (" X-Frame-Options: DENY",)])
def test_parse_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    code, _, err = run("parse", *args)
    assert code == 2
    assert "error:" in err


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "secheaders", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("secheaders, version ")


def test_render_preset_without_and_with_a_nonce() -> None:
    code, out, err = run("render", "--preset", "strict")
    assert code == 0
    assert "script-src 'none';" in out
    assert "'nonce" not in out
    assert "--nonce VALUE" in err
    code, out, err = run("render", "--preset", "strict", "--nonce", "abc123")
    assert code == 0
    assert "script-src 'nonce-abc123' 'strict-dynamic';" in out
    assert err == ""
    code, out, err = run("render", "--preset", "api")
    assert (code, err) == (0, "")


def test_render_nginx_and_apache() -> None:
    code, out, _ = run("render", "--preset", "basic", "--format", "nginx")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("add_header Content-Security-Policy \"default-src 'self';")
    assert all(line.startswith("add_header ") and line.endswith('" always;') for line in lines)
    assert 'add_header Permissions-Policy "camera=(), geolocation=()' in out
    code, out, _ = run("render", "--preset", "basic", "--format", "apache")
    assert code == 0
    assert 'Header always set X-Frame-Options "SAMEORIGIN"' in out.splitlines()


def test_nginx_and_apache_escaping(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text(
        json.dumps(
            {
                "permissions-policy": {"geolocation": ["self", "https://maps.example"]},
                "content-security-policy": {"img-src": ["https://a.example/100%25"]},
            }
        )
    )
    _, out, _ = run("render", "--config", str(config), "--format", "nginx")
    assert (
        'add_header Permissions-Policy "geolocation=(self \\"https://maps.example\\")" always;'
        in out
    )
    _, out, _ = run("render", "--config", str(config), "--format", "apache")
    assert "img-src https://a.example/100%%25" in out
    dollar = tmp_path / "dollar.json"
    dollar.write_text(
        json.dumps({"content-security-policy": {"img-src": ["https://a.example/$x"]}})
    )
    code, _, err = run("render", "--config", str(dollar), "--format", "nginx")
    assert code == 2
    assert "nginx as a variable" in err
    brace = tmp_path / "brace.json"
    brace.write_text(
        json.dumps({"content-security-policy": {"extra-directives": {"x-future": ["${x}"]}}})
    )
    code, _, err = run("render", "--config", str(brace), "--format", "apache")
    assert code == 2
    assert "Apache as a variable" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("render",), "exactly one of --config FILE or --preset NAME"),
        (("render", "--preset", "strict", "--config", "x.toml"), "exactly one of"),
        (("render", "--preset", "strikt"), "unknown preset 'strikt' (did you mean strict?)"),
        (("render", "--preset", "strict", "--nonce", "no spaces"), "must be base64"),
    ],
)
def test_render_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert out == ""


def test_render_reads_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.secheaders]\nextends = "api"\nx-frame-options = false\n')
    code, out, _ = run("render", "--config", str(pyproject))
    assert code == 0
    assert "X-Frame-Options" not in out
    assert "Cache-Control: no-store" in out


def test_presets_command_lists_names_and_descriptions() -> None:
    code, out, _ = run("presets")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == ["api", "basic", "legacy-compatible", "strict"]
    assert "JSON APIs" in out


def test_schema_command_prints_the_config_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "content-security-policy" in schema["properties"]
    assert "extends" in schema["properties"]
