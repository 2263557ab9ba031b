"""Schema of ``POST /flavors`` (Nova v2.1's flavor-manage ``create``)."""

from minova.api.schemas import parameter_types

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
