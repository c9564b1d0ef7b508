"""``@secure.exempt``: the view really has no policy in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .browse import framed, marks, violations, visit, wait_for
from .pages import Site

pytestmark = pytest.mark.browser


def test_exempt_view_has_no_policy(preset: str, site: Site, page: Page) -> None:
    visit(page, site, preset, "scripts", exempt=True)  # no security header at all
    wait_for(page, "marks.includes('dynamic-settled')")
    page.click("#handler")
    wait_for(page, "marks.includes('listener')")
    assert {"inline-no-nonce", "parser-no-nonce", "dynamic", "eval", "onclick"} <= set(marks(page))
    assert violations(page) == []

    target = site.url(preset, "frame-target", exempt=True)
    assert framed(page, site, site.origins.other, target)
    assert framed(page, site, site.origins.third, target)
