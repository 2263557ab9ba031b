"""Schemas of ``/servers/{id}/tags`` (Nova's ``server_tags``, API 2.26)."""

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

# PUT /tags: ``{"tags": [...]}`` replaces every tag.
update_all = {
    "type": "object",
    "properties": {"tags": parameter_types.tags},
    "required": ["tags"],
    "additionalProperties": False,
}

# PUT /tags/{tag} carries no body.
update = {"type": "null"}


# --- responses (show, update and the deletes have no body)

index_response = rt.strict({"tags": {"type": "array", "items": {"type": "string"},
                                     "maxItems": 50}})
update_all_response = index_response
