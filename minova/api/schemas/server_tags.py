"""Schemas of ``/servers/{id}/tags`` (Nova's ``server_tags``, API 2.26)."""

from minova.api.schemas import parameter_types

# PUT /tags: ``{"tags": [...]}`` replaces every tag.
update_all = {
    "type": "object",
    "properties": {"tags": parameter_types.tags},
    "required": ["tags"],
    "additionalProperties": False,
}

# PUT /tags/{tag} carries no body.
update = {"type": "null"}
