"""Schemas of ``POST /flavors`` (Nova v2.1's flavor-manage ``create``) and
``PUT /flavors/{flavor_id}`` (2.55)."""

import copy

from minova.api.schemas import flavors, parameter_types

create = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                # no leading/trailing spaces; generated (a uuid) when absent
                "id": {
                    "type": ["string", "number", "null"],
                    "minLength": 1, "maxLength": 255,
                    "pattern": "^(?! )[a-zA-Z0-9. _-]+(?<! )$",
                },
                "ram": parameter_types.flavor_param_positive,
                "vcpus": parameter_types.flavor_param_positive,
                "disk": parameter_types.flavor_param_non_negative,
                "OS-FLV-EXT-DATA:ephemeral": parameter_types.flavor_param_non_negative,
                "swap": parameter_types.flavor_param_non_negative,
                # a positive float
                "rxtx_factor": {
                    "type": ["number", "string"],
                    "pattern": r"^[0-9]+(\.[0-9]+)?$",
                    "minimum": 0, "exclusiveMinimum": True,
                    "maximum": 3.40282e38,
                },
                "os-flavor-access:is_public": parameter_types.boolean,
            },
            "required": ["name", "ram", "vcpus", "disk"],
            "additionalProperties": False,
        },
    },
    "required": ["flavor"],
    "additionalProperties": False,
}

# Nova's flavor description (2.55): printable, up to 65535 characters, null
# for none.
_description = {
    "type": ["string", "null"], "minLength": 0, "maxLength": 65535,
    "pattern": parameter_types.description["pattern"],
}

create_v255 = copy.deepcopy(create)
create_v255["properties"]["flavor"]["properties"]["description"] = _description

# PUT /flavors/{flavor_id} (2.55): only the description may change.
update_v255 = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {"description": _description},
            "required": ["description"],
            "additionalProperties": False,
        },
    },
    "required": ["flavor"],
    "additionalProperties": False,
}


# --- responses (a delete has no body)

create_response = flavors.show_response

update_response = flavors.show_response
