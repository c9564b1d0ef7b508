"""Header values sent by real sites (sources in tests/data/real_world_headers.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from secheaders import SecurityPolicy
from secheaders.policy import BY_KEY

CORPUS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "real_world_headers.json").read_text(encoding="utf-8")
)

# Values browsers ignore as a whole, with the reason; each must be reported as ignored.
IGNORED_BY_BROWSERS = {
    ("X-Frame-Options", "ORIGIN"): "not DENY or SAMEORIGIN",
    ("Clear-Site-Data", "cache"): "no valid data type",
    ("Clear-Site-Data", "*"): "no valid data type",
    ("Clear-Site-Data", "cache, cookies, storage"): "no valid data type",
}
# Heroku sends its NEL endpoint unquoted, which is not a structured-field string.
IGNORED_PREFIXES = {("Reporting-Endpoints", "heroku-nel=https://"): "structured-field"}


def _ignored_reason(header: str, value: str) -> str | None:
    if (header, value) in IGNORED_BY_BROWSERS:
        return IGNORED_BY_BROWSERS[(header, value)]
    for (name, prefix), reason in IGNORED_PREFIXES.items():
        if header == name and value.startswith(prefix):
            return reason
    return None


def test_corpus_is_large_and_sourced() -> None:
    readable = [e for e in CORPUS if _ignored_reason(e["header"], e["value"]) is None]
    assert len(readable) >= 50
    assert all(entry["source"] for entry in CORPUS)
    assert all(entry["header"].lower() in BY_KEY for entry in CORPUS)
    assert len({(e["header"], e["value"]) for e in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("entry", CORPUS, ids=[f"{i}-{e['header']}" for i, e in enumerate(CORPUS)])
def test_real_world_value_parses_and_re_renders_equivalently(entry: dict[str, Any]) -> None:
    header, value = entry["header"], entry["value"]
    slot = BY_KEY[header.lower()]
    policy = SecurityPolicy.from_headers([(header, value)])
    ignored = [note for note in policy.diagnostics if note.code == "ignored-header"]
    reason = _ignored_reason(header, value)
    if reason is not None:
        assert getattr(policy, slot.attr) is None
        assert ignored
        assert reason in ignored[0].message
        return
    assert not ignored
    assert getattr(policy, slot.attr) is not None
    rendered = policy.to_headers()
    reread = SecurityPolicy.from_headers(rendered)
    assert reread == policy
    assert reread.to_headers() == rendered
