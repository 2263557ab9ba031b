"""Schemas of ``/servers/{id}/metadata`` (Nova's ``server_metadata``)."""

import copy

from minova.api.schemas import parameter_types

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
