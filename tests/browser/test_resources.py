"""Plugins and forms in Chromium: object-src and form-action."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from . import rules
from .browse import directives, marks, visit, wait_for
from .pages import Site

pytestmark = pytest.mark.browser

SETTLED_OBJECT = (
    "marks.includes('object-loaded') || violations.some(v => v.directive === 'object-src')"
)


def test_object(preset: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, "object")
    target = f"{site.origins.app}/object-target"
    allowed = rules.fetch_allowed(opened.policy, "object-src", target, opened.url)
    wait_for(page, SETTLED_OBJECT)
    assert ("object-loaded" in marks(page)) is allowed
    assert ("object-src" in directives(page)) is not allowed
    assert not allowed, "every preset blocks plugin content"

    visit(page, site, preset, "object", exempt=True)
    wait_for(page, SETTLED_OBJECT)
    assert "object-loaded" in marks(page)


@pytest.mark.parametrize("target", ["same-origin", "cross-origin"])
def test_form_action(preset: str, target: str, site: Site, page: Page) -> None:
    origin = site.origins.app if target == "same-origin" else site.origins.other
    action = f"{origin}/sink"
    settled = "location.pathname === '/sink' || violations.some(v => v.directive === 'form-action')"

    opened = visit(page, site, preset, "form", action=action)
    allowed = rules.form_action_allowed(opened.policy, action, opened.url)
    page.click("#submit", no_wait_after=True)
    wait_for(page, settled)
    assert (page.url == action) is allowed
    if not allowed:
        assert "form-action" in directives(page)

    visit(page, site, preset, "form", exempt=True, action=action)
    page.click("#submit", no_wait_after=True)
    wait_for(page, settled)
    assert page.url == action
