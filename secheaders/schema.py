"""JSON Schema of the config format (``secheaders.toml``), for editors and CI checks.

It is pydantic's schema of :class:`SecurityPolicy`, reshaped to the plain form people write:
bare values for one-value headers, bare mappings for Permissions-Policy and
Reporting-Endpoints, one or several CSP policies, ``false`` for "not sent", and the reserved
``extends``, ``extend`` and ``description`` keys.
"""

from __future__ import annotations

import copy
from typing import Any

from .headers._base import HeaderModel, MappingHeader
from .policy import SLOTS, SecurityPolicy

SCHEMA_ID = "https://secheaders.invalid/config.schema.json"
_NOT_SENT = {"const": False, "description": "false: the header is not sent"}
_DIRECTIVE_REMOVED = {"const": False, "description": "false: the directive is removed"}
_MEMBER_REMOVED = {"const": False, "description": "false: removed from the base policy"}


def _reshape(name: str, definition: dict[str, Any], model: type[HeaderModel]) -> dict[str, Any]:
    properties = definition.get("properties", {})
    if name == "XFrameOptions":  # read case-insensitively
        properties["value"]["enum"] += [value.lower() for value in properties["value"]["enum"]]
    if issubclass(model, MappingHeader):
        shaped: dict[str, Any] = copy.deepcopy(properties[model.mapping_field])
        shaped.pop("title", None)
        shaped.pop("minProperties", None)
        shaped["additionalProperties"] = {
            "anyOf": [shaped["additionalProperties"], _MEMBER_REMOVED]
        }
        shaped["description"] = definition.get("description", "")
        return shaped
    options: list[dict[str, Any]] = []
    if model.plain_field is not None:
        plain = copy.deepcopy(properties[model.plain_field])
        plain.pop("title", None)
        plain.pop("default", None)
        options.append(plain)
        if plain.get("type") == "array":
            options.append(copy.deepcopy(plain["items"]))  # one item alone
    if not any(field.is_required() for field in model.model_fields.values()):
        options.append({"const": True, "description": "true: the header with its defaults"})
    definition.pop("required", None)  # a file that extends another may set any one field
    if model.__name__.startswith("ContentSecurityPolicy"):
        for prop in properties.values():
            if "anyOf" in prop:
                prop["anyOf"].append(_DIRECTIVE_REMOVED)
    if not options:
        return definition
    return {"description": definition.get("description", ""), "anyOf": [*options, definition]}


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a secheaders config file."""
    schema = SecurityPolicy.model_json_schema(by_alias=True)
    models: dict[str, type[HeaderModel]] = {slot.model.__name__: slot.model for slot in SLOTS}
    definitions: dict[str, Any] = schema["$defs"]
    for name, definition in list(definitions.items()):
        if name in models:
            definitions[name] = _reshape(name, definition, models[name])
    allowlist = definitions.get("FeatureAllowlist")
    if allowlist is not None:
        allow = copy.deepcopy(allowlist["properties"]["allow"])
        allow.pop("title", None)
        definitions["FeatureAllowlist"] = {"anyOf": [allow, {"type": "string"}, allowlist]}
    for slot in SLOTS:
        prop = schema["properties"][slot.key]
        ref = {"$ref": f"#/$defs/{slot.model.__name__}"}
        if slot.repeat == "policies":
            prop["anyOf"] = [ref, {"type": "array", "items": ref}, _NOT_SENT, {"type": "null"}]
        else:
            prop["anyOf"] = [ref, _NOT_SENT, {"type": "null"}]
    headers = {key: {"$ref": f"#/properties/{key}"} for key in schema["properties"]}
    schema["properties"].update(
        {
            "extends": {
                "type": "string",
                "description": "A preset name (strict, legacy-compatible, api, basic) or a "
                "path to another config file to start from.",
            },
            "description": {"type": "string", "description": "What this policy is for."},
            "extend": {
                "type": "object",
                "description": "Additions applied after this file's headers: sources for CSP "
                "directives, origins for Permissions-Policy features, Reporting-Endpoints, "
                "Clear-Site-Data types.",
                "properties": dict(headers),
                "additionalProperties": False,
            },
        }
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "secheaders config"
    return schema
