"""What changed between two policies, header by header and directive by directive.

Each change is ``looser`` (something more is allowed), ``stricter`` or ``changed`` (neither
clearly: a different report endpoint, a nonce added). CSP source lists are judged by what a
browser of one CSP level enforces (CSP3 unless asked): a token that browser ignores, such as a
host beside ``'strict-dynamic'`` or ``'unsafe-inline'`` beside a nonce, is a fallback for older
browsers and its coming or going is ``changed``. Grades and findings are compared too.
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
    UNSAFE_INLINE,
    HashSource,
    NonceSource,
    Source,
)
from secheaders.policy import SLOTS, SecurityPolicy

from .csp import effective_sources, honoured_script_sources, require_level
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
#: Lists in which ``'strict-dynamic'`` and nonces or hashes set aside other script sources.
#: worker-src is judged as written (HEADERS.md gives 'strict-dynamic' effect for scripts
#: only), so a host added there stays looser: a gate should not miss a loosening.
_SCRIPT_LISTS = frozenset({"script-src", "script-src-elem", "script-src-attr"})
#: Lists in which a nonce or hash sets ``'unsafe-inline'`` aside (from CSP2 on).
_INLINE_LISTS = frozenset({"default-src", "style-src", "style-src-elem", "style-src-attr"})
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


def diff_policies(
    old: SecurityPolicy, new: SecurityPolicy, *, https: bool = True, csp_level: int = 3
) -> PolicyDiff:
    """Compare two policies: what got looser or stricter, and the findings on each side.

    CSP source lists and findings are judged as a browser of ``csp_level`` (1, 2 or 3)
    enforces them.
    """
    require_level(csp_level, "csp_level")
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
        if slot.attr in _CSP_ATTRS:
            changes.extend(_compare_csp(slot.name, slot.attr, before, after, csp_level))
            continue
        compare = _COMPARERS.get(slot.attr, _compare_whole)
        changes.extend(compare(slot.name, slot.attr, before, after))
    return PolicyDiff(
        tuple(changes),
        evaluate(old, https=https, csp_level=csp_level),
        evaluate(new, https=https, csp_level=csp_level),
    )


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
            direction = _allowlist_direction(was.allow, now.allow)
            detail = f"{old} -> {new}"
        changes.append(Change(direction, header, feature, old, new, f"{feature}: {detail}"))
    return changes


def _allowlist_direction(was: tuple[str, ...], now: tuple[str, ...]) -> Direction:
    """Looser if ``now`` allows an origin ``was`` did not; ``*`` allows every origin."""
    if "*" in was:
        return "changed" if "*" in now else "stricter"
    return "looser" if "*" in now or set(now) - set(was) else "stricter"


def _compare_csp(header: str, attr: str, before: Any, after: Any, level: int) -> list[Change]:
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
        changes.extend(_compare_policy(header, before[index], after[index], level))
    return changes


def _compare_policy(
    header: str, before: ContentSecurityPolicy, after: ContentSecurityPolicy, level: int
) -> list[Change]:
    changes: list[Change] = []
    names = dict.fromkeys([*before.directives(), *after.directives()])
    for name in names:
        spec = BY_NAME.get(name)
        if spec is not None and spec.kind in (Kind.SOURCE_LIST, Kind.ANCESTOR_LIST):
            changes.extend(_compare_sources(header, name, before, after, level))
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


def _enforced(
    name: str, sources: tuple[Source, ...] | None, level: int
) -> tuple[Source, ...] | None:
    """What a browser of CSP ``level`` honours of the list ``sources`` found for ``name``."""
    if sources is None:
        return None
    if name in _SCRIPT_LISTS:
        return tuple(honoured_script_sources(sources, level))
    if (
        name in _INLINE_LISTS
        and level >= 2
        and any(isinstance(source, NonceSource | HashSource) for source in sources)
    ):
        return tuple(source for source in sources if source != UNSAFE_INLINE)
    return sources


def _compare_sources(
    header: str,
    name: str,
    before: ContentSecurityPolicy,
    after: ContentSecurityPolicy,
    level: int,
) -> list[Change]:
    if BY_NAME[name].fallback:
        was, now = effective_sources(before, name)[1], effective_sources(after, name)[1]
    else:
        was, now = before.directives().get(name), after.directives().get(name)
    if was == now:
        return []
    old, new = _directive_text(was), _directive_text(now)
    allowed_before = _allowing(_enforced(name, was, level))
    allowed_after = _allowing(_enforced(name, now, level))
    if allowed_before is None or allowed_after is None:
        direction: Direction = "looser" if allowed_after is None else "stricter"
        detail = "no longer restricted" if allowed_after is None else f"now restricted to {new}"
        return [Change(direction, header, name, old, new, f"{name}: {detail}")]

    def change(direction: Direction, message: str) -> Change:
        return Change(direction, header, name, old, new, message)

    changes = []
    added, removed = allowed_after - allowed_before, allowed_before - allowed_after
    if added:
        changes.append(change("looser", f"{name} allows {_listed(added)}"))
    if removed:
        changes.append(change("stricter", f"{name} no longer allows {_listed(removed)}"))
    # Tokens written or struck that this browser ignores where they stand: fallbacks.
    written_before, written_after = _allowing(was) or frozenset(), _allowing(now) or frozenset()
    if fallback := written_after - written_before - added:
        changes.append(change("changed", f"{name} adds {_fallbacks(fallback, level, 'ignore')}"))
    if fallback := written_before - written_after - removed:
        changes.append(change("changed", f"{name} drops {_fallbacks(fallback, level, 'ignored')}"))
    if not changes:
        changes.append(change("changed", f"{name} {old} -> {new}"))
    return changes


def _fallbacks(sources: frozenset[Source], level: int, verb: str) -> str:
    kind = "a fallback" if len(sources) == 1 else "fallbacks"
    return f"{_listed(sources)}, {kind} that CSP{level} browsers {verb} here"


def _listed(sources: Iterable[Source]) -> str:
    return " ".join(sorted(map(str, sources)))


_Comparer = Callable[[str, str, Any, Any], list[Change]]
_CSP_ATTRS = frozenset({"content_security_policy", "content_security_policy_report_only"})
_COMPARERS: dict[str, _Comparer] = {
    "strict_transport_security": _compare_hsts,
    "permissions_policy": _compare_permissions,
    "permissions_policy_report_only": _compare_permissions,
    **dict.fromkeys(_RANKS, _compare_ranked),
}
