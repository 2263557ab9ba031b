"""Schemas of ``/servers/{id}/metadata`` (Nova's ``server_metadata``)."""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

# POST (merge) and PUT (replace all): ``{"metadata": {key: value, ...}}``.
create = {
    "type": "object",
    "properties": {"metadata": parameter_types.metadata},
    "required": ["metadata"],
    "additionalProperties": False,
}

update_all = create

_one_item = copy.deepcopy(parameter_types.metadata)
_one_item.update({"minProperties": 1, "maxProperties": 1})

# PUT /metadata/{key}: ``{"meta": {key: value}}``, exactly one item.
update = {
    "type": "object",
    "properties": {"meta": _one_item},
    "required": ["meta"],
    "additionalProperties": False,
}


# --- responses

_metadata = {"type": "object", "additionalProperties": {"type": "string", "maxLength": 255}}

# GET, POST and PUT of the whole metadata: all of it.
index_response = rt.strict({"metadata": _metadata})
create_response = index_response
update_all_response = index_response

# GET and PUT of one key.
show_response = rt.strict({"meta": dict(_metadata, minProperties=1, maxProperties=1)})
update_response = show_response
