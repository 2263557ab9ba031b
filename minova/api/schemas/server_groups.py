"""Schemas of ``POST /os-server-groups``, per microversion (Nova's).

Up to 2.63 the body names ``policies``, a list of exactly one policy
(the soft ones from 2.15); from 2.64 a single ``policy`` string and
optional ``rules`` (``max_server_per_host``; whether the policy allows
rules is checked by the controller, as in Nova).
"""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

_POLICIES = ["anti-affinity", "affinity"]
_SOFT_POLICIES = ["soft-anti-affinity", "soft-affinity"]

create = {
    "type": "object",
    "properties": {
        "server_group": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "policies": {
                    # exactly one item, one of the enumerated policies
                    "type": "array",
                    "items": [{"type": "string", "enum": list(_POLICIES)}],
                    "uniqueItems": True,
                    "minItems": 1,
                    "maxItems": 1,
                    "additionalItems": False,
                },
            },
            "required": ["name", "policies"],
            "additionalProperties": False,
        },
    },
    "required": ["server_group"],
    "additionalProperties": False,
}

create_v215 = copy.deepcopy(create)
create_v215["properties"]["server_group"]["properties"]["policies"]["items"][0][
    "enum"].extend(_SOFT_POLICIES)

create_v264 = copy.deepcopy(create_v215)
_group = create_v264["properties"]["server_group"]
del _group["properties"]["policies"]
_group["required"] = ["name", "policy"]
_group["properties"]["policy"] = {"type": "string", "enum": _POLICIES + _SOFT_POLICIES}
_group["properties"]["rules"] = {
    "type": "object",
    "properties": {"max_server_per_host": parameter_types.positive_integer},
    "additionalProperties": False,
}


# --- responses

_POLICY = {"type": "string", "enum": _POLICIES + _SOFT_POLICIES}

# policies and metadata up to 2.63, policy and rules from 2.64; project_id
# and user_id from 2.13.
_group = rt.strict({
    "id": rt.uuid,
    "name": {"type": "string"},
    "policies": {"type": "array", "items": _POLICY, "minItems": 1, "maxItems": 1},
    "metadata": {"type": "object", "maxProperties": 0},
    "policy": _POLICY,
    "rules": rt.obj({"max_server_per_host": {"type": "integer", "minimum": 1}}),
    "members": {"type": "array", "items": rt.uuid},
    "project_id": {"type": "string"},
    "user_id": {"type": "string"},
}, optional=("policies", "metadata", "policy", "rules", "project_id", "user_id"))

index_response = rt.strict({"server_groups": {"type": "array", "items": _group}})
show_response = rt.strict({"server_group": _group})
create_response = show_response
