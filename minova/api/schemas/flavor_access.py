"""Schemas of the flavor access actions (``POST /flavors/{id}/action``) and answers."""

from minova.api.schemas import response_types as rt

_tenant = {
    "type": "object",
    "properties": {
        # a project id as the flavor_projects table holds it
        "tenant": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "required": ["tenant"],
    "additionalProperties": False,
}

add_tenant_access = {
    "type": "object",
    "properties": {"addTenantAccess": _tenant},
    "required": ["addTenantAccess"],
    "additionalProperties": False,
}

remove_tenant_access = {
    "type": "object",
    "properties": {"removeTenantAccess": _tenant},
    "required": ["removeTenantAccess"],
    "additionalProperties": False,
}

# The answer of the list and of both actions: the flavor's projects.
flavor_access_response = rt.strict({"flavor_access": {"type": "array", "items": rt.strict(
    {"flavor_id": {"type": "string"}, "tenant_id": {"type": "string"}})}})
