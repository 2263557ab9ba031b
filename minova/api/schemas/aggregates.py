"""Schemas of ``/os-aggregates`` (Nova v2.1's aggregates)."""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

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


# POST /os-aggregates/{id}/images (2.81): the images the hosts should cache.
images_v281 = {
    "type": "object",
    "properties": {
        "cache": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string", "format": "uuid"}},
                "required": ["id"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["cache"],
    "additionalProperties": False,
}

# --- responses (a delete answers 200 without a body)

_aggregate_properties = {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "availability_zone": rt.string_or_null,
    "created_at": rt.timestamp,
    "updated_at": rt.timestamp_or_null,
    "deleted": {"type": "boolean"},
    "deleted_at": {"type": "null"},
    "uuid": rt.uuid,  # from 2.41
    "hosts": {"type": "array", "items": {"type": "string"}},
    "metadata": rt.string_map,
}

_aggregate = rt.strict(_aggregate_properties, optional=("uuid",))
# a create answers without hosts and metadata, as Nova's
_created = rt.strict({key: value for key, value in _aggregate_properties.items()
                      if key not in ("hosts", "metadata")}, optional=("uuid",))

index_response = rt.strict({"aggregates": {"type": "array", "items": _aggregate}})
create_response = rt.strict({"aggregate": _created})
show_response = rt.strict({"aggregate": _aggregate})
update_response = show_response
add_host_response = show_response
remove_host_response = show_response
set_metadata_response = show_response
