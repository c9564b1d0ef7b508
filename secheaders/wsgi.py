"""The same headers for any WSGI application: ``SecureMiddleware(app, preset="strict")``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .compiled import CompiledPolicy
from .policy import SecurityPolicy
from .presets import resolve_policy

NONCE_KEY = "secheaders.nonce"

StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SecureMiddleware:
    """Adds the policy's headers to every response of ``app``.

    Each request gets a fresh nonce in ``environ["secheaders.nonce"]`` for the page's
    ``<script nonce>``. When the policy has ``'nonce'`` placeholders, every response carries
    that nonce and, unless the app set its own ``Cache-Control``, ``Cache-Control: private``
    (unlike the Flask extension, the middleware cannot tell whether the page used it).
    Headers the app set itself are kept. HSTS is sent only over HTTPS, and
    ``upgrade-insecure-requests`` not to plain-HTTP localhost.
    """

    def __init__(
        self,
        app: WSGIApp,
        *,
        preset: str | None = None,
        policy: SecurityPolicy | Mapping[str, Any] | None = None,
        config: str | os.PathLike[str] | None = None,
    ) -> None:
        self.app = app
        resolved = resolve_policy(preset=preset, policy=policy, config=config)
        self.compiled = CompiledPolicy.compile(resolved)
        self.uses_nonce = resolved.uses_nonce

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        nonce = secrets.token_urlsafe(18)
        environ[NONCE_KEY] = nonce
        secure = environ.get("wsgi.url_scheme") == "https"
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        header_set = self.compiled.for_request(secure, host)
        lines = header_set.render(nonce if self.uses_nonce else None)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            added = [line for line in lines if line[0].lower() not in present]
            if self.uses_nonce and "cache-control" not in present and not header_set.caches:
                added.append(("Cache-Control", "private"))
            return start_response(status, [*headers, *added], exc_info)

        return self.app(environ, start)
