"""Schemas of the createImage, shelve, shelveOffload and unshelve server
actions (Nova's, per microversion)."""

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt


def _action(name: str, argument: dict) -> dict:
    return {"type": "object", "properties": {name: argument}, "required": [name],
            "additionalProperties": False}


create_image = _action("createImage", {
    "type": "object",
    "properties": {"name": parameter_types.name, "metadata": parameter_types.metadata},
    "required": ["name"],
    "additionalProperties": False,
})

# Nova's shelve and shelveOffload take any value (null in practice).
shelve = _action("shelve", {})
shelve_offload = _action("shelveOffload", {})

# unshelve: any value before 2.77; null or an availability zone from 2.77;
# from 2.91 the zone may be null (unpin) and an admin may name a host.
unshelve = _action("unshelve", {})
unshelve_v277 = _action("unshelve", {
    "type": ["object", "null"],
    "properties": {"availability_zone": parameter_types.name},
    "additionalProperties": False,
})
unshelve_v291 = _action("unshelve", {
    "oneOf": [
        {"type": "object",
         "properties": {
             "availability_zone": {"oneOf": [{"type": "null"}, parameter_types.name]},
             "host": parameter_types.fqdn,
         },
         "additionalProperties": False},
        {"type": "null"},
    ],
})

# 2.45: the new image's id (before, no body and a Location header).
create_image_response_v245 = rt.strict({"image_id": rt.uuid})
