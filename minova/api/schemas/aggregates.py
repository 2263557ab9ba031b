"""Schemas of ``/os-aggregates`` (Nova v2.1's aggregates)."""

import copy

from minova.api.schemas import parameter_types

# A zone name: a name (no leading/trailing spaces) without ":" (Nova's az_name).
_az_name = {"type": "string", "minLength": 1, "maxLength": 255, "format": "name",
            "pattern": "^[^:]*$"}
_availability_zone = {"oneOf": [_az_name, {"type": "null"}]}

# Nova's fqdn: the host as a compute service reports it
_host = {"type": "string", "minLength": 1, "maxLength": 255,
         "pattern": "^[a-zA-Z0-9-._]*$"}

create = {
    "type": "object",
    "properties": {
        "aggregate": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "availability_zone": _availability_zone,
            },
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["aggregate"],
    "additionalProperties": False,
}

update = copy.deepcopy(create)
update["properties"]["aggregate"].pop("required")
update["properties"]["aggregate"]["anyOf"] = [{"required": ["name"]},
                                              {"required": ["availability_zone"]}]


def _host_action(action: str) -> dict:
    return {
        "type": "object",
        "properties": {
            action: {
                "type": "object",
                "properties": {"host": _host},
                "required": ["host"],
                "additionalProperties": False,
            },
        },
        "required": [action],
        "additionalProperties": False,
    }


add_host = _host_action("add_host")
remove_host = _host_action("remove_host")

metadata_with_null = {
    "type": "object",
    "patternProperties": {
        "^[a-zA-Z0-9-_:. ]{1,255}$": {"type": ["string", "null"], "maxLength": 255},
    },
    "additionalProperties": False,
}

set_metadata = {
    "type": "object",
    "properties": {
        "set_metadata": {
            "type": "object",
            "properties": {"metadata": metadata_with_null},
            "required": ["metadata"],
            "additionalProperties": False,
        },
    },
    "required": ["set_metadata"],
    "additionalProperties": False,
}
