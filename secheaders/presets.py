"""Presets and config files: TOML or JSON policies that can extend each other.

A config file holds the plain form of a ``SecurityPolicy`` plus three reserved keys:

* ``extends``: a preset name (``"strict"``) or a path, relative to the file, to start from;
* ``extend``: a table of additions applied after the file's own headers (see
  :func:`secheaders.compose.extend`);
* ``description``: one line saying what the policy is for.

The file's own headers replace the base's directive by directive and field by field; a header
or directive set to ``false`` is removed. ``pyproject.toml`` keeps the same keys under
``[tool.secheaders]``.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import compose
from .errors import format_validation_error
from .headers._base import suggest
from .policy import SecurityPolicy

RESERVED = ("extends", "extend", "description")
_PRESET_NAME = re.compile(r"[a-z0-9][a-z0-9\-]*")
_TRAILING_INDEX = re.compile(r"\[\d+\]$")


class ConfigError(ValueError):
    """A config file or preset that cannot be loaded; ``problems`` has one line per error.

    Each line reads ``file: key.path[index]: message``.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy with the description its file gave (empty when none)."""

    policy: SecurityPolicy
    description: str


def _preset_dir() -> Traversable:
    """Presets ship inside the package (wheel); a source checkout keeps them at the top."""
    packaged = resources.files("secheaders.data").joinpath("presets")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "presets"


def presets() -> list[str]:
    """The names of the shipped presets."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _preset_dir().iterdir()
        if entry.name.endswith(".toml")
    )


def preset_descriptions() -> dict[str, str]:
    """Preset name -> its one-line description."""
    return {name: _load_preset(name, ()).description for name in presets()}


def load_preset(name: str) -> SecurityPolicy:
    """The shipped preset ``name`` (see :func:`presets`)."""
    return _load_preset(name, ()).policy


def load_policy(source: str | os.PathLike[str] | Mapping[str, Any]) -> SecurityPolicy:
    """A policy from a TOML/JSON file, a ``pyproject.toml``, or a mapping in the same form.

    Raises :class:`ConfigError`, whose lines name the file, the key path and the problem.
    """
    if isinstance(source, Mapping):
        return _resolve(dict(source), "policy", Path.cwd(), ()).policy
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"load_policy() takes a path or a mapping, not {source!r}")
    path = Path(source)
    return _resolve(_read_file(path), str(path), path.resolve().parent, (path.resolve(),)).policy


def resolve_policy(
    *,
    preset: str | None = None,
    policy: SecurityPolicy | Mapping[str, Any] | None = None,
    config: str | os.PathLike[str] | None = None,
    default: str = "strict",
) -> SecurityPolicy:
    """The policy an integration was given: a preset name, a policy, a mapping or a file."""
    if sum(item is not None for item in (preset, policy, config)) > 1:
        raise ValueError("give at most one of preset, policy and config")
    if policy is not None and not isinstance(policy, SecurityPolicy | Mapping):
        raise TypeError(f"policy must be a SecurityPolicy or a mapping, not {policy!r}")
    if isinstance(policy, SecurityPolicy):
        return policy
    if policy is not None:
        return load_policy(policy)
    if config is not None:
        return load_policy(config)
    return load_preset(preset or default)


def _load_preset(name: str, chain: tuple[object, ...]) -> LoadedPolicy:
    if not isinstance(name, str):
        raise TypeError(f"a preset name is a string, not {name!r}")
    entry = _preset_dir().joinpath(f"{name}.toml")
    if not _PRESET_NAME.fullmatch(name) or not entry.is_file():
        raise ConfigError([f"unknown preset {name!r}{suggest(name, presets())}"])
    label = f"preset {name}"
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{label}: not valid TOML: {exc}"]) from None
    return _resolve(data, label, None, (*chain, f"preset:{name}"))


def _read_file(path: Path) -> dict[str, Any]:
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{label}: cannot read ({exc.strerror})"]) from None
    if path.suffix not in (".json", ".toml"):
        raise ConfigError([f"{label}: unknown file type; use a .toml or .json file"])
    data: Any
    try:
        data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        kind = path.suffix[1:].upper()
        raise ConfigError([f"{label}: not valid {kind}: {exc}"]) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        data = tool.get("secheaders") if isinstance(tool, dict) else None
        if data is None:
            raise ConfigError([f"{label}: no [tool.secheaders] table"])
    if not isinstance(data, dict):
        raise ConfigError([f"{label}: the top level must be a table of headers"])
    return data


def _resolve(
    data: dict[str, Any], label: str, base_dir: Path | None, chain: tuple[object, ...]
) -> LoadedPolicy:
    """Validate ``data`` on top of what it extends; ``chain`` detects cycles."""
    own = {key: value for key, value in data.items() if key not in RESERVED}
    description = data.get("description", "")
    extends = data.get("extends")
    additions = data.get("extend", {})
    problems = []
    if not isinstance(description, str):
        problems.append(f"{label}: description: must be a string")
    if extends is not None and not isinstance(extends, str):
        problems.append(f"{label}: extends: must be a preset name or a file path")
    if not isinstance(additions, Mapping):
        problems.append(f"{label}: extend: must be a table of headers")
    if problems:
        raise ConfigError(problems)
    base: dict[str, Any] = {}
    if extends is not None:
        base = _load_base(extends, label, base_dir, chain).policy.plain()
    try:
        replaced = compose.replace(base, own)
    except compose.CompositionError as exc:
        raise ConfigError([": ".join(filter(None, (label, exc.where, str(exc))))]) from None
    try:
        merged = compose.extend(replaced, additions)
    except compose.CompositionError as exc:
        where = f"extend.{exc.where}" if exc.where else "extend"
        raise ConfigError([f"{label}: {where}: {exc}"]) from None
    try:
        policy = SecurityPolicy.model_validate(merged)
    except ValidationError as exc:
        if additions and _valid(replaced):  # the fault is in what [extend] added
            lines = [_in_extend(line) for line in format_validation_error(exc, data=merged)]
            raise ConfigError([f"{label}: {line}" for line in lines]) from None
        raise ConfigError(format_validation_error(exc, source=label, data=merged)) from None
    return LoadedPolicy(policy, description)


def _valid(data: Mapping[str, Any]) -> bool:
    try:
        SecurityPolicy.model_validate(data)
    except ValidationError:
        return False
    return True


def _in_extend(line: str) -> str:
    """``csp.img-src[3]: msg`` -> ``extend.csp.img-src: msg`` (the index counted inherited
    sources, so it would not point into the file)."""
    where, _, message = line.partition(": ")
    return f"extend.{_TRAILING_INDEX.sub('', where)}: {message}"


def _load_base(
    extends: str, label: str, base_dir: Path | None, chain: tuple[object, ...]
) -> LoadedPolicy:
    looks_like_path = "/" in extends or "\\" in extends or extends.endswith((".toml", ".json"))
    if not looks_like_path:
        if f"preset:{extends}" in chain:
            raise ConfigError([f"{label}: extends: preset {extends} extends itself"])
        try:
            return _load_preset(extends, chain)
        except ConfigError as exc:
            raise ConfigError([f"{label}: extends: {line}" for line in exc.problems]) from None
    if base_dir is None:
        raise ConfigError([f"{label}: extends: a preset can only extend other presets"])
    path = (base_dir / extends).resolve()
    if path in chain:
        raise ConfigError([f"{label}: extends: {extends} is already being loaded (a cycle)"])
    try:
        return _resolve(_read_file(path), str(path), path.parent, (*chain, path))
    except ConfigError as exc:
        raise ConfigError([f"{label}: extends: {line}" for line in exc.problems]) from None
