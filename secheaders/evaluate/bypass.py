"""Known CSP allowlist bypasses: hosts serving JSONP, AngularJS or Flash (see NOTICE)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from secheaders.headers.csp_sources import HostSource


@dataclass(frozen=True, slots=True)
class Bypass:
    """One bypass URL (``host`` and ``path``); ``needs_eval``: only with ``'unsafe-eval'``."""

    host: str
    path: str
    kind: str
    needs_eval: bool

    @property
    def url(self) -> str:
        """The bypass as a protocol-relative URL."""
        return f"//{self.host}{self.path}"


def _read(name: str) -> dict[str, list[str]]:
    folder = resources.files("secheaders.data").joinpath("csp-bypass")
    data: dict[str, list[str]] = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
    return data


@cache
def _bypasses(kind: str) -> tuple[Bypass, ...]:
    data = _read(f"{kind}.json")
    needs_eval = set(data.get("needsEval", []))
    found = []
    for url in data["urls"]:
        host, _, path = url.removeprefix("//").partition("/")
        found.append(Bypass(host.lower(), f"/{path}", kind, host.lower() in needs_eval))
    return tuple(found)


def script_bypass(source: HostSource, *, eval_allowed: bool) -> Bypass | None:
    """A JSONP or AngularJS bypass that ``source`` allows, if any."""
    for bypass in (*_bypasses("jsonp"), *_bypasses("angular")):
        if (eval_allowed or not bypass.needs_eval) and _allows(source, bypass):
            return bypass
    return None


def object_bypass(source: HostSource) -> Bypass | None:
    """A Flash file ``source`` allows as a plugin, if any."""
    return next((bypass for bypass in _bypasses("flash") if _allows(source, bypass)), None)


def _allows(source: HostSource, bypass: Bypass) -> bool:
    """Whether ``source`` matches the bypass URL (CSP host and path matching, any port)."""
    if source.host == "*" or source.scheme not in (None, "http", "https"):
        return False
    host = source.host.rstrip(".")
    if host.startswith("*."):
        if not bypass.host.endswith(host[1:]):
            return False
    elif host != bypass.host:
        return False
    if source.path is None:
        return True
    if source.path.endswith("/"):
        return bypass.path.startswith(source.path)
    return bypass.path == source.path
