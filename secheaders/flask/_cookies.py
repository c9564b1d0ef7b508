"""Cookie hardening: add Secure (on HTTPS), HttpOnly and SameSite=Lax where a cookie lacks them."""

from __future__ import annotations


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


def harden_set_cookies(headers: list[tuple[str, str]], *, secure: bool) -> None:
    """Harden, in place, every Set-Cookie line of a WSGI header list."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "set-cookie":
            headers[index] = (name, harden_cookie(value, secure=secure))
