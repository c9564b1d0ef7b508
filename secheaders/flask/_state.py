"""Per-app state of the Flask extension: which compiled policy serves which endpoint."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask

from secheaders.compiled import CompiledPolicy
from secheaders.policy import SecurityPolicy
from secheaders.reports.wiring import ReportingSetup

from ._reports import ReportReceiver

OPS_ATTRIBUTE = "__secheaders_ops__"
_NOT_REPORTABLE = ("sandbox", "upgrade-insecure-requests")


@dataclass(frozen=True, slots=True)
class Op:
    """A per-view change: ("replace" | "extend" | "exempt", payload), owned by one Secure."""

    owner: int
    kind: str
    payload: Any


@dataclass
class Settings:
    """The resolved settings of one app."""

    policy: SecurityPolicy
    report_only: bool
    keep_view_headers: bool
    force_https: bool
    harden_cookies: str
    reporting: ReportingSetup | None = None
    report_max_body: int = 64 * 1024
    report_max_reports: int = 100
    report_dedupe_window: float = 60.0


@dataclass
class AppState:
    """What one app needs per request; stored in ``app.extensions["secheaders"]``.

    Policies are kept as written (``policy``, ``blueprints``); a view's changes apply to them
    first, and report-only mode converts the result, so an override in report-only mode is
    reported, not enforced.
    """

    owner: int
    settings: Settings
    blueprints: dict[Blueprint, SecurityPolicy] = field(default_factory=dict)
    endpoints: dict[str | None, CompiledPolicy | None] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    receiver: ReportReceiver | None = None

    def compile(self, policy: SecurityPolicy) -> CompiledPolicy:
        """Render ``policy`` for requests, in report-only form when the app asked for it, and
        reporting to the app's report endpoint when it has one."""
        return CompiledPolicy.compile(
            _report_only(policy, self.settings.report_only), self.settings.reporting
        )

    def compiled_for(self, app: Flask, endpoint: str | None) -> CompiledPolicy | None:
        """The compiled policy of ``endpoint`` (``None``: exempt), compiled once and cached."""
        found = self.endpoints.get(endpoint, self)
        if found is not self:
            return found  # type: ignore[return-value]
        with self.lock:
            if endpoint not in self.endpoints:
                self.endpoints[endpoint] = self._build(app, endpoint)
            return self.endpoints[endpoint]

    def _build(self, app: Flask, endpoint: str | None) -> CompiledPolicy | None:
        base = self._base_for(app, endpoint)
        view = app.view_functions.get(endpoint) if endpoint else None
        ops = [op for op in getattr(view, OPS_ATTRIBUTE, ()) if op.owner == self.owner]
        try:
            changed = apply_ops(base, ops)
            return None if changed is None else self.compile(changed)
        except ValueError as exc:
            exc.add_note(f"while compiling the security headers of view {endpoint!r}")
            raise

    def _base_for(self, app: Flask, endpoint: str | None) -> SecurityPolicy:
        """The policy of the innermost registered blueprint of ``endpoint`` that has one."""
        if endpoint and self.blueprints:
            parts = endpoint.split(".")[:-1]
            while parts:
                blueprint = app.blueprints.get(".".join(parts))
                if blueprint is not None and blueprint in self.blueprints:
                    return self.blueprints[blueprint]
                parts.pop()
        return self.settings.policy

    def recompile(self, app: Flask, which: Callable[[str | None], bool]) -> None:
        """Compile again the endpoints ``which`` selects; all of them or none on an error."""
        with self.lock:
            fresh = {
                endpoint: self._build(app, endpoint)
                for endpoint in list(self.endpoints)
                if which(endpoint)
            }
            self.endpoints.update(fresh)


class CompilingViews(dict[str, Any]):
    """``app.view_functions`` that compiles each view's policy as the view is registered."""

    def __init__(self, views: Mapping[str, Any], app: Flask, state: AppState) -> None:
        super().__init__(views)
        self._app = app
        self._state = state

    def __setitem__(self, endpoint: str, view: Any) -> None:
        super().__setitem__(endpoint, view)
        with self._state.lock:
            self._state.endpoints[endpoint] = self._state._build(self._app, endpoint)


def apply_ops(policy: SecurityPolicy, ops: Iterable[Op]) -> SecurityPolicy | None:
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
