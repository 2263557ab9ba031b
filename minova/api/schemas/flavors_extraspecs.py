"""Schemas of ``/flavors/{id}/os-extra_specs`` (Nova v2.1)."""

_KEY = "^[a-zA-Z0-9-_:. ]{1,255}$"
# numbers and booleans are accepted and stored as strings, as in Nova
_value = {"type": ["string", "number", "boolean"], "minLength": 0, "maxLength": 255}

create = {
    "type": "object",
    "properties": {
        "extra_specs": {
            "type": "object",
            "patternProperties": {_KEY: _value},
            "additionalProperties": False,
        },
    },
    "required": ["extra_specs"],
    "additionalProperties": False,
}

update = {
    "type": "object",
    "patternProperties": {_KEY: _value},
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
}


# --- responses (values are always strings in answers)

_specs = {"type": "object", "additionalProperties": {"type": "string"}}

index_response = {
    "type": "object",
    "properties": {"extra_specs": _specs},
    "required": ["extra_specs"],
    "additionalProperties": False,
}
create_response = index_response

# GET and PUT of one key: ``{key: value}``.
show_response = dict(_specs, minProperties=1, maxProperties=1)
update_response = show_response
