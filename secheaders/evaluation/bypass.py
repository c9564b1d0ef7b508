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


@cache
def _index(kinds: tuple[str, ...]) -> tuple[dict[str, list[Bypass]], dict[str, list[Bypass]]]:
    """The bypasses of ``kinds`` by host and by each dot-led suffix of their host, in order.

    ``*.example.com`` allows exactly the bypasses whose host ends with ``.example.com``: the
    suffix table answers that with one lookup instead of a scan of every list.
    """
    by_host: dict[str, list[Bypass]] = {}
    by_suffix: dict[str, list[Bypass]] = {}
    for kind in kinds:
        for bypass in _bypasses(kind):
            by_host.setdefault(bypass.host, []).append(bypass)
            host = bypass.host
            for start, char in enumerate(host):
                if char == ".":
                    by_suffix.setdefault(host[start:], []).append(bypass)
    return by_host, by_suffix


def _candidates(source: HostSource, kinds: tuple[str, ...]) -> list[Bypass]:
    """The bypasses of ``kinds`` whose host ``source`` matches (CSP host matching), in order."""
    if source.host == "*" or source.scheme not in (None, "http", "https"):
        return []
    by_host, by_suffix = _index(kinds)
    host = source.host.rstrip(".")
    if host.startswith("*."):
        return by_suffix.get(host[1:], [])
    return by_host.get(host, [])


_SCRIPT_KINDS = ("jsonp", "angular")
_OBJECT_KINDS = ("flash",)


def script_bypass(source: HostSource, *, eval_allowed: bool) -> Bypass | None:
    """A JSONP or AngularJS bypass that ``source`` allows, if any."""
    for bypass in _candidates(source, _SCRIPT_KINDS):
        if (eval_allowed or not bypass.needs_eval) and _path_allows(source, bypass):
            return bypass
    return None


def object_bypass(source: HostSource) -> Bypass | None:
    """A Flash file ``source`` allows as a plugin, if any."""
    return next(
        (b for b in _candidates(source, _OBJECT_KINDS) if _path_allows(source, b)),
        None,
    )


def _path_allows(source: HostSource, bypass: Bypass) -> bool:
    """Whether ``source``'s path (if any) matches the bypass URL's path."""
    if source.path is None:
        return True
    if source.path.endswith("/"):
        return bypass.path.startswith(source.path)
    return bypass.path == source.path
