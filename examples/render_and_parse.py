"""Render the example policy, then read a real-world header back the way a browser does.

.venv/bin/python examples/render_and_parse.py
"""

from __future__ import annotations

from pathlib import Path

from secheaders import ContentSecurityPolicy, SecurityPolicy, load_policy

HERE = Path(__file__).parent

# Sent by accounts.google.com (see tests/data/real_world_headers.json for the source).
REAL_WORLD_CSP = (
    "script-src 'report-sample' 'nonce-Ou2wWlh39pj0wcn0pAy3CQ' 'unsafe-inline' 'unsafe-eval';"
    "object-src 'none';base-uri 'self';report-uri /cspreport"
)


def main() -> None:
    """Print the example policy's headers and a parsed real-world CSP with its diagnostics."""
    policy: SecurityPolicy = load_policy(HERE / "policy.toml")
    print("== examples/policy.toml rendered ==")
    for name, value in policy.to_headers():
        print(f"{name}: {value}")

    print("\n== a real-world CSP, parsed ==")
    print(f"sent:     {REAL_WORLD_CSP}")
    parsed = ContentSecurityPolicy.from_header(REAL_WORLD_CSP)
    print(f"model:    {parsed.model_dump(by_alias=True, exclude_none=True, mode='json')}")
    print(f"rendered: {parsed.to_header()}")
    for diagnostic in parsed.diagnostics:
        print(f"note:     {diagnostic}")
    assert ContentSecurityPolicy.from_header(parsed.to_header()) == parsed


if __name__ == "__main__":
    main()
