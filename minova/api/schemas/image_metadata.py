"""Schemas of ``/images/{image_id}/metadata`` (Nova's image-metadata proxy, to 2.38)."""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

create = {
    "type": "object",
    "properties": {"metadata": parameter_types.metadata},
    "required": ["metadata"],
    "additionalProperties": False,
}
update_all = create

_single = copy.deepcopy(parameter_types.metadata)
_single.update(minProperties=1, maxProperties=1)

update = {
    "type": "object",
    "properties": {"meta": _single},
    "required": ["meta"],
    "additionalProperties": False,
}

# --- responses (an image's properties need not be strings in the image API)

metadata_response = rt.strict({"metadata": {"type": "object"}})
meta_response = rt.strict({"meta": {"type": "object", "minProperties": 1,
                                    "maxProperties": 1}})
