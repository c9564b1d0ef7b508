"""Policies rendered once into ready header lines, with the nonce position known.

Per request an integration only picks a :class:`HeaderSet` (HTTPS, plain HTTP, or plain-HTTP
localhost) and, when the page asked for a nonce, joins the precomputed pieces around it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from random import random

from .policy import SecurityPolicy
from .reports.wiring import ReportingSetup, endpoints_value, with_reporting

#: Rendered in place of the nonce at compile time, then split on (valid base64, never random).
_SLOT = "SECHEADERSNONCESLOT"
_SLOT_TOKEN = f"'nonce-{_SLOT}'"

Header = tuple[str, str]


@lru_cache(maxsize=256)
def is_local_host(host: str) -> bool:
    """Whether a Host header (with or without port) names this machine."""
    if host.startswith("["):
        name = host[1 : host.find("]")]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class HeaderSet:
    """The header lines of one policy for one kind of request."""

    plain: tuple[Header, ...]
    nonced_static: tuple[Header, ...]  # the lines of a nonced response, nonce slots unfilled
    slots: tuple[tuple[int, str, tuple[str, ...]], ...]  # (index, name, pieces around nonce)
    names: frozenset[str]
    caches: bool  # the policy sets its own Cache-Control
    # names of a Reporting-Endpoints line for report_path on https://<request host>
    endpoints: tuple[str, ...] | None = None
    report_path: str | None = None  # the site's own report endpoint, in report-uri

    @classmethod
    def build(
        cls,
        policy: SecurityPolicy,
        nonce_policy: SecurityPolicy,
        endpoints: tuple[str, ...] | None = None,
        report_path: str | None = None,
    ) -> HeaderSet:
        """Lines without a nonce from ``policy``; with one, from ``nonce_policy``."""
        plain = tuple(policy.to_headers())
        nonced = nonce_policy.to_headers(_SLOT)
        slots = tuple(
            (index, name, tuple(value.split(_SLOT_TOKEN)))
            for index, (name, value) in enumerate(nonced)
            if _SLOT_TOKEN in value
        )
        names = {name.lower() for name, _ in (*plain, *nonced)}
        if endpoints is not None:
            names.add("reporting-endpoints")
        return cls(
            plain,
            tuple(nonced),
            slots,
            frozenset(names),
            "cache-control" in names,
            endpoints,
            report_path,
        )

    def render(self, nonce: str | None, host: str = "localhost", root: str = "") -> list[Header]:
        """The lines for one response; ``nonce`` fills every nonce position, ``host`` (the
        request's Host header) makes the report endpoint's URL absolute, and ``root`` (the
        app's mount point, WSGI ``SCRIPT_NAME``) goes before the endpoint's path."""
        if nonce is None:
            lines = list(self.plain)
        else:
            lines = list(self.nonced_static)
            token = f"'nonce-{nonce}'"
            for index, name, pieces in self.slots:
                lines[index] = (name, token.join(pieces))
        if root and self.report_path is not None:
            lines = [_rooted(line, self.report_path, root) for line in lines]
        if self.endpoints is not None and self.report_path is not None:
            value = endpoints_value("https", host, root + self.report_path, self.endpoints)
            lines.append(("Reporting-Endpoints", value))
        return lines


@lru_cache(maxsize=256)
def _rooted(line: Header, path: str, root: str) -> Header:
    """``line`` with the report endpoint ``path`` moved under ``root`` in its ``report-uri``.

    Only CSP lines name it, always as the last ``report-uri`` URL, so it is followed by ``;``
    or ends the value (a source expression can never be a bare path).
    """
    name, value = line
    if not name.lower().startswith("content-security-policy"):
        return line
    value = value.replace(f" {path};", f" {root}{path};")
    if value.endswith(f" {path}"):
        value = value[: -len(path)] + root + path
    return name, value


def with_script_nonce(policy: SecurityPolicy) -> SecurityPolicy:
    """The policy a nonced response sends: the nonce added wherever scripts are governed.

    ``script-src`` (created from ``default-src`` when it only inherits) and ``script-src-elem``
    get the ``'nonce'`` placeholder in every CSP policy, enforced and report-only; placeholders
    the policy already has (in ``style-src``, say) stay where they are.
    """
    additions: dict[str, list[str]] = {"script-src": ["'nonce'"]}
    policies = (
        *(policy.content_security_policy or ()),
        *(policy.content_security_policy_report_only or ()),
    )
    if any(p.script_src_elem is not None for p in policies):
        additions["script-src-elem"] = ["'nonce'"]
    return policy.extend(csp=additions, csp_report_only=additions)


def _for_plain_http(policy: SecurityPolicy, local: bool) -> SecurityPolicy:
    """No HSTS over plain HTTP (browsers ignore it there); no upgrades on localhost."""
    changed = policy.remove("strict-transport-security")
    if local:
        changed = changed.remove(
            csp=["upgrade-insecure-requests"], csp_report_only=["upgrade-insecure-requests"]
        )
    return changed


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy ready for requests: one :class:`HeaderSet` per kind of request.

    With a :class:`~secheaders.reports.wiring.ReportingSetup` the header sets report to its
    endpoint; when it samples (``sample_rate`` under 1), ``unreported`` holds the same policy
    without reporting, for the responses that are not sampled.
    """

    policy: SecurityPolicy
    secure: HeaderSet
    insecure: HeaderSet
    local: HeaderSet
    sample_rate: float = 1.0
    unreported: CompiledPolicy | None = None

    @classmethod
    def compile(
        cls, policy: SecurityPolicy, reporting: ReportingSetup | None = None
    ) -> CompiledPolicy:
        """Validate-once, render-once: every variant this policy will ever send."""
        # Over plain HTTP, even to localhost, Chromium sends no Reporting API reports, and
        # with report-to present it ignores report-uri: so report-uri alone there.
        kinds = (
            (policy, True),
            (_for_plain_http(policy, False), False),
            (_for_plain_http(policy, True), False),
        )
        report_path = reporting.endpoint if reporting and reporting.is_path else None
        variants = []
        for variant, over_https in kinds:
            endpoints = None
            if reporting is not None:
                variant = with_reporting(variant, reporting, report_to=over_https)
                if over_https and report_path is not None:
                    endpoints = reporting.names
            variants.append(
                HeaderSet.build(variant, with_script_nonce(variant), endpoints, report_path)
            )
        secure, insecure, local = variants
        if reporting is None or reporting.sample_rate >= 1:
            return cls(policy, secure, insecure, local)
        return cls(policy, secure, insecure, local, reporting.sample_rate, cls.compile(policy))

    def for_request(self, secure: bool, host: str) -> HeaderSet:
        """The header set for a request over HTTPS or plain HTTP to ``host``."""
        if secure:
            return self.secure
        return self.local if is_local_host(host) else self.insecure

    def sampled(self) -> CompiledPolicy:
        """This policy, or its unreported twin for a response left out of report sampling."""
        if self.unreported is None or random() < self.sample_rate:
            return self
        return self.unreported
