"""What a browser must do under a policy: the expectations of the browser tests.

Each function reads a :class:`SecurityPolicy` (the one the response carries) and answers one
question the way CSP Level 3, HTML and the Permissions Policy spec answer it, for the cases the
tests use. Anything outside those cases raises ``NotImplementedError`` rather than guess, so a
new preset value cannot make a test pass by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

from secheaders.compiled import is_local_host
from secheaders.policy import SecurityPolicy

# CSP3 §6.8.3: the directive a check falls back to when its own is absent.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "script-src-elem": ("script-src-elem", "script-src", "default-src"),
    "script-src-attr": ("script-src-attr", "script-src", "default-src"),
    "script-src": ("script-src", "default-src"),
    "img-src": ("img-src", "default-src"),
    "object-src": ("object-src", "default-src"),
    "frame-src": ("frame-src", "child-src", "default-src"),
}
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_KEYWORDS = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'strict-dynamic'",
    "'report-sample'",
    "'wasm-unsafe-eval'",
    "'inline-speculation-rules'",
}
_NONCE_OR_HASH = re.compile(r"'(nonce|sha256|sha384|sha512)-[^']+'")
_SCHEME_SOURCE = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_HOST_SOURCE = re.compile(
    r"(?:(?P<scheme>[a-z][a-z0-9+.\-]*)://)?(?P<host>\*|(?:\*\.)?[^/:]+)"
    r"(?::(?P<port>\d+|\*))?(?P<path>/.*)?",
    re.IGNORECASE,
)


def csp_policies(policy: SecurityPolicy) -> list[dict[str, Any]]:
    """The enforced CSP policies, each in plain form (directive -> list of sources)."""
    value = policy.plain().get("content-security-policy")
    if value is None:
        return []
    return [dict(value)] if isinstance(value, Mapping) else [dict(item) for item in value]


def sources(csp: Mapping[str, Any], directive: str) -> list[str] | None:
    """The source list that governs ``directive`` in one policy (after fallback); ``None``:
    nothing governs it."""
    for name in FALLBACKS.get(directive, (directive,)):
        if name in csp:
            return list(csp[name])
    return None


def _allows_all_inline(source_list: list[str], *, script: bool) -> bool:
    """CSP3 "Does a source list allow all inline behavior for type?"."""
    return (
        "'unsafe-inline'" in source_list
        and not any(_NONCE_OR_HASH.fullmatch(source) for source in source_list)
        and not (script and "'strict-dynamic'" in source_list)
    )


def _every(policy: SecurityPolicy, directive: str, check: Any) -> bool:
    """Allowed when every enforced policy governing ``directive`` allows it."""
    for csp in csp_policies(policy):
        source_list = sources(csp, directive)
        if source_list is not None and not check(source_list):
            return False
    return True


def inline_script_runs(policy: SecurityPolicy, nonce: str | None) -> bool:
    """Whether an inline ``<script>`` runs; ``nonce`` is the one it carries, if any."""

    def check(source_list: list[str]) -> bool:
        if nonce is not None and f"'nonce-{nonce}'" in source_list:
            return True
        return _allows_all_inline(source_list, script=True)

    return _every(policy, "script-src-elem", check)


def event_handler_runs(policy: SecurityPolicy) -> bool:
    """Whether an inline event handler attribute (``onclick="..."``) runs."""
    return _every(
        policy, "script-src-attr", lambda source_list: _allows_all_inline(source_list, script=True)
    )


def eval_runs(policy: SecurityPolicy) -> bool:
    """Whether ``eval()`` runs (CSP3 checks ``script-src``, then ``default-src``)."""
    return _every(policy, "script-src", lambda source_list: "'unsafe-eval'" in source_list)


def external_script_runs(
    policy: SecurityPolicy, url: str, page_url: str, *, nonced: bool, parser_inserted: bool
) -> bool:
    """Whether ``<script src=url>`` runs: with the page's nonce, or by its URL, or (under
    ``'strict-dynamic'``) because a trusted script inserted it."""

    def check(source_list: list[str]) -> bool:
        if nonced and any(source.startswith("'nonce-") for source in source_list):
            return True
        if "'strict-dynamic'" in source_list:
            return not parser_inserted
        return url_matches(source_list, url, page_url)

    return _every(policy, "script-src-elem", check)


def fetch_allowed(policy: SecurityPolicy, directive: str, url: str, page_url: str) -> bool:
    """Whether a request governed by a fetch directive (``img-src``, ``object-src``) may go."""
    return _every(policy, directive, lambda source_list: url_matches(source_list, url, page_url))


def base_allowed(policy: SecurityPolicy, href: str, page_url: str) -> bool:
    """Whether ``<base href>`` takes effect (``base-uri`` has no fallback)."""
    return fetch_allowed(policy, "base-uri", href, page_url)


def form_action_allowed(policy: SecurityPolicy, action: str, page_url: str) -> bool:
    """Whether a form may submit to ``action`` (``form-action`` has no fallback)."""
    return fetch_allowed(policy, "form-action", action, page_url)


def upgrades_requests(policy: SecurityPolicy) -> bool:
    """Whether an enforced policy asks the browser to upgrade insecure requests."""
    return any(csp.get("upgrade-insecure-requests") for csp in csp_policies(policy))


def url_matches(source_list: Iterable[str], url: str, self_url: str) -> bool:
    """CSP3 "Does url match source list in origin with redirect count?" (no redirects)."""
    target = urlsplit(url)
    own = urlsplit(self_url)
    for source in source_list:
        if source == "'none'" or source in _KEYWORDS or _NONCE_OR_HASH.fullmatch(source):
            continue
        if source == "'self'":
            if _same_or_upgraded(own, target):
                return True
            continue
        if source.startswith("'"):
            raise NotImplementedError(f"source {source!r}")
        if _SCHEME_SOURCE.fullmatch(source):
            scheme = source[:-1].lower()
            if target.scheme == scheme or (scheme == "http" and target.scheme == "https"):
                return True
            continue
        match = _HOST_SOURCE.fullmatch(source)
        if match is None:
            raise NotImplementedError(f"source {source!r}")
        if _host_source_matches(match, target, own):
            return True
    return False


def _port(parts: SplitResult) -> int | None:
    return parts.port if parts.port is not None else DEFAULT_PORTS.get(parts.scheme)


def _same_or_upgraded(own: SplitResult, target: SplitResult) -> bool:
    """'self': the same origin, or the same host with http upgraded to https (CSP3 §6.7.2.8)."""
    if own.hostname != target.hostname:
        return False
    if own.scheme == target.scheme:
        return _port(own) == _port(target)
    return (
        own.scheme == "http"
        and target.scheme == "https"
        and (_port(own) == _port(target) or (_port(own) == 80 and _port(target) == 443))
    )


def _host_source_matches(match: re.Match[str], target: SplitResult, own: SplitResult) -> bool:
    scheme = (match["scheme"] or "").lower()
    if scheme:
        if not (target.scheme == scheme or (scheme == "http" and target.scheme == "https")):
            return False
    elif not (target.scheme == own.scheme or (own.scheme == "http" and target.scheme == "https")):
        return False
    host = match["host"].lower()
    name = target.hostname or ""
    if host == "*":
        pass
    elif host.startswith("*."):
        if not name.endswith(host[1:]):
            return False
    elif name != host:
        return False
    port = match["port"]
    if port != "*":
        wanted = int(port) if port else DEFAULT_PORTS.get(scheme or target.scheme)
        actual = _port(target)
        if actual != wanted and not (wanted == 80 and actual == 443 and target.scheme == "https"):
            return False
    path = match["path"]
    if path:
        if path.endswith("/"):
            return target.path.startswith(path)
        return target.path == path
    return True


# --- framing, isolation, features -------------------------------------------------------------


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def can_be_framed(policy: SecurityPolicy, page_url: str, ancestors: Iterable[str]) -> bool:
    """Whether the page may be shown in a frame whose ancestors have these origins.

    CSP ``frame-ancestors`` decides when present (X-Frame-Options is then ignored, CSP3
    §6.4.2.3 and HTML's "check a navigation response's adherence to X-Frame-Options");
    otherwise X-Frame-Options ``DENY`` refuses every frame and ``SAMEORIGIN`` every ancestor of
    another origin.
    """
    ancestors = list(ancestors)
    governing = [csp["frame-ancestors"] for csp in csp_policies(policy) if "frame-ancestors" in csp]
    if governing:
        return all(
            url_matches(source_list, ancestor + "/", page_url)
            for source_list in governing
            for ancestor in ancestors
        )
    xfo = policy.plain().get("x-frame-options")
    if xfo is None:
        return True
    if xfo == "DENY":
        return False
    if xfo == "SAMEORIGIN":
        return all(ancestor == origin_of(page_url) for ancestor in ancestors)
    raise NotImplementedError(f"X-Frame-Options {xfo!r}")


def is_potentially_trustworthy(url: str) -> bool:
    """HTTPS, or plain HTTP to a loopback host (Secure Contexts §3.1)."""
    parts = urlsplit(url)
    return parts.scheme in ("https", "wss") or is_local_host(parts.netloc)


def coop(policy: SecurityPolicy) -> str:
    """The Cross-Origin-Opener-Policy value (``unsafe-none`` when absent)."""
    value = policy.plain().get("cross-origin-opener-policy", "unsafe-none")
    return str(value["value"] if isinstance(value, Mapping) else value)


def opener_is_severed(policy: SecurityPolicy, page_url: str, opener_url: str) -> bool:
    """Whether a popup showing the page keeps no handle to an opener that has no COOP.

    COOP applies only in a secure context. A popup with ``same-origin`` lands in a new
    browsing context group unless its opener has the same origin *and* the same COOP; the
    openers here send none, so ``same-origin`` severs same-origin openers too.
    """
    if not is_potentially_trustworthy(page_url):
        return False
    value = coop(policy)
    if value == "unsafe-none":
        return False
    if value == "same-origin":
        return True
    if value == "same-origin-allow-popups" and origin_of(page_url) != origin_of(opener_url):
        return True
    raise NotImplementedError(f"COOP {value!r} with opener {opener_url}")


def feature_allowed(policy: SecurityPolicy, feature: str, page_url: str) -> bool:
    """Whether a top-level document allows a policy-controlled feature.

    A feature the header does not name keeps its default allowlist, which allows the
    top-level document (``self`` or ``*`` for every feature the tests use).
    """
    allowlists: dict[str, list[str]] = policy.plain().get("permissions-policy", {})
    if feature not in allowlists:
        return True
    allowlist = list(allowlists[feature])
    return "*" in allowlist or "self" in allowlist or origin_of(page_url) in allowlist
