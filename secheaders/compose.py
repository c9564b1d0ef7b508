"""Replace, extend and remove: the three ways a policy is changed, on its plain form.

They work on the plain form (the dict ``SecurityPolicy.model_dump(by_alias=True, ...)`` gives
and config files hold), so config ``extends``, the ``SecurityPolicy`` methods and the Flask
decorators share one implementation; the caller validates the result into a new policy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from .headers._base import MappingHeader, suggest
from .headers.csp_directives import BY_NAME, Kind, judge_source
from .policy import BY_KEY, HeaderSlot

PlainPolicy = dict[str, Any]

_SHORTHANDS = {
    "csp": "content-security-policy",
    "csp-report-only": "content-security-policy-report-only",
}
_CSP_KEYS = {"content-security-policy", "content-security-policy-report-only"}
_EXTENDABLE = (
    "Content-Security-Policy directives, Permissions-Policy features, Reporting-Endpoints "
    "and Clear-Site-Data"
)


class CompositionError(ValueError):
    """A change that cannot be applied (unknown header, nothing to extend, ...).

    ``where`` is the key path of the change at fault, as the author wrote it.
    """

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


def header_key(name: str) -> str:
    """The plain-form key of a header given as wire name, Python field name or shorthand."""
    if not isinstance(name, str):
        raise CompositionError(f"header names are strings, not {name!r}", str(name))
    key = name.strip().lower().replace("_", "-")
    key = _SHORTHANDS.get(key, key)
    if key not in BY_KEY:
        choices = [*BY_KEY, *_SHORTHANDS]
        raise CompositionError(f"unknown header {name!r}{suggest(key, choices)}", name)
    return key


def _policies(value: Any) -> list[dict[str, Any]]:
    """CSP plain value as a list of policy dicts (copies)."""
    items = value if isinstance(value, list) else [value]
    return [dict(item) for item in items]


def _absent(value: Any) -> bool:
    return value is None or value is False


def replace(data: PlainPolicy, changes: Mapping[str, Any]) -> PlainPolicy:
    """Set headers, or the given directives and fields of a header, leaving the rest.

    A header or directive set to ``None``/``False`` is removed. A mapping changes only the
    keys it names (in every CSP policy); anything else (a string, a list, a list of CSP
    policies, a model) replaces the header whole.
    """
    result = copy.deepcopy(data)
    for name, value in changes.items():
        key = header_key(name)
        if _absent(value):
            result.pop(key, None)
        elif isinstance(value, Mapping):
            current = result.get(key)
            result[key] = _merge_into(
                key, current if isinstance(current, Mapping | list) else {}, value
            )
        else:
            result[key] = value
    return result


def _merge_into(key: str, current: Any, changes: Mapping[str, Any]) -> Any:
    """Merge ``changes`` key by key. ``None`` removes a key; ``false`` removes a CSP directive,
    a feature or an endpoint, but is a value for the fields of other headers (``?0``)."""
    if key in _CSP_KEYS:
        changes = {_directive(name): value for name, value in changes.items()}
        policies = [_merged(policy, changes, True) for policy in _policies(current) or [{}]]
        return policies if len(policies) > 1 else policies[0]
    model = BY_KEY[key].model
    if issubclass(model, MappingHeader):
        return _merged(dict(current) if isinstance(current, Mapping) else {}, changes, True)
    changes = {_field(model, name): value for name, value in changes.items()}
    return _merged(dict(current) if isinstance(current, Mapping) else {}, changes, False)


def _field(model: type[BaseModel], name: str) -> str:
    """A field's plain-form key, given its wire spelling or its Python name."""
    for attr, info in model.model_fields.items():
        if name in (attr, info.alias):
            return info.alias or attr
    return name


def _merged(
    target: dict[str, Any], changes: Mapping[str, Any], false_removes: bool
) -> dict[str, Any]:
    for name, value in changes.items():
        if value is None or (false_removes and value is False):
            target.pop(name, None)
        else:
            target[name] = value
    return target


def _directive(name: Any) -> str:
    if not isinstance(name, str):
        raise CompositionError(f"directive names are strings, not {name!r}", str(name))
    return name.strip().lower().replace("_", "-")


def extend(data: PlainPolicy, additions: Mapping[str, Any]) -> PlainPolicy:
    """Allow more: add sources to CSP directives, origins to features, endpoints, types.

    A CSP fetch directive that is absent first takes the sources of the directive it falls
    back to (what browsers were enforcing), so adding an image host never opens scripts; when
    nothing in the chain is set the resource type is unrestricted and nothing is added.
    """
    result = copy.deepcopy(data)
    for name, value in additions.items():
        key = header_key(name)
        slot = BY_KEY[key]
        if key in _CSP_KEYS:
            if not isinstance(value, Mapping):
                raise CompositionError(f"{slot.name}: extend takes a mapping of directives", name)
            if key in result:
                policies = [_extend_csp(policy, value, slot) for policy in _policies(result[key])]
                result[key] = policies if len(policies) > 1 else policies[0]
        elif key == "permissions-policy" or key == "permissions-policy-report-only":
            result[key] = _extend_features(result.get(key), value, slot)
        elif key == "reporting-endpoints":
            result[key] = _extend_endpoints(result.get(key), value)
        elif key == "clear-site-data":
            current = result.get(key) or []
            current = [current] if isinstance(current, str) else list(current)
            result[key] = list(dict.fromkeys([*current, *_items(value, slot.name, key)]))
        else:
            raise CompositionError(
                f"{slot.name} cannot be extended, only replaced; extend works on {_EXTENDABLE}",
                name,
            )
    return result


def _extend_csp(policy: dict[str, Any], additions: Mapping[str, Any], slot: HeaderSlot) -> Any:
    for name, raw in additions.items():
        directive = _directive(name)
        spec = BY_NAME.get(directive)
        if spec is None:
            raise CompositionError(
                f"{slot.name}: unknown directive {directive!r}{suggest(directive, BY_NAME)}",
                f"{slot.key}.{name}",
            )
        if spec.kind is Kind.REPORT_URI:
            items = _items(raw, f"{slot.name} {directive}", f"{slot.key}.{name}")
            policy[directive] = list(dict.fromkeys([*policy.get(directive, []), *items]))
            continue
        if spec.kind not in (
            Kind.SOURCE_LIST,
            Kind.ANCESTOR_LIST,
            Kind.SANDBOX,
            Kind.TRUSTED_TYPES,
        ):
            raise CompositionError(
                f"{slot.name}: {directive} cannot be extended, only replaced",
                f"{slot.key}.{name}",
            )
        items = _items(raw, f"{slot.name} {directive}", f"{slot.key}.{name}")
        base = _inherited(policy, directive)
        if base is None:
            continue  # unrestricted: the browser already allows everything here
        kept = [item for item in base if str(item).lower() != "'none'"]
        policy[directive] = list(dict.fromkeys([*kept, *items]))
    return policy


def _items(raw: Any, what: str, where: str) -> list[Any]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise CompositionError(f"{what}: expected a list of values, got {raw!r}", where)


def _inherited(policy: Mapping[str, Any], directive: str) -> list[Any] | None:
    """The list a browser enforces for ``directive``: its own, or its fallback's.

    From a fallback, sources that mean nothing in ``directive`` (a ``connect-src``-only
    keyword inherited from ``default-src`` by ``script-src``) are left behind.
    """
    for name in (directive, *BY_NAME[directive].fallback):
        if name in policy and not _absent(policy[name]):
            value = policy[name]
            items = [value] if isinstance(value, str) else list(value)
            if name == directive:
                return items
            return [item for item in items if _means_something(directive, str(item))]
    return None


def _means_something(directive: str, token: str) -> bool:
    source, notes, _text = judge_source(directive, token)
    return source is not None and all(code != "no-effect" for code, _ in notes)


def _extend_features(current: Any, additions: Any, slot: HeaderSlot) -> dict[str, Any]:
    if not isinstance(additions, Mapping):
        raise CompositionError(
            f"{slot.name}: extend takes a mapping of feature -> origins", slot.key
        )
    features = dict(current or {})
    for feature, raw in additions.items():
        if feature not in features:
            raise CompositionError(
                f"{slot.name}: {feature} is not in the policy, so its default applies; "
                "set its allowlist with replace",
                f"{slot.key}.{feature}",
            )
        entry = features[feature]
        mapping = dict(entry) if isinstance(entry, Mapping) else {"allow": entry}
        allow = (
            [mapping.get("allow", [])]
            if isinstance(mapping.get("allow"), str)
            else list(mapping.get("allow", []))
        )
        items = _items(raw, f"{slot.name} {feature}", f"{slot.key}.{feature}")
        merged = list(dict.fromkeys([*allow, *items]))
        mapping["allow"] = ["*"] if "*" in merged else merged
        features[feature] = mapping if set(mapping) != {"allow"} else mapping["allow"]
    return features


def _extend_endpoints(current: Any, additions: Any) -> dict[str, Any]:
    if not isinstance(additions, Mapping):
        raise CompositionError(
            "Reporting-Endpoints: extend takes a mapping of name -> URL", "reporting-endpoints"
        )
    endpoints = dict(current or {})
    for name, url in additions.items():
        if name in endpoints and endpoints[name] != url:
            raise CompositionError(
                f"Reporting-Endpoints: {name} already points to {endpoints[name]}; "
                "use replace to change it",
                f"reporting-endpoints.{name}",
            )
        endpoints[name] = url
    return endpoints


def remove(data: PlainPolicy, headers: Iterable[str], parts: Mapping[str, Any]) -> PlainPolicy:
    """Drop whole headers, or the named directives, features, endpoints or fields of one.

    A CSP policy left without directives is dropped, and the header with its last policy.
    A name that is neither known nor present is an error (with a suggestion).
    """
    result = copy.deepcopy(data)
    for name in headers:
        result.pop(header_key(name), None)
    for name, raw in parts.items():
        key = header_key(name)
        slot = BY_KEY[key]
        names = [str(item) for item in _items(raw, slot.name, key)]
        if key in _CSP_KEYS:
            _remove_directives(result, key, [_directive(item) for item in names])
        elif issubclass(slot.model, MappingHeader):
            current = dict(result.get(key) or {})
            for item in names:
                if item not in current:
                    hint = suggest(item, current)
                    raise CompositionError(
                        f"{slot.name}: {item} is not in the policy{hint}", f"{key}.{item}"
                    )
                del current[item]
            _store(result, key, current)
        elif isinstance(result.get(key), Mapping):
            current = dict(result[key])
            for item in names:
                field = _field(slot.model, item)
                if field not in {
                    info.alias or attr for attr, info in slot.model.model_fields.items()
                }:
                    hint = suggest(
                        item, [info.alias or attr for attr, info in slot.model.model_fields.items()]
                    )
                    raise CompositionError(
                        f"{slot.name}: unknown field {item!r}{hint}", f"{key}.{item}"
                    )
                current.pop(field, None)
            _store(result, key, current)
        elif key in result:
            raise CompositionError(
                f"{slot.name} has no parts to remove; remove the whole header", key
            )
    return result


def _remove_directives(result: PlainPolicy, key: str, names: list[str]) -> None:
    policies = _policies(result[key]) if key in result else []
    for name in names:
        if name not in BY_NAME and not any(name in policy for policy in policies):
            raise CompositionError(
                f"{BY_KEY[key].name}: unknown directive {name!r}{suggest(name, BY_NAME)}",
                f"{key}.{name}",
            )
    kept = [{d: v for d, v in policy.items() if d not in names} for policy in policies]
    kept = [policy for policy in kept if policy]
    _store(result, key, kept if len(kept) != 1 else kept[0])


def _store(result: PlainPolicy, key: str, value: Any) -> None:
    if value:
        result[key] = value
    else:
        result.pop(key, None)


__all__ = [
    "CompositionError",
    "PlainPolicy",
    "extend",
    "header_key",
    "remove",
    "replace",
]
