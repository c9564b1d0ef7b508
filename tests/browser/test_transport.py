"""HSTS and upgrade-insecure-requests over plain HTTP, as local development sees them."""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import Page

from . import rules
from .browse import security_headers, visit, wait_for
from .pages import Site, view_policy

pytestmark = pytest.mark.browser


def load_images(page: Page, site: Site, preset: str, origin: str) -> tuple[list[str], bool]:
    """Open the images page on ``origin`` with two http:// images from the other port: one by
    loopback address, one by a name that is not loopback. Returns what each image became
    (``"http"``: loaded as written; ``"upgraded"``: fetched as https://, which fails here as
    nothing speaks TLS) and whether the page's policy asked for upgrades."""
    token = uuid4().hex
    sources = [
        f"{site.origins.other}/pixel.gif?token={token}-loopback",
        f"{site.origins.other_named}/pixel.gif?token={token}-named",
    ]
    opened = visit(page, site, preset, "images", origin=origin, src=sources)
    names = {name.lower() for name, _ in security_headers(opened.response)}
    assert "strict-transport-security" not in names, "no HSTS over plain HTTP"
    wait_for(page, "[...document.images].every(image => image.complete)")
    images: list[list[object]] = page.evaluate(
        "[...document.images].map(image => [image.currentSrc, image.naturalWidth > 0])"
    )
    reached = {hit.token for hit in site.hits if hit.scheme == "http"}
    outcome = []
    for source, (current, loaded) in zip(sources, images, strict=True):
        token_of = source.rsplit("=", 1)[1]
        if current == source:
            assert loaded, f"{source} was not upgraded yet did not load"
            assert token_of in reached
            outcome.append("http")
        else:
            assert current == source.replace("http://", "https://", 1), current
            assert not loaded
            assert token_of not in reached
            outcome.append("upgraded")
    return outcome, rules.upgrades_requests(opened.policy)


def test_loopback_development(preset: str, site: Site, page: Page) -> None:
    """On http://127.0.0.1 the app sends no HSTS and no upgrade-insecure-requests, so the
    http:// images of the other port load as written, the non-loopback name included."""
    outcome, upgrades = load_images(page, site, preset, site.origins.app)
    assert not upgrades
    assert outcome == ["http", "http"]


def test_plain_http_on_a_public_name(preset: str, site: Site, page: Page) -> None:
    """The control: the same page on http://app.test keeps the preset's
    upgrade-insecure-requests, and Chromium then upgrades the http:// image of a non-loopback
    name. It never upgrades one addressed to a loopback host, so only the named image shows
    the difference."""
    outcome, upgrades = load_images(page, site, preset, site.origins.app_named)
    preset_upgrades = rules.upgrades_requests(view_policy(preset, site.pages["images"]))
    assert upgrades is preset_upgrades
    assert outcome == ["http", "upgraded" if upgrades else "http"]
