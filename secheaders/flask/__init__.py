"""Flask integration: ``Secure(app, preset="strict")`` puts the policy on every response.

Policies (the app's, each blueprint's, each decorated view's) are validated and rendered once;
per request the extension picks the ready header lines, fills the nonce if the page asked for
one, and appends them.
"""

from __future__ import annotations

import threading
from binascii import b2a_base64
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from secrets import token_bytes
from typing import Any, TypeVar, overload

from flask import Blueprint, Flask, Response, current_app, g, has_request_context, redirect, request

from secheaders.compiled import CompiledPolicy
from secheaders.policy import SecurityPolicy
from secheaders.presets import load_policy, load_preset, resolve_policy

from ._cookies import harden_set_cookies

__all__ = ["NonceTooLateError", "Secure", "csp_nonce"]

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION = "secheaders"
_OPS_ATTRIBUTE = "__secheaders_ops__"
_NONCE = "_secheaders_nonce"
_SENT = "_secheaders_sent"


class NonceTooLateError(RuntimeError):
    """``csp_nonce()`` was called after the response headers were produced."""


def csp_nonce() -> str:
    """This request's CSP nonce, created on first use (144 random bits from ``secrets``, base64).

    Use it as ``<script nonce="{{ csp_nonce() }}">``; the same value goes into the response's
    Content-Security-Policy. A response whose request never calls this carries no nonce.
    """
    try:
        context = g._get_current_object().__dict__
    except RuntimeError:
        raise RuntimeError("csp_nonce() needs an active request") from None
    nonce: str | None = context.get(_NONCE)
    if nonce is None:
        if not has_request_context():
            raise RuntimeError("csp_nonce() needs an active request")
        if context.get(_SENT):
            raise NonceTooLateError(
                "csp_nonce() was called after the response headers were sent, so the nonce "
                "cannot reach the Content-Security-Policy; call it while rendering the page "
                "(for a streamed template, call it once before streaming starts)"
            )
        nonce = context[_NONCE] = b2a_base64(token_bytes(18), newline=False).decode()
    return nonce


@dataclass(frozen=True, slots=True)
class _Op:
    """A per-view change: ("replace" | "extend" | "exempt", payload)."""

    owner: int
    kind: str
    payload: Any


@dataclass
class _Settings:
    policy: SecurityPolicy
    report_only: bool
    keep_view_headers: bool
    force_https: bool
    harden_cookies: str


@dataclass
class _AppState:
    """What one app needs per request; stored in ``app.extensions["secheaders"]``."""

    secure: Secure
    settings: _Settings
    base: CompiledPolicy
    blueprints: dict[str, CompiledPolicy] = field(default_factory=dict)
    endpoints: dict[str | None, CompiledPolicy | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Secure:
    """The Flask extension. ``Secure(app, preset="strict")`` or ``Secure(...).init_app(app)``.

    Settings, strongest first: arguments given here, then ``app.config`` (``SECHEADERS_PRESET``,
    ``SECHEADERS_CONFIG``, ``SECHEADERS_REPORT_ONLY``, ``SECHEADERS_FORCE_HTTPS``,
    ``SECHEADERS_HARDEN_COOKIES``, ``SECHEADERS_KEEP_VIEW_HEADERS``), then the defaults
    (preset ``strict``).
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        preset: str | None = None,
        policy: SecurityPolicy | Mapping[str, Any] | None = None,
        config: str | None = None,
        report_only: bool | None = None,
        force_https: bool | None = None,
        harden_cookies: str | bool | None = None,
        keep_view_headers: bool | None = None,
    ) -> None:
        self._args: dict[str, Any] = {
            "preset": preset,
            "policy": policy,
            "config": config,
            "report_only": report_only,
            "force_https": force_https,
            "harden_cookies": harden_cookies,
            "keep_view_headers": keep_view_headers,
        }
        self._blueprint_specs: dict[str, SecurityPolicy] = {}
        self._states: list[tuple[Flask, _AppState]] = []
        given = preset is not None or policy is not None or config is not None
        self._probe = resolve_policy(preset=preset, policy=policy, config=config) if given else None
        if app is not None:
            self.init_app(app)

    # --- set-up ---------------------------------------------------------------------------

    def init_app(self, app: Flask) -> None:
        """Attach to ``app``: compile its policies and hook into every response."""
        settings = self._settings_for(app)
        base = CompiledPolicy.compile(_report_only(settings.policy, settings.report_only))
        state = _AppState(self, settings, base)
        for name, policy in self._blueprint_specs.items():
            state.blueprints[name] = CompiledPolicy.compile(
                _report_only(policy, settings.report_only)
            )
        app.extensions[EXTENSION] = state
        self._states.append((app, state))
        if settings.harden_cookies != "off":
            _harden_session_cookie(app)
        app.add_template_global(csp_nonce, "csp_nonce")
        if settings.force_https:
            app.before_request(_redirect_to_https)
        app.after_request(_header_hook(app, state))
        # Views registered now or later are compiled when registered, so a bad override fails
        # while the app is set up, never on a request.
        app.view_functions = _CompilingViews(app.view_functions, app, state)
        for endpoint in list(app.view_functions):
            _compiled_for(state, app, endpoint)
        from ._cli import secheaders_group

        app.cli.add_command(secheaders_group)

    def _settings_for(self, app: Flask) -> _Settings:
        args = self._args
        conf = app.config

        def pick(name: str, key: str, default: Any) -> Any:
            if args[name] is not None:
                return args[name]
            return conf.get(key, default)

        if self._probe is not None:
            policy = self._probe
        elif conf.get("SECHEADERS_CONFIG"):
            policy = load_policy(conf["SECHEADERS_CONFIG"])
        else:
            policy = load_preset(conf.get("SECHEADERS_PRESET", "strict"))
        return _Settings(
            policy=policy,
            report_only=bool(pick("report_only", "SECHEADERS_REPORT_ONLY", False)),
            keep_view_headers=bool(pick("keep_view_headers", "SECHEADERS_KEEP_VIEW_HEADERS", True)),
            force_https=bool(pick("force_https", "SECHEADERS_FORCE_HTTPS", False)),
            harden_cookies=_cookie_mode(
                pick("harden_cookies", "SECHEADERS_HARDEN_COOKIES", "session")
            ),
        )

    def policy_for(
        self,
        blueprint: Blueprint,
        *,
        preset: str | None = None,
        policy: SecurityPolicy | Mapping[str, Any] | None = None,
        config: str | None = None,
    ) -> None:
        """Give every view of ``blueprint`` its own base policy (a preset, policy or file)."""
        if preset is None and policy is None and config is None:
            raise ValueError("give one of preset, policy and config")
        resolved = resolve_policy(preset=preset, policy=policy, config=config)
        self._blueprint_specs[blueprint.name] = resolved
        for app, state in self._states:  # apps already set up: recompile that blueprint's views
            state.blueprints[blueprint.name] = CompiledPolicy.compile(
                _report_only(resolved, state.settings.report_only)
            )
            _recompile(state, app, lambda endpoint: endpoint is not None and "." in endpoint)

    # --- per-view decorators --------------------------------------------------------------

    def override(
        self, changes: Mapping[str, Any] | None = None, /, **headers: Any
    ) -> Callable[[F], F]:
        """Replace headers or directives for one view (``None`` removes), as
        :meth:`SecurityPolicy.replace`: ``@secure.override(x_frame_options=None)``."""
        merged = {**(changes or {}), **headers}
        self._check("replace", merged)
        return self._mark("replace", merged)

    def extend(
        self, additions: Mapping[str, Any] | None = None, /, **headers: Any
    ) -> Callable[[F], F]:
        """Allow more for one view, as :meth:`SecurityPolicy.extend`:
        ``@secure.extend(csp={"img-src": ["https://images.example"]})``."""
        merged = {**(additions or {}), **headers}
        self._check("extend", merged)
        return self._mark("extend", merged)

    @overload
    def exempt(self, view: F, /) -> F: ...

    @overload
    def exempt(self, *headers: str) -> Callable[[F], F]: ...

    def exempt(self, *headers: Any) -> Any:
        """No security headers for a view (``@secure.exempt``), or not the named ones
        (``@secure.exempt("content-security-policy")``)."""
        if len(headers) == 1 and callable(headers[0]):
            return self._mark("exempt", ())(headers[0])
        from secheaders.compose import header_key

        names = tuple(header_key(str(name)) for name in headers)
        return self._mark("exempt", names)

    def _check(self, kind: str, payload: Mapping[str, Any]) -> None:
        """Fail at import time for a change that cannot apply to this extension's policy.

        Without a policy given here (app factories), views are checked when ``init_app``
        compiles them.
        """
        if self._probe is not None:
            _apply(self._probe, [_Op(id(self), kind, payload)])

    def _mark(self, kind: str, payload: Any) -> Callable[[F], F]:
        def decorate(view: F) -> F:
            ops = [*getattr(view, _OPS_ATTRIBUTE, ()), _Op(id(self), kind, payload)]
            setattr(view, _OPS_ATTRIBUTE, ops)
            for app, state in self._states:  # decorated after the route was registered
                registered = {
                    e for e, registered in app.view_functions.items() if registered is view
                }
                _recompile(state, app, registered.__contains__)
            return view

        return decorate

    # --- inspection -----------------------------------------------------------------------

    def headers_for(
        self,
        app: Flask,
        endpoint: str | None,
        *,
        secure: bool = True,
        nonce: str | None = None,
    ) -> list[tuple[str, str]]:
        """The headers ``endpoint`` sends over HTTPS (or plain HTTP), with ``nonce`` when the
        page asks for one; ``[]`` for an exempt view. Used by ``flask secheaders routes``."""
        state: _AppState = app.extensions[EXTENSION]
        compiled = _compiled_for(state, app, endpoint)
        if compiled is None:
            return []
        headers = compiled.secure if secure else compiled.insecure
        return headers.render(nonce)


def _harden_session_cookie(app: Flask) -> None:
    """Secure (outside debug mode) and SameSite=Lax for the session cookie, unless configured.

    Flask writes the session cookie after ``after_request`` hooks run, so its settings are
    the place; values the app configured itself are left alone.
    """
    defaults = Flask.default_config
    if app.config["SESSION_COOKIE_SAMESITE"] == defaults["SESSION_COOKIE_SAMESITE"]:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config["SESSION_COOKIE_SECURE"] == defaults["SESSION_COOKIE_SECURE"] and not app.debug:
        app.config["SESSION_COOKIE_SECURE"] = True


def _cookie_mode(value: Any) -> str:
    """``"session"`` (default), ``"all"`` (every Set-Cookie) or ``"off"``."""
    mode = {True: "all", False: "off"}.get(value, value) if isinstance(value, bool) else value
    if mode not in ("session", "all", "off"):
        raise ValueError(f"harden_cookies must be 'session', 'all' or 'off', not {value!r}")
    return str(mode)


_NOT_REPORTABLE = ("sandbox", "upgrade-insecure-requests")


def _report_only(policy: SecurityPolicy, report_only: bool) -> SecurityPolicy:
    """In report-only mode the enforced CSP is sent as Content-Security-Policy-Report-Only.

    ``upgrade-insecure-requests`` blocks nothing, so it stays enforced; ``sandbox`` has no
    report-only form and is dropped.
    """
    if not report_only or not policy.content_security_policy:
        return policy
    plain = policy.plain()
    enforced = _as_list(plain.pop("content-security-policy"))
    existing = _as_list(plain.pop("content-security-policy-report-only", []))
    reported = [
        {name: value for name, value in item.items() if name not in _NOT_REPORTABLE}
        for item in enforced
    ]
    plain["content-security-policy-report-only"] = [item for item in [*reported, *existing] if item]
    if any(item.get("upgrade-insecure-requests") for item in enforced):
        plain["content-security-policy"] = {"upgrade-insecure-requests": True}
    return SecurityPolicy.model_validate(plain)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _apply(policy: SecurityPolicy, ops: Iterable[_Op]) -> SecurityPolicy | None:
    """The policy after a view's changes; ``None`` when the view is exempt from everything."""
    for op in ops:
        if op.kind == "replace":
            policy = policy.replace(op.payload)
        elif op.kind == "extend":
            policy = policy.extend(op.payload)
        elif op.payload:
            policy = policy.remove(*op.payload)
        else:
            return None
    return policy


def _compiled_for(state: _AppState, app: Flask, endpoint: str | None) -> CompiledPolicy | None:
    """The compiled policy of ``endpoint`` (cached; compiled at set-up for known views)."""
    try:
        return state.endpoints[endpoint]
    except KeyError:
        pass
    with state.lock:
        if endpoint in state.endpoints:
            return state.endpoints[endpoint]
        base = _blueprint_base(state, endpoint)
        view = app.view_functions.get(endpoint) if endpoint else None
        ops = [op for op in getattr(view, _OPS_ATTRIBUTE, ()) if op.owner == id(state.secure)]
        if ops:
            changed = _apply(base.policy, ops)
            compiled = None if changed is None else CompiledPolicy.compile(changed)
        else:
            compiled = base
        state.endpoints[endpoint] = compiled
        return compiled


class _CompilingViews(dict[str, Any]):
    """``app.view_functions`` that compiles each view's policy as the view is registered."""

    def __init__(self, views: Mapping[str, Any], app: Flask, state: _AppState) -> None:
        super().__init__(views)
        self._app = app
        self._state = state

    def __setitem__(self, endpoint: str, view: Any) -> None:
        super().__setitem__(endpoint, view)
        self._state.endpoints.pop(endpoint, None)
        _compiled_for(self._state, self._app, endpoint)


def _recompile(state: _AppState, app: Flask, which: Callable[[str | None], bool]) -> None:
    """Compile again the endpoints ``which`` selects (their base or changes moved)."""
    for endpoint in [endpoint for endpoint in state.endpoints if which(endpoint)]:
        state.endpoints.pop(endpoint, None)
        _compiled_for(state, app, endpoint)


def _blueprint_base(state: _AppState, endpoint: str | None) -> CompiledPolicy:
    """The base of the innermost blueprint (``parent.child.view``) that has its own policy."""
    if endpoint and state.blueprints:
        parts = endpoint.split(".")[:-1]
        while parts:
            found = state.blueprints.get(".".join(parts)) or state.blueprints.get(parts[-1])
            if found is not None:
                return found
            parts.pop()
    return state.base


def _header_hook(app: Flask, state: _AppState) -> Callable[[Response], Response]:
    """The ``after_request`` hook of one app: append the ready lines of the active policy.

    This runs on every response, so it only looks things up: the compiled policy of the
    endpoint, the header set for HTTPS / HTTP / localhost, and the nonce if one was made.
    """
    endpoints = state.endpoints
    keep_view_headers = state.settings.keep_view_headers
    harden_all = state.settings.harden_cookies == "all"

    def add_headers(response: Response) -> Response:
        context = g._get_current_object().__dict__  # a proxy access costs ~1 µs: resolve once
        context[_SENT] = True
        req = request._get_current_object()  # type: ignore[attr-defined]
        endpoint = req.endpoint
        compiled = (
            endpoints[endpoint] if endpoint in endpoints else _compiled_for(state, app, endpoint)
        )
        if compiled is None:
            return response
        secure = req.environ.get("wsgi.url_scheme") == "https"
        header_set = compiled.secure if secure else compiled.for_request(False, req.host)
        nonce: str | None = context.get(_NONCE)
        lines = header_set.render(nonce)
        headers = response.headers
        existing = headers._list  # our values were validated once, when compiled
        present = {name.lower() for name, _ in existing}
        if not present.isdisjoint(header_set.names):
            if keep_view_headers:
                lines = [line for line in lines if line[0].lower() not in present]
            else:
                for name in {name for name, _ in lines}:
                    headers.pop(name, None)
        existing.extend(lines)
        if nonce is not None and "cache-control" not in present and not header_set.caches:
            existing.append(("Cache-Control", "private"))
        if harden_all:
            harden_set_cookies(headers, secure=secure)
        return response

    return add_headers


def _redirect_to_https() -> Response | None:
    """``before_request`` hook for ``force_https`` (off in debug mode)."""
    if request.is_secure or current_app.debug:
        return None
    state: _AppState = current_app.extensions[EXTENSION]
    if _compiled_for(state, current_app, request.endpoint) is None:
        return None  # an exempt view (a health check, say) keeps plain HTTP
    url = request.url.replace("http://", "https://", 1)
    code = 301 if request.method in ("GET", "HEAD") else 308
    return redirect(url, code=code)  # type: ignore[return-value]
