"""What changed between two policies, header by header and directive by directive.

Each change is ``looser`` (something more is allowed), ``stricter`` or ``changed`` (neither
clearly: a different report endpoint, a nonce added). Grades and findings are compared too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from secheaders.headers.csp import ContentSecurityPolicy
from secheaders.headers.csp_directives import BY_NAME, Kind
from secheaders.headers.csp_sources import (
    NONE,
    REPORT_SAMPLE,
    REQUEST_NONCE,
    STRICT_DYNAMIC,
    HashSource,
    NonceSource,
    Source,
)
from secheaders.policy import SLOTS, SecurityPolicy

from .csp import effective_sources
from .findings import Finding
from .grading import ORDER
from .report import Report, evaluate

Direction = Literal["looser", "stricter", "changed"]

#: Most restrictive first.
_RANKS: dict[str, tuple[str, ...]] = {
    "x_frame_options": ("DENY", "SAMEORIGIN"),
    "referrer_policy": (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "origin",
        "origin-when-cross-origin",
        "no-referrer-when-downgrade",
        "unsafe-url",
    ),
    "cross_origin_opener_policy": (
        "same-origin",
        "same-origin-allow-popups",
        "noopener-allow-popups",
        "unsafe-none",
    ),
    "cross_origin_embedder_policy": ("require-corp", "credentialless", "unsafe-none"),
    "cross_origin_resource_policy": ("same-origin", "same-site", "cross-origin"),
}
#: CSP directives whose presence restricts the page (their absence allows more).
_RESTRICTING_FLAGS = frozenset(
    {
        "upgrade-insecure-requests",
        "block-all-mixed-content",
        "require-trusted-types-for",
        "trusted-types",
        "sandbox",
    }
)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``old``/``new`` are the values as text (None when absent)."""

    direction: Direction
    header: str
    directive: str | None
    old: str | None
    new: str | None
    message: str

    def as_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready form."""
        return {
            "direction": self.direction,
            "header": self.header,
            "directive": self.directive,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


@dataclass(frozen=True)
class PolicyDiff:
    """The changes from ``old`` to ``new`` and both evaluation reports."""

    changes: tuple[Change, ...]
    old: Report
    new: Report

    @property
    def looser(self) -> list[Change]:
        """Changes that allow more than before."""
        return [change for change in self.changes if change.direction == "looser"]

    @property
    def grade_dropped(self) -> bool:
        """Whether the new grade is worse."""
        return ORDER.index(self.new.grade) > ORDER.index(self.old.grade)

    @property
    def new_findings(self) -> list[Finding]:
        """Findings the new policy has and the old one had not."""
        before = {_key(finding) for finding in self.old.findings}
        return [finding for finding in self.new.findings if _key(finding) not in before]

    @property
    def fixed_findings(self) -> list[Finding]:
        """Findings the old policy had and the new one has not."""
        after = {_key(finding) for finding in self.new.findings}
        return [finding for finding in self.old.findings if _key(finding) not in after]

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form (see docs/cli.md)."""
        return {
            "old": {"grade": self.old.grade, "score": self.old.score},
            "new": {"grade": self.new.grade, "score": self.new.score},
            "changes": [change.as_dict() for change in self.changes],
            "new_findings": [finding.as_dict() for finding in self.new_findings],
            "fixed_findings": [finding.as_dict() for finding in self.fixed_findings],
        }


def _key(finding: Finding) -> tuple[str, str, str | None, str | None]:
    return finding.id, finding.header, finding.directive, finding.value


def diff_policies(old: SecurityPolicy, new: SecurityPolicy, *, https: bool = True) -> PolicyDiff:
    """Compare two policies: what got looser or stricter, and the findings on each side."""
    changes: list[Change] = []
    for slot in SLOTS:
        before, after = getattr(old, slot.attr), getattr(new, slot.attr)
        if before is None and after is None:
            continue
        if before is None or after is None:
            shown = _text(after if before is None else before)
            direction: Direction = "stricter" if before is None else "looser"
            verb = "now sent" if before is None else "no longer sent"
            changes.append(
                Change(
                    direction,
                    slot.name,
                    None,
                    None if before is None else shown,
                    shown if before is None else None,
                    f"{slot.name} is {verb}",
                )
            )
            continue
        compare = _COMPARERS.get(slot.attr, _compare_whole)
        changes.extend(compare(slot.name, slot.attr, before, after))
    return PolicyDiff(tuple(changes), evaluate(old, https=https), evaluate(new, https=https))


def _text(model: Any) -> str:
    if isinstance(model, tuple):
        return ", ".join(policy.to_header() for policy in model)
    return str(model.to_header())


def _compare_whole(header: str, attr: str, before: Any, after: Any) -> list[Change]:
    old, new = _text(before), _text(after)
    if old == new:
        return []
    return [Change("changed", header, None, old, new, f"{header} changed")]


def _compare_ranked(header: str, attr: str, before: Any, after: Any) -> list[Change]:
    ranks = _RANKS[attr]
    old, new = _ranked_value(before), _ranked_value(after)
    if old == new:
        return _compare_whole(header, attr, before, after)
    looser = ranks.index(new) > ranks.index(old)
    direction: Direction = "looser" if looser else "stricter"
    return [Change(direction, header, None, old, new, f"{header} {old} -> {new}")]


def _ranked_value(model: Any) -> str:
    effective = getattr(model, "effective", None)
    return str(effective if effective is not None else model.value)


def _compare_hsts(header: str, attr: str, before: Any, after: Any) -> list[Change]:
    changes = []
    if before.max_age != after.max_age:
        direction: Direction = "looser" if after.max_age < before.max_age else "stricter"
        changes.append(
            Change(
                direction,
                header,
                "max-age",
                str(before.max_age),
                str(after.max_age),
                f"max-age {before.max_age} -> {after.max_age}",
            )
        )
    for field, name in (("include_subdomains", "includeSubDomains"), ("preload", "preload")):
        was, now = getattr(before, field), getattr(after, field)
        if was != now:
            changes.append(
                Change(
                    "stricter" if now else "looser",
                    header,
                    name,
                    name if was else None,
                    name if now else None,
                    f"{name} {'added' if now else 'removed'}",
                )
            )
    return changes


def _compare_permissions(header: str, attr: str, before: Any, after: Any) -> list[Change]:
    changes = []
    for feature in dict.fromkeys([*before.features, *after.features]):
        was, now = before.features.get(feature), after.features.get(feature)
        old = None if was is None else " ".join(was.allow) or "()"
        new = None if now is None else " ".join(now.allow) or "()"
        if old == new:
            continue
        if was is None or now is None:
            direction: Direction = "stricter" if was is None else "looser"
            detail = "now restricted" if was is None else "back to the browser default"
        else:
            added = set(now.allow) - set(was.allow)
            direction = "looser" if added else "stricter"
            detail = f"{old} -> {new}"
        changes.append(Change(direction, header, feature, old, new, f"{feature}: {detail}"))
    return changes


def _compare_csp(header: str, attr: str, before: Any, after: Any) -> list[Change]:
    changes: list[Change] = []
    for index in range(max(len(before), len(after))):
        if index >= len(before) or index >= len(after):
            extra = after[index] if index >= len(before) else before[index]
            added = index >= len(before)
            changes.append(
                Change(
                    "stricter" if added else "looser",
                    header,
                    None,
                    None if added else extra.to_header(),
                    extra.to_header() if added else None,
                    f"policy {index + 1} {'added' if added else 'removed'}",
                )
            )
            continue
        changes.extend(_compare_policy(header, before[index], after[index]))
    return changes


def _compare_policy(
    header: str, before: ContentSecurityPolicy, after: ContentSecurityPolicy
) -> list[Change]:
    changes: list[Change] = []
    names = dict.fromkeys([*before.directives(), *after.directives()])
    for name in names:
        spec = BY_NAME.get(name)
        if spec is not None and spec.kind in (Kind.SOURCE_LIST, Kind.ANCESTOR_LIST):
            changes.extend(_compare_sources(header, name, before, after))
            continue
        was, now = before.directives().get(name), after.directives().get(name)
        if was == now:
            continue
        old, new = _directive_text(was), _directive_text(now)
        direction: Direction = "changed"
        if name in _RESTRICTING_FLAGS and (was is None or now is None):
            direction = "stricter" if was is None else "looser"
        changes.append(Change(direction, header, name, old, new, f"{name} {old} -> {new}"))
    return changes


def _directive_text(value: Any) -> str | None:
    if value is None:
        return None
    if value is True:
        return "(set)"
    if isinstance(value, tuple):
        return " ".join(map(str, value))
    return str(value)


def _allowing(sources: Iterable[Source] | None) -> frozenset[Source] | None:
    """What a list allows, without the tokens that only restrict; None means no restriction."""
    if sources is None:
        return None
    return frozenset(
        s
        for s in sources
        if s not in (NONE, STRICT_DYNAMIC, REPORT_SAMPLE, REQUEST_NONCE)
        and not isinstance(s, NonceSource | HashSource)
    )


def _compare_sources(
    header: str, name: str, before: ContentSecurityPolicy, after: ContentSecurityPolicy
) -> list[Change]:
    if BY_NAME[name].fallback:
        was, now = effective_sources(before, name)[1], effective_sources(after, name)[1]
    else:
        was, now = before.directives().get(name), after.directives().get(name)
    if was == now:
        return []
    old, new = _directive_text(was), _directive_text(now)
    allowed_before, allowed_after = _allowing(was), _allowing(now)
    if allowed_before is None or allowed_after is None:
        direction: Direction = "looser" if allowed_after is None else "stricter"
        detail = "no longer restricted" if allowed_after is None else f"now restricted to {new}"
        return [Change(direction, header, name, old, new, f"{name}: {detail}")]
    changes = []
    added = sorted(map(str, allowed_after - allowed_before))
    removed = sorted(map(str, allowed_before - allowed_after))
    if added:
        changes.append(Change("looser", header, name, old, new, f"{name} allows {' '.join(added)}"))
    if removed:
        message = f"{name} no longer allows {' '.join(removed)}"
        changes.append(Change("stricter", header, name, old, new, message))
    if not changes:
        changes.append(Change("changed", header, name, old, new, f"{name} {old} -> {new}"))
    return changes


_Comparer = Callable[[str, str, Any, Any], list[Change]]
_COMPARERS: dict[str, _Comparer] = {
    "content_security_policy": _compare_csp,
    "content_security_policy_report_only": _compare_csp,
    "strict_transport_security": _compare_hsts,
    "permissions_policy": _compare_permissions,
    "permissions_policy_report_only": _compare_permissions,
    **dict.fromkeys(_RANKS, _compare_ranked),
}
