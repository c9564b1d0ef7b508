"""Isolation in Chromium: Permissions-Policy and Cross-Origin-Opener-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from . import rules
from .browse import visit, wait_for
from .pages import Site, expected_policy

pytestmark = pytest.mark.browser

# Checked on every page besides the features the policy names: one no preset names, and two
# that some presets deny.
ALWAYS_CHECKED = {"fullscreen", "geolocation", "camera"}


def allowed_features(page: Page, features: list[str]) -> dict[str, bool]:
    """``document.featurePolicy.allowsFeature`` for each feature (Chromium has no
    ``document.permissionsPolicy``)."""
    result: dict[str, bool] = page.evaluate(
        "features => Object.fromEntries("
        "features.map(name => [name, document.featurePolicy.allowsFeature(name)]))",
        features,
    )
    return result


@pytest.mark.parametrize("name", ["permissions", "permissions-geolocation"])
def test_permissions_policy(preset: str, name: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, name)
    known = set(page.evaluate("document.featurePolicy.features()"))
    named = set(opened.policy.plain().get("permissions-policy", {}))
    # A feature Chromium does not know cannot be asked about (allowsFeature says false for
    # any unknown name); Chromium logs "Unrecognized feature" for it and ignores it.
    features = sorted((named | ALWAYS_CHECKED) & known)
    allowed = allowed_features(page, features)
    assert allowed == {
        feature: rules.feature_allowed(opened.policy, feature, opened.url) for feature in features
    }
    if named - {"geolocation"}:
        assert not all(allowed.values()), "a feature the policy denies is reported as denied"
    assert allowed["fullscreen"], "a feature the policy does not name keeps its default"
    if name == "permissions-geolocation":
        assert allowed["geolocation"], "geolocation=(self) from @secure.override"

    visit(page, site, preset, name, exempt=True)
    assert all(allowed_features(page, features).values())


def popup_keeps_opener(context: BrowserContext, page: Page, opener_url: str, url: str) -> bool:
    """Open ``url`` from a page at ``opener_url``; whether the two keep handles to each other."""
    page.goto(opener_url)
    with context.expect_page() as created:
        page.evaluate("url => { window.popup = window.open(url); }", url)
    popup = created.value
    popup.wait_for_url(url)
    popup.wait_for_load_state()
    kept = bool(popup.evaluate("window.opener !== null"))
    if kept:
        assert page.evaluate("window.popup.closed") is False
    else:
        wait_for(page, "window.popup.closed")  # the opener's handle is dead too
    popup.close()
    return kept


@pytest.mark.parametrize("opener", ["cross-origin", "same-origin"])
def test_cross_origin_opener_policy(
    preset: str, opener: str, site: Site, context: BrowserContext, page: Page
) -> None:
    origins = site.origins
    opener_url = site.harness(origins.other if opener == "cross-origin" else origins.app, "/blank")
    url = site.url(preset, "coop")
    policy = expected_policy(preset, site.pages["coop"], url, None)
    assert rules.is_potentially_trustworthy(url), "COOP applies on http://127.0.0.1"
    severed = rules.opener_is_severed(policy, url, opener_url)
    assert popup_keeps_opener(context, page, opener_url, url) is not severed

    control = site.url(preset, "coop", exempt=True)
    assert popup_keeps_opener(context, page, opener_url, control)
