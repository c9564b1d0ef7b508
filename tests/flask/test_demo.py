"""The demo app serves what its page says, with the headers of each policy."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from secheaders import load_preset

sys.path.insert(0, str(Path(__file__).parents[2] / "examples" / "demo"))
from app import create_app


def test_demo_pages() -> None:
    client = create_app().test_client()
    page = client.get("/", base_url="https://127.0.0.1")
    nonces = set(re.findall(r'nonce="([^"]+)"', page.get_data(as_text=True)))
    assert len(nonces) == 1
    assert page.headers["Content-Security-Policy"] == (
        load_preset("strict").to_headers(nonces.pop())[0][1]
        + "; report-uri /_secheaders/reports; report-to secheaders"
    )
    assert page.headers["Reporting-Endpoints"] == (
        'secheaders="https://127.0.0.1/_secheaders/reports"'
    )
    widget = client.get("/widget", base_url="https://127.0.0.1")
    assert "X-Frame-Options" not in widget.headers
    assert "frame-ancestors https://partner.example" in widget.headers["Content-Security-Policy"]
    api = client.get("/api/status", base_url="https://127.0.0.1")
    assert api.json == {"ok": True}
    assert api.headers["Cache-Control"] == "no-store"
    assert api.headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'; "
        "report-uri /_secheaders/reports; report-to secheaders"
    )
    admin = client.get("/admin/", base_url="https://127.0.0.1")
    assert admin.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "'unsafe-inline' https:" in admin.headers["Content-Security-Policy"]
    js = client.get("/static/demo.js", base_url="https://127.0.0.1")
    assert js.status_code == 200
