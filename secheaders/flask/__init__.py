"""Flask integration: ``Secure(app, preset="strict")`` puts the policy on every response.

Policies (the app's, each blueprint's, each decorated view's) are validated and rendered once;
per request the extension picks the ready header lines, fills the nonce if the page asked for
one, and appends them.
"""

from __future__ import annotations

import os
import weakref
from binascii import b2a_base64
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import urandom
from typing import Any, TypeVar, overload

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    has_request_context,
    redirect,
    request,
)

from secheaders.compose import header_key
from secheaders.policy import SecurityPolicy
from secheaders.presets import load_policy, load_preset, resolve_policy
from secheaders.reports.delivery import ReportCallback, ReportDelivery
from secheaders.reports.wiring import ReportingSetup
from secheaders.wsgi import StartResponse, WSGIApp

from ._cookies import harden_set_cookies
from ._reports import ReportReceiver, exempt_from_csrf, reports_blueprint
from ._state import OPS_ATTRIBUTE, AppState, CompilingViews, Op, Settings, apply_ops

__all__ = ["NonceTooLateError", "Secure", "csp_nonce"]

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION = "secheaders"
# Kept in the WSGI environ: one per request, shared by threads that copy the request context.
_NONCE = "secheaders.request_nonce"
_SENT = "secheaders.headers_sent"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


try:  # Flask 2.3 to 3.1 keep the request context in this variable; reading it directly
    # costs a tenth of going through the ``request`` proxy, on every response.
    from flask.globals import _cv_request

    def _active_request() -> Request | None:
        """The request being handled, or ``None`` outside a request."""
        context = _cv_request.get(None)
        return None if context is None else context.request

except ImportError:  # pragma: no cover - a Flask that keeps it elsewhere

    def _active_request() -> Request | None:
        """The request being handled, or ``None`` outside a request."""
        if not has_request_context():
            return None
        return request._get_current_object()  # type: ignore[attr-defined,no-any-return]


class NonceTooLateError(RuntimeError):
    """``csp_nonce()`` was called after the response headers were produced."""


def csp_nonce() -> str:
    """This request's CSP nonce, made on first use: 144 random bits from the operating system's
    CSPRNG (``os.urandom``, the source of ``secrets``), in base64.

    Use it as ``<script nonce="{{ csp_nonce() }}">``; the same value goes into the response's
    Content-Security-Policy. A response whose request never calls this carries no nonce.
    """
    active = _active_request()
    if active is None:
        raise RuntimeError("csp_nonce() needs an active request")
    environ = active.environ
    nonce: str | None = environ.get(_NONCE)
    if nonce is None:
        if environ.get(_SENT):
            raise NonceTooLateError(
                "csp_nonce() was called after the response headers were sent, so the nonce "
                "cannot reach the Content-Security-Policy; call it while rendering the page "
                "(for a streamed template, call it once before streaming starts)"
            )
        # secrets.token_bytes is os.urandom behind two more calls: the same bits, sooner.
        nonce = environ[_NONCE] = b2a_base64(urandom(18), newline=False).decode()
    return nonce


class Secure:
    """The Flask extension. ``Secure(app, preset="strict")`` or ``Secure(...).init_app(app)``.

    Settings, strongest first: arguments given here, then ``app.config`` (``SECHEADERS_`` and
    the argument name in capitals: ``SECHEADERS_PRESET``, ``SECHEADERS_CONFIG``,
    ``SECHEADERS_REPORT_ONLY``, ``SECHEADERS_REPORT_ENDPOINT``, ...), then the defaults
    (preset ``strict``, no reporting).
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        preset: str | None = None,
        policy: SecurityPolicy | Mapping[str, Any] | None = None,
        config: str | os.PathLike[str] | None = None,
        report_only: bool | None = None,
        force_https: bool | None = None,
        harden_cookies: str | bool | None = None,
        keep_view_headers: bool | None = None,
        report_endpoint: str | None = None,
        report_group: str | None = None,
        report_headers: Iterable[str] | str | None = None,
        report_sample_rate: float | None = None,
        report_max_body: int | None = None,
        report_max_reports: int | None = None,
        report_dedupe_window: float | None = None,
    ) -> None:
        if app is not None and not isinstance(app, Flask):
            raise TypeError(f"Secure() takes a Flask app, not {type(app).__name__}")
        self._args: dict[str, Any] = {
            "report_only": report_only,
            "force_https": force_https,
            "harden_cookies": harden_cookies,
            "keep_view_headers": keep_view_headers,
            "report_endpoint": report_endpoint,
            "report_group": report_group,
            "report_headers": report_headers,
            "report_sample_rate": report_sample_rate,
            "report_max_body": report_max_body,
            "report_max_reports": report_max_reports,
            "report_dedupe_window": report_dedupe_window,
        }
        self._report_callbacks: list[ReportCallback] = []
        self._blueprint_specs: dict[Blueprint, SecurityPolicy] = {}
        self._apps: weakref.WeakSet[Flask] = weakref.WeakSet()
        given = preset is not None or policy is not None or config is not None
        self._policy = (
            resolve_policy(preset=preset, policy=policy, config=config) if given else None
        )
        if app is not None:
            self.init_app(app)

    # --- set-up ---------------------------------------------------------------------------

    def init_app(self, app: Flask) -> None:
        """Attach to ``app``: compile its policies and hook into every response."""
        if not isinstance(app, Flask):
            raise TypeError(f"init_app() takes a Flask app, not {type(app).__name__}")
        if EXTENSION in app.extensions:
            raise RuntimeError("this app already has secheaders; initialise it once")
        state = AppState(id(self), self._settings_for(app))
        state.blueprints.update(self._blueprint_specs)
        app.extensions[EXTENSION] = state
        self._apps.add(app)
        if state.settings.harden_cookies != "off":
            _harden_session_cookie(app)
        app.add_template_global(csp_nonce, "csp_nonce")
        reporting = state.settings.reporting
        if reporting is not None and reporting.is_path:
            self._mount_receiver(app, state, reporting.endpoint)
        if state.settings.force_https:
            app.before_request(_redirect_to_https)
        app.wsgi_app = _LineEmitter(app.wsgi_app, app, state)  # type: ignore[method-assign]
        # Views registered now or later are compiled as they are registered, so a bad change
        # fails while the app is set up, never on a request.
        app.view_functions = CompilingViews(app.view_functions, app, state)
        for endpoint in list(app.view_functions):
            state.compiled_for(app, endpoint)
        state.compiled_for(app, None)  # routing errors (404, 405) use the app's policy
        from ._cli import secheaders_group

        app.cli.add_command(secheaders_group)

    def _mount_receiver(self, app: Flask, state: AppState, path: str) -> None:
        settings = state.settings
        delivery = ReportDelivery(dedupe_window=settings.report_dedupe_window)
        for callback in self._report_callbacks:
            delivery.add_callback(callback)
        state.receiver = ReportReceiver(
            path, settings.report_max_body, settings.report_max_reports, delivery
        )
        app.register_blueprint(reports_blueprint(path))
        app.before_request_funcs.setdefault(None, []).insert(0, lambda: exempt_from_csrf(app))

    def _settings_for(self, app: Flask) -> Settings:
        conf = app.config
        if self._policy is not None:
            policy = self._policy
        elif conf.get("SECHEADERS_CONFIG"):
            policy = load_policy(conf["SECHEADERS_CONFIG"])
        else:
            policy = load_preset(conf.get("SECHEADERS_PRESET", "strict"))

        def pick(name: str, key: str, default: Any) -> Any:
            return self._args[name] if self._args[name] is not None else conf.get(key, default)

        return Settings(
            policy=policy,
            report_only=_flag(pick("report_only", "SECHEADERS_REPORT_ONLY", False), "report_only"),
            keep_view_headers=_flag(
                pick("keep_view_headers", "SECHEADERS_KEEP_VIEW_HEADERS", True), "keep_view_headers"
            ),
            force_https=_flag(pick("force_https", "SECHEADERS_FORCE_HTTPS", False), "force_https"),
            harden_cookies=_cookie_mode(
                pick("harden_cookies", "SECHEADERS_HARDEN_COOKIES", "session")
            ),
            reporting=_reporting_setup(pick),
            report_max_body=_number(
                pick("report_max_body", "SECHEADERS_REPORT_MAX_BODY", 64 * 1024),
                "report_max_body",
                int,
                minimum=1,
            ),
            report_max_reports=_number(
                pick("report_max_reports", "SECHEADERS_REPORT_MAX_REPORTS", 100),
                "report_max_reports",
                int,
                minimum=1,
            ),
            report_dedupe_window=_number(
                pick("report_dedupe_window", "SECHEADERS_REPORT_DEDUPE_WINDOW", 60.0),
                "report_dedupe_window",
                float,
                minimum=0,
            ),
        )

    def policy_for(
        self,
        blueprint: Blueprint,
        *,
        preset: str | None = None,
        policy: SecurityPolicy | Mapping[str, Any] | None = None,
        config: str | os.PathLike[str] | None = None,
    ) -> None:
        """Give every view of ``blueprint`` (and of blueprints nested in it) its own base policy.

        Apps already set up recompile that blueprint's views at once; if one of them cannot
        take its changes on the new base, nothing changes and the error is raised here.
        """
        if not isinstance(blueprint, Blueprint):
            raise TypeError(f"policy_for() takes a Blueprint, not {type(blueprint).__name__}")
        if preset is None and policy is None and config is None:
            raise ValueError("give one of preset, policy and config")
        resolved = resolve_policy(preset=preset, policy=policy, config=config)
        for app in list(self._apps):
            state: AppState = app.extensions[EXTENSION]
            previous = state.blueprints.get(blueprint)
            state.blueprints[blueprint] = resolved
            try:
                state.recompile(app, lambda endpoint: endpoint is not None and "." in endpoint)
            except Exception:
                if previous is None:
                    del state.blueprints[blueprint]
                else:
                    state.blueprints[blueprint] = previous
                raise
        self._blueprint_specs[blueprint] = resolved

    # --- per-view decorators --------------------------------------------------------------

    def override(
        self, changes: Mapping[str, Any] | None = None, /, **headers: Any
    ) -> Callable[[F], F]:
        """Replace headers or directives for one view (``None`` removes), as
        :meth:`SecurityPolicy.replace`: ``@secure.override(x_frame_options=None)``."""
        return self._mark("replace", _changes("override", changes, headers))

    def extend(
        self, additions: Mapping[str, Any] | None = None, /, **headers: Any
    ) -> Callable[[F], F]:
        """Allow more for one view, as :meth:`SecurityPolicy.extend`:
        ``@secure.extend(csp={"img-src": ["https://images.example"]})``."""
        return self._mark("extend", _changes("extend", additions, headers))

    @overload
    def exempt(self, view: F, /) -> F: ...

    @overload
    def exempt(self, *headers: str) -> Callable[[F], F]: ...

    def exempt(self, *headers: Any) -> Any:
        """No security headers for a view (``@secure.exempt``), or not the named ones
        (``@secure.exempt("content-security-policy")``)."""
        if len(headers) == 1 and callable(headers[0]):
            return self._mark("exempt", ())(headers[0])
        return self._mark("exempt", tuple(header_key(name) for name in headers))

    def _mark(self, kind: str, payload: Any) -> Callable[[F], F]:
        op = Op(id(self), kind, payload)
        if self._policy is not None and kind != "exempt":
            apply_ops(self._policy, [op])  # fail at import time when the policy is known

        def decorate(view: F) -> F:
            setattr(view, OPS_ATTRIBUTE, [*getattr(view, OPS_ATTRIBUTE, ()), op])
            for app in list(self._apps):  # decorated after its route was registered
                registered = {name for name, func in app.view_functions.items() if func is view}
                if registered:
                    app.extensions[EXTENSION].recompile(app, registered.__contains__)
            return view

        return decorate

    # --- reports -------------------------------------------------------------------------

    def on_report(self, callback: F) -> F:
        """Call ``callback(violation)`` for each report the receiver delivers (after flood
        control), on a worker thread of its own: ``@secure.on_report``."""
        if not callable(callback):
            raise TypeError(f"on_report() takes a function, not {callback!r}")
        self._report_callbacks.append(callback)
        for app in list(self._apps):
            receiver = app.extensions[EXTENSION].receiver
            if receiver is not None:
                receiver.delivery.add_callback(callback)
        return callback

    def receiver_for(self, app: Flask) -> ReportReceiver:
        """The report receiver of ``app`` (its ``delivery.stats`` and ``flush()``)."""
        if app not in self._apps:
            raise RuntimeError("this app was not set up with this Secure (call init_app)")
        receiver = app.extensions[EXTENSION].receiver
        if receiver is None:
            raise RuntimeError("this app has no report receiver: set report_endpoint to a path")
        return receiver  # type: ignore[no-any-return]

    # --- inspection -----------------------------------------------------------------------

    def headers_for(
        self,
        app: Flask,
        endpoint: str | None,
        *,
        secure: bool = True,
        nonce: str | None = None,
        host: str = "localhost",
    ) -> list[tuple[str, str]]:
        """The headers ``endpoint`` sends over HTTPS (or plain HTTP) to ``host``, with
        ``nonce`` when the page asks for one; ``[]`` for an exempt view. Reporting is shown
        as sent on sampled responses. Used by ``flask secheaders routes``."""
        if app not in self._apps:
            raise RuntimeError("this app was not set up with this Secure (call init_app)")
        state: AppState = app.extensions[EXTENSION]
        compiled = state.compiled_for(app, endpoint)
        if compiled is None:
            return []
        return (compiled.secure if secure else compiled.insecure).render(nonce, host)


def _changes(what: str, given: Any, headers: dict[str, Any]) -> dict[str, Any]:
    if given is not None and not isinstance(given, Mapping):
        raise TypeError(
            f"{what}() takes a mapping of headers or keyword arguments, not {given!r}; "
            f'for example {what}(x_frame_options=None) or {what}({{"x-frame-options": None}})'
        )
    return {**(given or {}), **headers}


def _reporting_setup(pick: Callable[[str, str, Any], Any]) -> ReportingSetup | None:
    endpoint = pick("report_endpoint", "SECHEADERS_REPORT_ENDPOINT", None)
    if endpoint is None or endpoint == "":
        return None
    headers = pick("report_headers", "SECHEADERS_REPORT_HEADERS", ("csp", "coop", "coep"))
    if isinstance(headers, str):  # "csp, coop" from an environment variable
        headers = [part.strip() for part in headers.split(",") if part.strip()]
    if not isinstance(headers, Iterable) or not all(isinstance(h, str) for h in headers):
        raise ValueError(
            f"report_headers must be names such as ['csp', 'coop'] or 'csp, coop', not {headers!r}"
        )
    return ReportingSetup(
        endpoint=endpoint,
        group=pick("report_group", "SECHEADERS_REPORT_GROUP", "secheaders"),
        headers=frozenset(headers),
        sample_rate=_number(
            pick("report_sample_rate", "SECHEADERS_REPORT_SAMPLE_RATE", 1.0),
            "report_sample_rate",
            float,
            minimum=0,
        ),
    )


def _number(value: Any, name: str, kind: type[int] | type[float], *, minimum: float) -> Any:
    """A numeric setting; strings from the environment ("0.5", "65536") are understood."""
    if isinstance(value, str):
        try:
            value = kind(value.strip())
        except ValueError:
            raise ValueError(f"secheaders setting {name} must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ValueError(f"secheaders setting {name} must be a number >= {minimum}, not {value!r}")
    if kind is int and value != int(value):
        raise ValueError(f"secheaders setting {name} must be a whole number, not {value!r}")
    return kind(value)


def _flag(value: Any, name: str) -> bool:
    """A boolean setting; strings from the environment ("false", "0", "yes") are understood."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"secheaders setting {name} must be true or false, not {value!r}")


def _cookie_mode(value: Any) -> str:
    """``"session"`` (default), ``"all"`` (every Set-Cookie) or ``"off"``."""
    mode = {True: "all", False: "off"}.get(value, value) if isinstance(value, bool) else value
    if mode not in ("session", "all", "off"):
        raise ValueError(f"harden_cookies must be 'session', 'all' or 'off', not {value!r}")
    return str(mode)


def _harden_session_cookie(app: Flask) -> None:
    """SameSite=Lax, and Secure outside debug mode, for the session cookie.

    Flask writes the session cookie after ``after_request`` hooks run, so its settings are
    the place. Only settings still at Flask's defaults are changed (``None`` and ``False``):
    a value the app chose stays.
    """
    defaults = Flask.default_config
    if app.config["SESSION_COOKIE_SAMESITE"] == defaults["SESSION_COOKIE_SAMESITE"]:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config["SESSION_COOKIE_SECURE"] == defaults["SESSION_COOKIE_SECURE"] and not app.debug:
        app.config["SESSION_COOKIE_SECURE"] = True


class _LineEmitter:
    """Wraps ``app.wsgi_app``: adds the active policy's lines as each response starts.

    This runs on every response, so it only looks things up: the compiled policy of the
    endpoint, the header set for HTTPS / HTTP / localhost, and the nonce if one was made.
    Flask calls ``start_response`` inside the request context, after every ``after_request``
    hook and the session cookie, so the lines are added last: each costs one list append (no
    copy through Werkzeug's ``Headers``), and the headers every part of the app set are known.
    """

    __slots__ = ("app", "harden_all", "keep_view_headers", "state", "wsgi_app")

    def __init__(self, wsgi_app: WSGIApp, app: Flask, state: AppState) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.state = state
        self.harden_all = state.settings.harden_cookies == "all"
        self.keep_view_headers = state.settings.keep_view_headers

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            self.add_lines(environ, headers)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)

    def add_lines(self, environ: dict[str, Any], headers: list[tuple[str, str]]) -> None:
        """Append the lines of the policy that governs this request's endpoint to ``headers``."""
        req = _active_request()
        if req is None or req.environ is not environ:
            return  # started outside this app's request (a middleware's own response)
        environ[_SENT] = True
        secure = environ.get("wsgi.url_scheme") == "https"
        if self.harden_all:
            harden_set_cookies(headers, secure=secure)
        rule = req.url_rule
        endpoint = None if rule is None else rule.endpoint
        state = self.state
        endpoints = state.endpoints
        compiled = (
            endpoints[endpoint] if endpoint in endpoints else state.compiled_for(self.app, endpoint)
        )
        if compiled is None:
            return
        if compiled.unreported is not None:
            compiled = compiled.sampled()
        # The Host header as sent (ProxyFix rewrites it); request.host would re-check it
        # against TRUSTED_HOSTS and raise here.
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        header_set = compiled.secure if secure else compiled.for_request(False, host)
        nonce: str | None = environ.get(_NONCE)
        lines: Sequence[tuple[str, str]]
        if header_set.report_path is not None:
            lines = header_set.render(nonce, host, environ.get("SCRIPT_NAME", ""))
        elif nonce is None:
            lines = header_set.plain  # appended as they are: no copy
        else:
            lines = header_set.render(nonce)
        _append_lines(
            headers,
            lines,
            header_set.names,
            nonce is not None and not header_set.caches,
            self.keep_view_headers,
        )


def _append_lines(
    existing: list[tuple[str, str]],
    lines: Sequence[tuple[str, str]],
    names: frozenset[str],
    private: bool,
    keep_view_headers: bool,
) -> None:
    """Append a policy's ``lines`` (validated once, when compiled) to a response's header list.

    A header the response already has is kept and ours left out (``keep_view_headers``), or
    removed for ours. ``private`` adds ``Cache-Control: private`` unless the response has its
    own, so no shared cache replays a nonce.
    """
    clash = caching = False
    for name, _ in existing:  # a handful of lines: a loop beats building a set
        lowered = name.lower()
        if lowered in names:
            clash = True
        elif lowered == "cache-control":
            caching = True
    if clash:
        present = {name.lower() for name, _ in existing}
        caching = "cache-control" in present
        if keep_view_headers:
            lines = [line for line in lines if line[0].lower() not in present]
        else:
            ours = {name.lower() for name, _ in lines}
            existing[:] = [line for line in existing if line[0].lower() not in ours]
    existing.extend(lines)
    if private and not caching:
        existing.append(("Cache-Control", "private"))


def _redirect_to_https() -> Response | None:
    """``before_request`` hook for ``force_https`` (off in debug mode)."""
    if request.is_secure or current_app.debug:
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions[EXTENSION].compiled_for(app, request.endpoint) is None:
        return None  # an exempt view (a health check, say) keeps plain HTTP
    url = request.url.replace("http://", "https://", 1)
    code = 301 if request.method in ("GET", "HEAD") else 308
    return redirect(url, code=code)  # type: ignore[return-value]
