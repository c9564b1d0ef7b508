"""Cookie hardening: add Secure (on HTTPS), HttpOnly and SameSite=Lax where a cookie lacks them."""

from __future__ import annotations

from werkzeug.datastructures import Headers


def harden_cookie(cookie: str, *, secure: bool) -> str:
    """``cookie`` (a Set-Cookie value) with the missing protective attributes added."""
    attributes = {part.split("=", 1)[0].strip().lower() for part in cookie.split(";")[1:]}
    added = []
    if secure and "secure" not in attributes:
        added.append("Secure")
    if "httponly" not in attributes:
        added.append("HttpOnly")
    if "samesite" not in attributes:
        added.append("SameSite=Lax")
    return "; ".join([cookie, *added]) if added else cookie


def harden_set_cookies(headers: Headers, *, secure: bool) -> None:
    """Harden every Set-Cookie line the response has so far."""
    cookies = headers.getlist("Set-Cookie")
    if not cookies:
        return
    hardened = [harden_cookie(cookie, secure=secure) for cookie in cookies]
    if hardened != cookies:
        headers.setlist("Set-Cookie", hardened)
