"""secheaders evaluate, check, validate and diff: inputs, output formats and exit codes."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from secheaders.cli import main

ROOT = Path(__file__).parent.parent.parent
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
STRONG = [
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security: max-age=63072000; includeSubDomains",
    "X-Content-Type-Options: nosniff",
    "Referrer-Policy: no-referrer",
]
WEAK = "Content-Security-Policy: script-src 'self' 'unsafe-inline'"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def headers(*lines: str) -> list[str]:
    return [arg for line in lines for arg in ("--header", line)]


def assert_sarif(text: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    jsonschema.validate(log, SARIF_SCHEMA)
    return log


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_strong_headers_exit_0() -> None:
    code, out, _ = run("evaluate", *headers(*STRONG), "--min-grade", "A+")
    assert code == 0
    assert "grade A+" in out


def test_evaluate_high_finding_exits_1_by_default() -> None:
    code, out, _ = run("evaluate", *headers(WEAK))
    assert code == 1
    assert "unsafe-inline" in out
    assert "hint: use a nonce or hashes instead" in out


def test_fail_on_none_and_min_grade() -> None:
    assert run("evaluate", *headers(WEAK), "--fail-on", "none")[0] == 0
    assert run("evaluate", *headers(WEAK), "--fail-on", "none", "--min-grade", "F")[0] == 0
    assert run("evaluate", *headers(WEAK), "--fail-on", "none", "--min-grade", "D")[0] == 0
    assert run("evaluate", *headers(WEAK), "--fail-on", "none", "--min-grade", "D+")[0] == 1


def test_fail_on_lower_severity() -> None:
    # Only an info finding (no-reporting) and the strict_csp advisories remain.
    assert run("evaluate", *headers(*STRONG))[0] == 0
    assert run("evaluate", *headers(*STRONG), "--fail-on", "info")[0] == 1


def test_evaluate_csp_level() -> None:
    header = (
        "Content-Security-Policy: script-src 'nonce-abc12345' 'strict-dynamic' https:; "
        "object-src 'none'; base-uri 'none'"
    )
    assert run("evaluate", "-H", header)[0] == 0
    code, out, _ = run("evaluate", "-H", header, "--csp-level", "2")
    assert code == 1
    assert "plain-scheme" in out
    assert run("evaluate", "-H", header, "--csp-level", "0")[0] == 2


def test_evaluate_text_shows_tests_and_no_colour_when_piped() -> None:
    _code, out, _ = run("evaluate", *headers(*STRONG), "--show-tests")
    assert "\x1b[" not in out
    assert "+10  content-security-policy" in out
    assert "-20" not in out


def test_evaluate_json_is_stable() -> None:
    _code, out, _ = run("evaluate", *headers(WEAK), "--format", "json")
    data = json.loads(out)
    result = data["results"][0]
    assert set(result) == {
        "source",
        "grade",
        "score",
        "https",
        "csp_level",
        "framing",
        "findings",
        "tests",
    }
    assert result["csp_level"] == 3
    finding = next(f for f in result["findings"] if f["id"] == "unsafe-inline")
    assert finding == {
        "id": "unsafe-inline",
        "severity": "high",
        "header": "Content-Security-Policy",
        "directive": "script-src",
        "value": "'unsafe-inline'",
        "message": "'unsafe-inline' lets injected inline scripts and event handlers run",
        "hint": "use a nonce or hashes instead",
    }
    assert {t["name"] for t in result["tests"]} >= {"content-security-policy", "cookies"}


def test_evaluate_sarif_is_valid() -> None:
    code, out, _ = run("evaluate", *headers(WEAK, "Set-Cookie: session=1"), "--format", "sarif")
    assert code == 1
    log = assert_sarif(out)
    run_ = log["runs"][0]
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    levels = {result["ruleId"]: result["level"] for result in run_["results"]}
    assert levels["unsafe-inline"] == "error"
    assert levels["no-reporting"] == "note"


@pytest.mark.parametrize(
    "content",
    [
        "HTTP/1.1 200 OK\nX-Frame-Options: DENY\nContent-Security-Policy: default-src 'none'\n",
        json.dumps({"X-Frame-Options": "DENY", "Content-Security-Policy": ["default-src 'none'"]}),
        json.dumps([{"name": "X-Frame-Options", "value": "DENY"},
                    ["Content-Security-Policy", "default-src 'none'"]]),
    ],
    ids=["header-block", "json-mapping", "json-list"],
)  # fmt: skip
def test_evaluate_file_formats(tmp_path: Path, content: str) -> None:
    path = tmp_path / "headers"
    path.write_text(content)
    code, out, _ = run("evaluate", "--file", str(path), "--format", "json", "--fail-on", "none")
    tests = {t["name"]: t["result"] for t in json.loads(out)["results"][0]["tests"]}
    assert code == 0
    assert tests["content-security-policy"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert tests["x-frame-options"] == "x-frame-options-sameorigin-or-deny"


def test_evaluate_stdin_and_http() -> None:
    _code, out, _ = run(
        "evaluate", "--file", "-", "--http", "--show-tests", stdin="X-Frame-Options: DENY\n"
    )
    assert "(score" in out
    assert "HTTP)" in out
    assert "hsts-not-implemented-no-https" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give headers"),
        (("--header", "no colon here"), "is not a 'Name: value' header line"),
        (("--url", "ftp://example.com/"), "only http:// and https://"),
        (("--url", "http://127.0.0.1:9/", "--header", "A: b"), "not both"),
    ],
)
def test_evaluate_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    code, _, err = run("evaluate", *args)
    assert code == 2
    assert message in err


def test_evaluate_bad_json_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    for content, message in [("{nope", "looks like JSON"), ('{"A": 1}', "must be strings")]:
        path.write_text(content)
        code, _, err = run("evaluate", "--file", str(path))
        assert code == 2
        assert message in err


def test_evaluate_binary_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "h.bin"
    path.write_bytes(b"\xff\xfe X-Frame-Options: DENY")
    code, _, err = run("evaluate", "--file", str(path))
    assert code == 2
    assert "not text" in err


def test_evaluate_never_crashes_on_broken_headers() -> None:
    broken = [
        "Strict-Transport-Security: max-age=1; max-age=2",
        "X-Frame-Options: ALLOW-FROM https://a.example, DENY",
        "Permissions-Policy: camera=(",
        "Content-Security-Policy: ;;;,,,",
        "Set-Cookie: =",
        "Referrer-Policy: ,,",
    ]
    code, out, err = run("evaluate", *headers(*broken), "--format", "json")
    assert code == 1
    assert not err
    ids = {f["id"] for f in json.loads(out)["results"][0]["findings"]}
    assert {"hsts-duplicate-directive", "permissions-policy-invalid", "csp-missing"} <= ids


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/start":
            self.send_response(301)
            self.send_header("Location", "/final")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Content-Security-Policy", "default-src 'self'")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_evaluate_url_follows_and_reports_redirects(server: str) -> None:
    _code, out, _ = run("evaluate", "--url", f"{server}/start", "--format", "json")
    result = json.loads(out)["results"][0]
    assert result["source"] == f"{server}/final"
    assert result["redirects"] == [f"301 {server}/start"]
    assert result["https"] is False  # the final URL is plain HTTP
    tests = {t["name"]: t["result"] for t in result["tests"]}
    assert tests["x-frame-options"] == "x-frame-options-sameorigin-or-deny"
    assert tests["content-security-policy"] == "csp-implemented-with-no-unsafe"
    assert tests["strict-transport-security"] == "hsts-not-implemented-no-https"


def test_evaluate_url_unreachable_exits_2(server: str) -> None:
    code, _, err = run("evaluate", "--url", "http://127.0.0.1:1/")
    assert code == 2
    assert "error:" in err


# --- check --------------------------------------------------------------------------------

APP = """
from flask import Flask
from secheaders.flask import Secure

def create_app(preset="strict"):
    app = Flask(__name__)
    secure = Secure(app, preset=preset)

    @app.get("/")
    def home():
        return "<p>home</p>"

    @app.get("/item/<int:n>")
    def item(n):
        return str(n)

    @app.post("/form")
    def form():
        return "posted"

    @app.get("/open")
    @secure.exempt
    def open_page():
        return "no policy"

    return app

app = create_app()
"""


@pytest.fixture
def app_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "checkapp.py").write_text(APP)
    monkeypatch.delitem(sys.modules, "checkapp", raising=False)  # each test has its own copy
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_check_requests_every_get_route_without_arguments(app_dir: Path) -> None:
    code, out, _ = run("check", "checkapp:app", "--path", "/item/3", "--format", "json")
    results = {r["source"]: r for r in json.loads(out)["results"]}
    assert set(results) == {"/", "/open", "/item/3"}
    assert results["/"]["grade"] == "A+"
    assert results["/open"]["grade"] == "D"
    assert results["/"]["status"] == 200
    assert code == 1  # /open has no CSP: a high finding


def test_check_factory_and_thresholds(app_dir: Path) -> None:
    code, _, _ = run("check", "checkapp:create_app()", "--path", "/", "--fail-on", "none")
    assert code == 0
    code, _, _ = run("check", "checkapp:create_app()", "--fail-on", "none", "--min-grade", "A")
    assert code == 1


def test_check_csp_level(app_dir: Path) -> None:
    (app_dir / "legacyapp.py").write_text(
        "from flask import Flask\n"
        "from secheaders.flask import Secure, csp_nonce\n"
        "app = Flask(__name__)\n"
        "Secure(app, preset='legacy-compatible')\n"
        "@app.get('/')\n"
        "def home():\n"
        "    return f'<script nonce={csp_nonce()}></script>'\n"
    )
    assert run("check", "legacyapp:app")[0] == 0
    code, out, _ = run("check", "legacyapp:app", "--csp-level", "1", "--format", "json")
    assert code == 1
    (page,) = json.loads(out)["results"]
    assert page["csp_level"] == 1
    high = {f["id"] for f in page["findings"] if f["severity"] == "high"}
    assert high == {"unsafe-inline", "plain-scheme"}


def test_check_sarif_points_at_the_app_module(app_dir: Path) -> None:
    _code, out, _ = run("check", "checkapp:app", "--format", "sarif")
    log = assert_sarif(out)
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"checkapp.py"}
    assert any(r["message"]["text"].startswith("/open: ") for r in results)


def test_check_unknown_app_exits_2(app_dir: Path) -> None:
    code, _, err = run("check", "nosuchmodule:app")
    assert code == 2
    assert "error:" in err


def test_check_app_that_fails_to_import_or_raises_exits_2(app_dir: Path) -> None:
    (app_dir / "raising.py").write_text(
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "app.testing = True\n"
        "@app.get('/')\n"
        "def home():\n"
        "    raise RuntimeError('boom')\n"
    )
    code, _, err = run("check", "raising:app")
    assert code == 2
    assert "error: GET / raised RuntimeError: boom" in err
    (app_dir / "broken.py").write_text("import no_such_dependency\n")
    code, _, err = run("check", "broken:app")
    assert code == 2
    assert "error:" in err
    assert "no_such_dependency" in err


# --- validate -----------------------------------------------------------------------------


def test_validate_good_and_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('x-frame-options = "DENY"\n\n[content-security-policy]\nbogus-src = ["x"]\n')
    good = ROOT / "presets" / "strict.toml"
    code, out, _ = run("validate", str(bad), str(good))
    assert code == 1
    assert f"{bad.as_posix()}:4: content-security-policy.bogus-src: unknown directive" in out
    assert f"{good.as_posix()}: ok" in out
    assert run("validate", str(good))[0] == 0


def test_validate_json_and_sarif(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('referrer-policy = "never"\n')
    code, out, _ = run("validate", str(bad), "--format", "json")
    assert code == 1
    assert json.loads(out)["errors"][0]["line"] == 1
    code, out, _ = run("validate", str(bad), "--format", "sarif")
    result = assert_sarif(out)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "no such file" in err


def test_pre_commit_hook_runs_validate() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: secheaders validate" in text


# --- diff ---------------------------------------------------------------------------------


def test_diff_reports_looser_and_stricter(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    new = tmp_path / "new.toml"
    old.write_text('[content-security-policy]\ndefault-src = ["\'self\'"]\nimg-src = ["*"]\n')
    new.write_text(
        "[content-security-policy]\ndefault-src = [\"'self'\"]\n"
        'script-src = ["\'self\'", "https://cdn.example"]\nimg-src = ["\'self\'"]\n'
    )
    code, out, _ = run("diff", str(old), str(new), "--format", "json")
    assert code == 0
    changes = {(c["directive"], c["direction"]) for c in json.loads(out)["changes"]}
    assert ("script-src", "looser") in changes
    assert ("img-src", "stricter") in changes
    assert run("diff", str(old), str(new), "--fail-on-looser")[0] == 1
    assert run("diff", str(new), str(new), "--fail-on-looser")[0] == 0


def test_diff_fallbacks_pass_the_gate_unless_an_older_level_is_asked(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("Content-Security-Policy: script-src 'nonce-abc12345' 'strict-dynamic'\n")
    new.write_text(
        "Content-Security-Policy: script-src 'nonce-abc12345' 'strict-dynamic' https://cdn.example\n"
    )
    code, out, _ = run("diff", str(old), str(new), "--fail-on-looser")
    assert code == 0
    assert "script-src adds https://cdn.example, a fallback that CSP3 browsers ignore here" in out
    code, out, _ = run("diff", str(old), str(new), "--fail-on-looser", "--csp-level", "2")
    assert code == 1
    assert (
        "looser   Content-Security-Policy script-src: script-src allows https://cdn.example" in out
    )
    assert run("diff", str(old), str(new), "--csp-level", "4")[0] == 2


def test_diff_presets_and_header_files(tmp_path: Path) -> None:
    block = tmp_path / "headers.txt"
    block.write_text("X-Frame-Options: SAMEORIGIN\n")
    code, out, _ = run("diff", "preset:api", str(block))
    assert code == 0
    assert "X-Frame-Options: X-Frame-Options DENY -> SAMEORIGIN" in out
    assert "Content-Security-Policy: Content-Security-Policy is no longer sent" in out
    code, out, _ = run("diff", "preset:api", str(block), "--format", "sarif")
    assert_sarif(out)


def test_diff_bad_input_exits_2() -> None:
    assert run("diff", "preset:nope", "preset:api")[0] == 2
    assert run("diff", "missing.toml", "preset:api")[0] == 2
