"""Draft 4 request schemas in JSON Schema 2020-12."""

import jsonschema

from minova.api.openapi import json_schema
from minova.api.schemas import flavor_manage, server_groups


def test_boolean_exclusive_minimum_becomes_the_bound():
    converted = json_schema.from_draft4(flavor_manage.create)
    rxtx = converted["properties"]["flavor"]["properties"]["rxtx_factor"]
    assert rxtx["exclusiveMinimum"] == 0
    assert "minimum" not in rxtx
    # the original is untouched
    assert flavor_manage.create["properties"]["flavor"]["properties"]["rxtx_factor"][
        "exclusiveMinimum"] is True


def test_items_list_becomes_prefix_items():
    converted = json_schema.from_draft4(server_groups.create)
    policies = converted["properties"]["server_group"]["properties"]["policies"]
    assert policies["prefixItems"] == [{"type": "string", "enum": ["anti-affinity", "affinity"]}]
    assert policies["items"] is False
    validator = jsonschema.Draft202012Validator(converted)
    assert validator.is_valid({"server_group": {"name": "g", "policies": ["affinity"]}})
    assert not validator.is_valid({"server_group": {"name": "g", "policies": ["other"]}})


def test_property_names_are_not_keywords():
    schema = {"type": "object", "properties": {"items": {"type": "string"},
                                               "exclusiveMinimum": {"type": "boolean"}}}
    assert json_schema.from_draft4(schema) == schema
