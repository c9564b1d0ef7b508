"""Packaging facts: typed, importable without Flask, data and demo in place."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import secheaders
from secheaders.policy import SLOTS

ROOT = Path(__file__).parent.parent


def test_py_typed_and_vendored_data_ship_in_the_package() -> None:
    package = resources.files("secheaders")
    assert package.joinpath("py.typed").is_file()
    assert package.joinpath("data", "permissions-policy-features.json").is_file()
    assert "permissions-policy-features.json" in (ROOT / "NOTICE").read_text()


def test_core_imports_without_flask() -> None:
    code = "import sys, secheaders, secheaders.cli; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names_resolve() -> None:
    for name in secheaders.__all__:
        assert hasattr(secheaders, name), name


def test_every_slot_renders_its_own_header_name() -> None:
    names = [slot.name for slot in SLOTS]
    assert len(names) == len(set(names))
    assert all(slot.key == slot.name.lower() for slot in SLOTS)


def test_demo_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "render_and_parse.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Content-Security-Policy: default-src 'self'" in result.stdout
    assert "a real-world CSP, parsed" in result.stdout
