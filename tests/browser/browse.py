"""Helpers the browser tests share: open a preset page, read what ran and what was refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict, cast

from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import Response

from secheaders.policy import BY_KEY, SecurityPolicy

from .pages import Site, expected_policy

_NONCE = re.compile(r"'nonce-([^']+)'")
_PRIVATE = SecurityPolicy.from_headers([("Cache-Control", "private")]).plain()["cache-control"]

# Installed in every document of a test's browser context before the page's own scripts (it
# runs through the DevTools protocol, so the page's CSP does not apply to it).
PROBE = """
window.marks = [];
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    disposition: event.disposition,
    sample: event.sample,
  });
});
"""


class Violation(TypedDict):
    """A ``securitypolicyviolation`` event, as the probe records it."""

    directive: str
    blocked: str
    disposition: str
    sample: str


@dataclass(frozen=True, repr=False)
class Opened:
    """A preset page loaded in the browser, with the policy its response carried."""

    url: str
    response: Response
    policy: SecurityPolicy
    nonce: str | None

    def __repr__(self) -> str:
        return f"<opened {self.url} nonce={self.nonce}>"


def security_headers(response: Response) -> list[tuple[str, str]]:
    """The response's security headers (those secheaders models), as the browser got them."""
    return [
        (header["name"], header["value"])
        for header in response.headers_array()
        if header["name"].lower() in BY_KEY
    ]


def visit(
    page: BrowserPage,
    site: Site,
    preset: str,
    name: str,
    *,
    exempt: bool = False,
    origin: str | None = None,
    **query: str | list[str],
) -> Opened:
    """Load a preset page and check that its response carries the policy the preset says.

    The returned policy (the preset, the view's change, plain-HTTP and loopback adjustments,
    the page's nonce) is what each test derives its expectations from. An exempt page must
    carry no security header at all.
    """
    url = site.url(preset, name, exempt=exempt, origin=origin, **query)
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    received = security_headers(response)
    if exempt:
        assert received == [], f"an exempt view sent {received}"
        return Opened(url, response, SecurityPolicy(), None)
    csp = " ".join(value for key, value in received if key.lower() == "content-security-policy")
    found = _NONCE.search(csp)
    nonce = found.group(1) if found else None
    expected = expected_policy(preset, site.pages[name], url, nonce)
    actual = SecurityPolicy.from_headers(received).plain()
    wanted = expected.plain()
    if nonce is not None and "cache-control" not in wanted:
        wanted["cache-control"] = _PRIVATE  # so no shared cache replays the nonce
    assert actual == wanted, f"{url} sent {received}"
    return Opened(url, response, expected, nonce)


def marks(page: BrowserPage) -> list[str]:
    """What the page's scripts recorded as having run."""
    return cast(list[str], page.evaluate("window.marks"))


def violations(page: BrowserPage) -> list[Violation]:
    """The CSP violations the page's document reported."""
    return cast(list[Violation], page.evaluate("window.violations"))


def directives(page: BrowserPage) -> set[str]:
    """The effective directives of the page's violations."""
    return {violation["directive"] for violation in violations(page)}


def wait_for(page: BrowserPage, expression: str) -> None:
    """Wait until a JS expression is true in the page (across navigations)."""
    page.wait_for_function(expression)


BLOCKED_FRAME = "chrome-error://chromewebdata/"  # where Chromium sends a frame it refuses


def framed(page: BrowserPage, site: Site, parent_origin: str, src: str) -> bool:
    """Whether ``src`` shows in an iframe of a page (with no policy) on ``parent_origin``."""
    page.goto(site.harness(parent_origin, "/frame-parent", src=src))
    wait_for(page, "marks.includes('frame-load')")
    (frame,) = page.main_frame.child_frames
    frame.wait_for_url(lambda url: url in (src, BLOCKED_FRAME))
    if frame.url == src:
        assert frame.locator("#framed").count() == 1
        return True
    assert frame.url == BLOCKED_FRAME, frame.url
    return False
