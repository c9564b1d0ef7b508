"""Script protection in Chromium: the nonce, 'strict-dynamic', event handlers, eval, <base>.

Every expectation comes from the policy the response carries (see ``rules``); the exempt twin
of each page is the control that shows the page itself works when no policy is in force.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from . import rules
from .browse import directives, marks, visit, wait_for
from .pages import Site

pytestmark = pytest.mark.browser


def test_inline_script_runs_only_with_the_nonce(preset: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, "scripts")
    assert opened.nonce is not None, "the page called csp_nonce(), so the CSP carries a nonce"
    ran = marks(page)
    assert ("inline-nonce" in ran) is rules.inline_script_runs(opened.policy, opened.nonce)
    assert "inline-nonce" in ran, "a script with the response's nonce runs under every preset"
    without = rules.inline_script_runs(opened.policy, None)
    assert ("inline-no-nonce" in ran) is without
    if not without:
        assert "script-src-elem" in directives(page)

    visit(page, site, preset, "scripts", exempt=True)
    assert {"inline-nonce", "inline-no-nonce"} <= set(marks(page))


def test_page_without_a_nonce_runs_only_what_the_policy_allows(
    preset: str, site: Site, page: Page
) -> None:
    opened = visit(page, site, preset, "no-nonce")
    assert opened.nonce is None, "a page that never called csp_nonce() carries no nonce"
    ran = marks(page)
    assert ("inline" in ran) is rules.inline_script_runs(opened.policy, None)
    allowed = rules.external_script_runs(
        opened.policy, site.script(preset, "parser"), opened.url, nonced=False, parser_inserted=True
    )
    assert ("parser" in ran) is allowed

    visit(page, site, preset, "no-nonce", exempt=True)
    assert {"inline", "parser"} <= set(marks(page))


def test_scripts_loaded_by_a_nonced_script(preset: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, "scripts")
    wait_for(page, "marks.includes('dynamic-settled')")
    ran = marks(page)
    policy = opened.policy

    def runs(tag: str, *, nonced: bool, parser_inserted: bool) -> bool:
        url = site.script(preset, tag)
        return rules.external_script_runs(
            policy, url, opened.url, nonced=nonced, parser_inserted=parser_inserted
        )

    assert ("dynamic" in ran) is runs("dynamic", nonced=False, parser_inserted=False)
    assert ("parser-nonce" in ran) is runs("parser-nonce", nonced=True, parser_inserted=True)
    assert "parser-nonce" in ran
    assert ("parser-no-nonce" in ran) is runs("parser-no-nonce", nonced=False, parser_inserted=True)
    strict_dynamic = any(
        "'strict-dynamic'" in (rules.sources(csp, "script-src-elem") or [])
        for csp in rules.csp_policies(policy)
    )
    if strict_dynamic:
        # The script a trusted script inserts runs although no host list names it; the same
        # URL in markup, without the nonce, does not.
        assert "dynamic" in ran
        assert "parser-no-nonce" not in ran

    visit(page, site, preset, "scripts", exempt=True)
    wait_for(page, "marks.includes('dynamic-settled')")
    assert {"dynamic", "parser-nonce", "parser-no-nonce"} <= set(marks(page))


def test_inline_event_handler(preset: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, "scripts")
    page.click("#handler")
    wait_for(page, "marks.includes('listener')")  # the click happened
    runs = rules.event_handler_runs(opened.policy)
    assert ("onclick" in marks(page)) is runs
    if not runs:
        assert "script-src-attr" in directives(page)

    visit(page, site, preset, "scripts", exempt=True)
    page.click("#handler")
    wait_for(page, "marks.includes('listener')")
    assert "onclick" in marks(page)


@pytest.mark.parametrize("name", ["scripts", "scripts-eval"])
def test_eval(preset: str, name: str, site: Site, page: Page) -> None:
    opened = visit(page, site, preset, name)
    ran = marks(page)
    assert "inline-nonce" in ran, "the nonced script that tries eval ran"
    if rules.eval_runs(opened.policy):
        assert "eval" in ran
    else:
        assert "eval-threw:EvalError" in ran
        assert "script-src" in directives(page)
    if name == "scripts-eval":
        assert "eval" in ran, "'unsafe-eval' added by @secure.extend lets eval run"

    visit(page, site, preset, name, exempt=True)
    assert "eval" in marks(page)


@pytest.mark.parametrize("target", ["other-origin", "same-origin"])
def test_injected_base_href(preset: str, target: str, site: Site, page: Page) -> None:
    origins = site.origins
    href = f"{origins.other}/elsewhere/" if target == "other-origin" else f"{origins.app}/here/"
    opened = visit(page, site, preset, "base", href=href)
    allowed = rules.base_allowed(opened.policy, href, opened.url)
    base = page.evaluate("document.baseURI")
    link = page.evaluate("document.getElementById('link').href")
    if allowed:
        assert (base, link) == (href, href + "page")
    else:
        assert base == opened.url
        assert link == opened.url.rsplit("/", 1)[0] + "/page"
        wait_for(page, "violations.some(v => v.directive === 'base-uri')")

    visit(page, site, preset, "base", exempt=True, href=href)
    assert page.evaluate("document.baseURI") == href
