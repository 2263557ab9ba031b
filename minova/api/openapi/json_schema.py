"""Request schemas (Draft 4, as Nova's) rewritten in JSON Schema 2020-12.

OpenAPI 3.1 speaks 2020-12. The two drafts differ, for what minova's
schemas use, in two keywords only: a boolean ``exclusiveMinimum`` /
``exclusiveMaximum`` became the bound itself, and a list of ``items``
(with ``additionalItems``) became ``prefixItems`` (with ``items``).
Custom formats (``name``, ``base64``, ...) stay: unknown formats only
annotate. Nova's relaxation that numeric strings obey ``minimum`` and
``maximum`` cannot be said in JSON Schema; 2020-12 leaves strings alone.
"""

import copy

_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")
_SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
_SCHEMAS = ("items", "additionalItems", "additionalProperties", "not", "contains")


def from_draft4(schema: dict) -> dict:
    """A 2020-12 copy of a Draft 4 schema."""
    return _convert(copy.deepcopy(schema))


def _convert(schema):
    if not isinstance(schema, dict):
        return schema  # true / false
    for keyword, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(schema.get(keyword), bool):
            if schema.pop(keyword) and bound in schema:
                schema[keyword] = schema.pop(bound)
    if isinstance(schema.get("items"), list):
        schema["prefixItems"] = schema.pop("items")
        if "additionalItems" in schema:
            schema["items"] = schema.pop("additionalItems")
    for keyword in _SCHEMA_MAPS:
        if keyword in schema:
            schema[keyword] = {name: _convert(sub) for name, sub in schema[keyword].items()}
    for keyword in _SCHEMA_LISTS:
        if keyword in schema:
            schema[keyword] = [_convert(sub) for sub in schema[keyword]]
    for keyword in _SCHEMAS:
        if keyword in schema:
            schema[keyword] = _convert(schema[keyword])
    return schema
