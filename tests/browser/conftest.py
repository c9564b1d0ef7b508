"""Fixtures of the browser suite: the site on a real server, one Chromium, a context per test.

A failing test gets a ``browser console`` section in its report (every console message and
page error of its context) and a screenshot of each open page, saved under
``test-results/browser/`` (or beside the ``--junitxml`` report, when one is written).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .browse import PROBE
from .pages import PRESETS, Site, serve

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Names that are not loopback, served by the loopback server: http://app.test:A is a
    # plain-HTTP host the app does not treat as local development.
    "--host-resolver-rules=MAP *.test 127.0.0.1",
    # Send Reporting API reports in under a second instead of batching them for a minute.
    "--short-reporting-delay",
    # The HTTPS origin's certificate is self-signed; the context setting alone does not reach
    # the network service's report uploads.
    "--ignore-certificate-errors",
]
TIMEOUT_MS = 5_000


@dataclass
class BrowserLog:
    """What the browser said during one test."""

    context: BrowserContext
    lines: list[str] = field(default_factory=list)


LOG = pytest.StashKey[BrowserLog]()


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """The site, served on two loopback ports for the whole session."""
    with serve() as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session (Debian's, not a Playwright download)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make pytest` installs it (as root), or run "
            "`apt-get install -y --no-install-recommends chromium`"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser context per test, with the probe in every document it loads."""
    created = browser.new_context(ignore_https_errors=True)  # the site's self-signed cert
    created.set_default_timeout(TIMEOUT_MS)
    created.set_default_navigation_timeout(2 * TIMEOUT_MS)
    created.add_init_script(PROBE)
    log = BrowserLog(created)
    created.on("console", lambda message: log.lines.append(f"{message.type}: {message.text}"))
    created.on("weberror", lambda error: log.lines.append(f"page error: {error.error}"))
    request.node.stash[LOG] = log
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page of this test's context."""
    return context.new_page()


@pytest.fixture(params=PRESETS)
def preset(request: pytest.FixtureRequest) -> str:
    """Each shipped preset in turn."""
    return str(request.param)


def _results_dir(config: pytest.Config) -> Path:
    xml = getattr(config.option, "xmlpath", None)
    base = Path(xml).resolve().parent if xml else config.rootpath / "test-results"
    return base / "browser"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure: the browser console into the report, and a screenshot of every page."""
    report = yield
    log = item.stash.get(LOG, None)
    if log is None or not report.failed or report.when == "teardown":
        return report
    report.sections.append(("browser console", "\n".join(log.lines) or "(no messages)"))
    saved = []
    directory = _results_dir(item.config)
    name = re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", f"{item.path.stem}.{item.name}")
    for index, open_page in enumerate(log.context.pages):
        path = directory / (f"{name}.png" if index == 0 else f"{name}-{index}.png")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            open_page.screenshot(path=str(path), timeout=TIMEOUT_MS)
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"{open_page.url}: no screenshot ({error})")
        else:
            saved.append(f"{open_page.url}: {path}")
    report.sections.append(("browser screenshots", "\n".join(saved) or "(no open pages)"))
    return report
