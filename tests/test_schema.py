"""The JSON Schema of the config format accepts every shipped file and refuses typos."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from secheaders.schema import config_schema

ROOT = Path(__file__).parent.parent
VALIDATOR = jsonschema.Draft202012Validator(config_schema())
FILES = [*sorted((ROOT / "presets").glob("*.toml")), ROOT / "examples" / "policy.toml"]


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(config_schema())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_shipped_files_match_the_schema(path: Path) -> None:
    data = tomllib.loads(path.read_text())
    assert list(VALIDATOR.iter_errors(data)) == []


def test_every_plain_spelling_matches() -> None:
    data = {
        "extends": "strict",
        "description": "mine",
        "x-frame-options": False,
        "x-content-type-options": True,
        "referrer-policy": ["no-referrer", "strict-origin"],
        "content-security-policy": [
            {"img-src": ["'self'"], "upgrade-insecure-requests": False},
            {"default-src": ["'none'"], "extra-directives": {"future-src": ["'self'"]}},
        ],
        "permissions-policy": {"camera": "self", "usb": {"allow": [], "report-to": "pp"}},
        "origin-agent-cluster": {"value": False},
        "clear-site-data": "cache",
        "extend": {"content-security-policy": {"img-src": ["https://img.example"]}},
    }
    assert list(VALIDATOR.iter_errors(data)) == []


@pytest.mark.parametrize(
    "data",
    [
        {"x-frame-option": "DENY"},
        {"x-frame-options": "ALLOW-FROM https://a.example"},
        {"content-security-policy": {"scritp-src": ["'self'"]}},
        {"strict-transport-security": {"max-age": "1"}},
        {"permissions-policy": {"camera": 1}},
        {"extends": ["strict"]},
        {"extend": {"x-frame-option": "DENY"}},
    ],
)
def test_typos_do_not_match(data: dict[str, Any]) -> None:
    assert list(VALIDATOR.iter_errors(data))
