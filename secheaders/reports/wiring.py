"""Point a policy's reporting at one endpoint: CSP ``report-uri``/``report-to``, the
``report-to`` parameters of COOP, COEP and Permissions-Policy, and ``Reporting-Endpoints``.

The endpoint is a path on the site (``/_secheaders/reports``, whose ``Reporting-Endpoints``
URL is made absolute per request, since it names the request's own host) or an absolute URL
of a collector elsewhere (written into the policy as it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from secheaders.headers._base import SF_KEY_RE, text_problem
from secheaders.headers.reporting import url_problem
from secheaders.policy import SecurityPolicy

__all__ = ["REPORT_HEADERS", "ReportingSetup", "endpoints_value", "with_reporting"]

#: What ``report_headers`` may name: the headers that can report, and ``default`` (the
#: endpoint browsers send deprecation, intervention and crash reports to).
REPORT_HEADERS = frozenset({"csp", "coop", "coep", "permissions-policy", "default"})
_PATH_RE = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+=:@/%]*")
_HOST_RE = re.compile(r"(?:[A-Za-z0-9\-.]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


@dataclass(frozen=True, slots=True)
class ReportingSetup:
    """Where reports go and which headers send them (validated on construction)."""

    endpoint: str
    group: str = "secheaders"
    headers: frozenset[str] = frozenset({"csp", "coop", "coep"})
    sample_rate: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.endpoint, str) or not self.endpoint:
            raise ValueError("report_endpoint must be a path such as /_secheaders/reports")
        if not self.is_path:
            problem = url_problem(self.endpoint)
            if problem:
                raise ValueError(f"report_endpoint: {problem}")
        elif not _PATH_RE.fullmatch(self.endpoint):
            problem = text_problem(self.endpoint) or "has a character a URL path cannot hold"
            raise ValueError(f"report_endpoint {self.endpoint!r} {problem}")
        if not isinstance(self.group, str) or not SF_KEY_RE.fullmatch(self.group):
            raise ValueError(
                f"report_group {self.group!r} must be an endpoint name: a lowercase letter, "
                "then lowercase letters, digits, '_', '-', '.'"
            )
        unknown = set(self.headers) - REPORT_HEADERS
        if unknown:
            raise ValueError(
                f"report_headers: unknown {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(sorted(REPORT_HEADERS))}"
            )
        rate = self.sample_rate
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise ValueError(f"report_sample_rate must be a number from 0 to 1, not {rate!r}")

    @property
    def is_path(self) -> bool:
        """Whether the endpoint is a path on the site itself (so the site receives reports)."""
        return self.endpoint.startswith("/") and not self.endpoint.startswith("//")

    @property
    def names(self) -> tuple[str, ...]:
        """The ``Reporting-Endpoints`` names this setup sends."""
        return (self.group, "default") if "default" in self.headers else (self.group,)


def with_reporting(
    policy: SecurityPolicy, setup: ReportingSetup, *, report_to: bool
) -> SecurityPolicy:
    """``policy`` reporting to ``setup.endpoint``.

    Every CSP policy, enforced and report-only, gets ``report-uri``; with ``report_to`` (the
    response can carry a usable ``Reporting-Endpoints``) it also gets ``report-to``, and COOP,
    COEP and Permissions-Policy get their ``report-to`` parameters when ``setup.headers``
    names them. Without ``report_to`` nothing names the group, because a browser that
    supports ``report-to`` ignores ``report-uri`` beside it, and would then send nothing.

    A policy that already reports to another group is refused: two places to look for
    reports is a mistake this catches at start-up.
    """
    group = setup.group
    _check_own_groups(policy, group)
    changed = policy
    if "csp" in setup.headers:
        uri = {"report-uri": [setup.endpoint]}
        changed = changed.extend(csp=uri, csp_report_only=uri)
        if report_to:
            to = {"report-to": group}
            changed = changed.replace(
                csp=to if changed.content_security_policy else None,
                csp_report_only=to if changed.content_security_policy_report_only else None,
            )
    if not report_to:
        return changed
    updates: dict[str, Any] = {}
    for header in ("coop", "coep"):
        if header in setup.headers:
            for name in _SLOTS[header]:
                model = getattr(changed, name)
                if model is not None:
                    updates[name] = model.model_copy(update={"report_to": group})
    if "permissions-policy" in setup.headers:
        for name in ("permissions_policy", "permissions_policy_report_only"):
            model = getattr(changed, name)
            if model is not None:
                features = {
                    feature: allow.model_copy(update={"report_to": group})
                    for feature, allow in model.features.items()
                }
                updates[name] = model.model_copy(update={"features": features})
    if not setup.is_path:
        endpoints = dict.fromkeys(setup.names, setup.endpoint)
        changed = changed.extend({"reporting-endpoints": endpoints})
    return changed.model_copy(update=updates) if updates else changed


_SLOTS = {
    "coop": ("cross_origin_opener_policy", "cross_origin_opener_policy_report_only"),
    "coep": ("cross_origin_embedder_policy", "cross_origin_embedder_policy_report_only"),
}


def _check_own_groups(policy: SecurityPolicy, group: str) -> None:
    named: list[tuple[str, str | None]] = [
        ("content-security-policy", p.report_to) for p in policy.content_security_policy or ()
    ]
    named += [
        ("content-security-policy-report-only", p.report_to)
        for p in policy.content_security_policy_report_only or ()
    ]
    for slots in _SLOTS.values():
        for slot in slots:
            model = getattr(policy, slot)
            if model is not None:
                named.append((slot.replace("_", "-"), model.report_to))
    for header, own in named:
        if own is not None and own != group:
            raise ValueError(
                f"{header} already reports to {own!r}; with report_endpoint set, secheaders "
                f"sends reports to the group {group!r}: remove report-to from the policy, or "
                f"set report_group={own!r}"
            )


@lru_cache(maxsize=1024)
def endpoints_value(scheme: str, host: str, path: str, names: tuple[str, ...]) -> str:
    """The ``Reporting-Endpoints`` value naming ``path`` on ``scheme://host``.

    A Host header that is not a plain host name or address (it is request input) gives the
    path alone, which browsers resolve against the response URL.
    """
    url = f"{scheme}://{host}{path}" if _HOST_RE.fullmatch(host) else path
    return ", ".join(f'{name}="{url}"' for name in names)
