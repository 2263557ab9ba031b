"""Schemas of ``POST /os-server-groups``, per microversion (Nova's).

Up to 2.63 the body names ``policies``, a list of exactly one policy
(the soft ones from 2.15); from 2.64 a single ``policy`` string and
optional ``rules`` (``max_server_per_host``; whether the policy allows
rules is checked by the controller, as in Nova).
"""

import copy

from minova.api.schemas import parameter_types

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
