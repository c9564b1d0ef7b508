"""Reporting in Chromium: a report-only violation does not block, and the browser's own
reports reach the project's receiver with the right directive and disposition.

The ``/reporting`` app is a staged roll-out (``basic`` enforced, a nonce-based script policy
report-only). Over plain HTTP the project sends ``report-uri`` alone and Chromium posts
legacy ``application/csp-report`` bodies; over HTTPS it adds ``report-to`` and
``Reporting-Endpoints`` and Chromium uses the Reporting API.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from secheaders.reports import Violation

from .browse import marks, violations, wait_for
from .pages import REPORT_PATH, Site

pytestmark = pytest.mark.browser


def received(site: Site, page: Page, document: str, **fields: str) -> Violation:
    """The first delivered report about ``document`` whose fields match, waiting for it.

    Chromium keeps a Reporting API report that was queued while an upload to the same
    endpoint was in flight until another report is queued (up to a minute otherwise), so
    every two seconds without it the page is reloaded, which queues new reports.
    """
    deadline = time.monotonic() + 15
    nudge = time.monotonic() + 2
    while time.monotonic() < deadline:
        for report in list(site.reports):
            if report.document_url == document and all(
                getattr(report, name) == value for name, value in fields.items()
            ):
                return report
        if time.monotonic() > nudge:
            page.reload()
            nudge = time.monotonic() + 2
        time.sleep(0.05)
    raise AssertionError(f"no report {fields} about {document}; got {site.reports}")


@pytest.mark.parametrize(
    ("scheme", "wire_format"), [("http", "csp-report"), ("https", "reports+json")]
)
def test_staged_roll_out_reports_reach_the_receiver(
    site: Site, page: Page, scheme: str, wire_format: str
) -> None:
    origin = site.origins.secure if scheme == "https" else site.origins.app
    url = f"{origin}/reporting/page"
    response = page.goto(url)
    assert response is not None
    headers = response.headers
    reporting = f"report-uri /reporting{REPORT_PATH}"
    if scheme == "https":
        reporting += "; report-to secheaders"
        endpoint = f"{origin}/reporting{REPORT_PATH}"
        assert headers["reporting-endpoints"] == f'secheaders="{endpoint}"'
    else:
        assert "reporting-endpoints" not in headers
    assert headers["content-security-policy"].endswith(reporting)
    assert headers["content-security-policy-report-only"].endswith(reporting)
    wait_for(page, "violations.length >= 3")

    # Only the report-only policy refuses a same-origin script without the nonce: it runs.
    ran = marks(page)
    assert "nonced" in ran
    assert "self" in ran
    # Both policies refuse the inline script; the enforced one blocks it.
    assert "inline" not in ran
    seen = {(v["directive"], v["blocked"], v["disposition"]) for v in violations(page)}
    script = f"{origin}/reporting/script.js?tag=self"
    assert ("script-src-elem", script, "report") in seen
    assert ("script-src-elem", "inline", "enforce") in seen
    assert ("script-src-elem", "inline", "report") in seen

    reported = received(
        site, page, url, directive="script-src-elem", blocked_url=script, disposition="report"
    )
    assert reported.type == "csp-violation"
    assert reported.format == wire_format
    enforced = received(
        site, page, url, directive="script-src-elem", blocked_url="inline", disposition="enforce"
    )
    assert enforced.format == wire_format
    assert enforced.original_policy is not None
    assert enforced.original_policy.startswith("default-src 'self'")
    received(
        site, page, url, directive="script-src-elem", blocked_url="inline", disposition="report"
    )
