"""Set-Cookie: Secure, HttpOnly and SameSite on every cookie, as the Observatory scores them.

A cookie whose name contains ``sess`` or ``login`` counts as a session cookie, one whose name
contains ``csrf`` or ``xsrf`` as an anti-CSRF cookie (the Observatory's heuristics).
"""

from __future__ import annotations

from dataclasses import dataclass

from secheaders.evaluation.context import Context, clean
from secheaders.evaluation.findings import Finding, Severity, TestResult

TEST = "cookies"
SET_COOKIE = "Set-Cookie"
_SAMESITE = frozenset({"strict", "lax", "none"})


@dataclass(frozen=True, slots=True)
class Cookie:
    """The parts of one Set-Cookie line the checks need."""

    name: str
    attributes: dict[str, str]

    @classmethod
    def parse(cls, line: str) -> Cookie | None:
        """Read a Set-Cookie value as RFC 6265 does, or None for a line browsers drop."""
        text = clean(line)
        if text is None:
            return None
        pair, *parts = text.split(";")
        name, eq, _ = pair.partition("=")
        if not eq or not name.strip():
            return None
        attributes: dict[str, str] = {}
        for part in parts:
            key, _, value = part.partition("=")
            attributes.setdefault(key.strip().lower(), value.strip())
        return cls(name.strip(), attributes)

    @property
    def session(self) -> bool:
        """Whether the name marks a session cookie."""
        lowered = self.name.lower()
        return "sess" in lowered or "login" in lowered

    @property
    def anti_csrf(self) -> bool:
        """Whether the name marks an anti-CSRF cookie."""
        lowered = self.name.lower()
        return "csrf" in lowered or "xsrf" in lowered

    @property
    def samesite(self) -> str | None:
        """The SameSite value as sent (lowercase), or None."""
        value = self.attributes.get("samesite")
        return None if value is None else value.lower()


def cookies(ctx: Context) -> list[Cookie]:
    """Every Set-Cookie line a browser would store."""
    return [c for line in ctx.lines.get("set-cookie", []) if (c := Cookie.parse(line)) is not None]


def _hsts_protects(ctx: Context) -> bool:
    hsts = ctx.policy.strict_transport_security
    return ctx.https and hsts is not None and hsts.max_age > 0


def cookie_findings(ctx: Context) -> list[Finding]:
    """Missing protective attributes, cookie by cookie."""
    found: list[Finding] = []

    def add(id_: str, severity: Severity, cookie: Cookie, message: str, hint: str) -> None:
        found.append(Finding(id_, severity, SET_COOKIE, cookie.name, None, message, hint))

    for cookie in cookies(ctx):
        kind = "session cookie" if cookie.session else "cookie"
        if "secure" not in cookie.attributes:
            severity = Severity.HIGH if cookie.session else Severity.MEDIUM
            add(
                "cookie-without-secure",
                severity,
                cookie,
                f"{kind} {cookie.name} may be sent over plain HTTP",
                "add Secure",
            )
        if cookie.session and "httponly" not in cookie.attributes:
            add(
                "cookie-without-httponly",
                Severity.HIGH,
                cookie,
                f"session cookie {cookie.name} can be read by scripts (XSS steals it)",
                "add HttpOnly",
            )
        samesite = cookie.samesite
        if samesite is None:
            add(
                "cookie-without-samesite",
                Severity.MEDIUM if cookie.anti_csrf else Severity.INFO,
                cookie,
                f"{kind} {cookie.name} has no SameSite; browsers default to Lax",
                "add SameSite=Lax (or Strict)",
            )
        elif samesite not in _SAMESITE:
            add(
                "cookie-samesite-invalid",
                Severity.SYNTAX,
                cookie,
                f"SameSite={cookie.attributes['samesite']} is not Strict, Lax or None",
                "use SameSite=Lax",
            )
        elif samesite == "none" and "secure" not in cookie.attributes:
            add(
                "cookie-samesite-none-without-secure",
                Severity.SYNTAX,
                cookie,
                f"browsers reject {cookie.name}: SameSite=None needs Secure",
                "add Secure",
            )
    return found


def cookie_test(ctx: Context) -> TestResult:
    """The Observatory's cookie test: the worst cookie decides."""
    found = cookies(ctx)
    if not found:
        return TestResult(TEST, "cookies-not-found", 0, True, "no cookies")
    hsts = _hsts_protects(ctx)
    outcomes: list[tuple[int, str]] = []
    for cookie in found:
        secure = "secure" in cookie.attributes
        samesite = cookie.samesite
        if samesite is not None and samesite not in _SAMESITE:
            outcomes.append((-20, "cookies-samesite-flag-invalid"))
        if cookie.session and not secure:
            outcomes.append(
                (-10, "cookies-session-without-secure-flag-but-protected-by-hsts")
                if hsts
                else (-40, "cookies-session-without-secure-flag")
            )
        if cookie.session and "httponly" not in cookie.attributes:
            outcomes.append((-30, "cookies-session-without-httponly-flag"))
        if cookie.anti_csrf and samesite is None:
            outcomes.append((-20, "cookies-anticsrf-without-samesite-flag"))
        if not secure:
            outcomes.append(
                (-5, "cookies-without-secure-flag-but-protected-by-hsts")
                if hsts
                else (-20, "cookies-without-secure-flag")
            )
    if outcomes:
        modifier, result = min(outcomes)
        return TestResult(TEST, result, modifier, False, f"{len(found)} cookie(s)")
    if all(cookie.samesite is not None for cookie in found):
        return TestResult(
            TEST,
            "cookies-secure-with-httponly-sessions-and-samesite",
            5,
            True,
            "every cookie is Secure with SameSite; session cookies are HttpOnly",
        )
    return TestResult(
        TEST,
        "cookies-secure-with-httponly-sessions",
        0,
        True,
        "every cookie is Secure; session cookies are HttpOnly",
    )
