"""Framing in Chromium: frame-ancestors and X-Frame-Options, per preset and per view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from . import rules
from .browse import framed
from .pages import Site, expected_policy

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("parent", ["same-origin", "cross-origin"])
def test_framing(preset: str, parent: str, site: Site, page: Page) -> None:
    origins = site.origins
    parent_origin = origins.app if parent == "same-origin" else origins.other
    src = site.url(preset, "frame-target")
    policy = expected_policy(preset, site.pages["frame-target"], src, None)
    allowed = rules.can_be_framed(policy, src, [parent_origin])
    assert framed(page, site, parent_origin, src) is allowed
    if parent == "cross-origin":
        assert not allowed, "no preset lets another origin frame its pages"
    # The control: the same page, exempt from the policy, can be framed from anywhere.
    assert framed(page, site, parent_origin, site.url(preset, "frame-target", exempt=True))


@pytest.mark.parametrize("parent", ["named", "third", "same-origin"])
def test_frame_ancestors_override(preset: str, parent: str, site: Site, page: Page) -> None:
    """``@secure.override(csp={"frame-ancestors": [OTHER]}, x_frame_options=None)``: only
    OTHER may frame the view; neither a third origin nor the view's own origin may."""
    origins = site.origins
    parent_origin = {"named": origins.other, "third": origins.third, "same-origin": origins.app}[
        parent
    ]
    src = site.url(preset, "embeddable")
    policy = expected_policy(preset, site.pages["embeddable"], src, None)
    assert policy.x_frame_options is None
    allowed = rules.can_be_framed(policy, src, [parent_origin])
    assert allowed is (parent == "named")
    assert framed(page, site, parent_origin, src) is allowed
