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
