"""Schemas of ``/os-quota-class-sets/{id}`` (Nova's, per version range).

Before 2.50 the class answers and takes the network quotas and not the
server group ones (Nova's bug 1693168); 2.50 swaps them; 2.57 drops the
injected file quotas.
"""

import copy

from minova.api.schemas import response_types as rt
from minova.api.schemas.quota_sets import common_quota

_NETWORK = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
_INJECTED = ("injected_files", "injected_file_content_bytes", "injected_file_path_bytes")
_SERVER_GROUPS = ("server_groups", "server_group_members")

# Nova's resource order.
RESOURCES = ("instances", "cores", "ram", "metadata_items", *_INJECTED, "key_pairs",
             *_SERVER_GROUPS, *_NETWORK)
RESOURCES_V21 = tuple(r for r in RESOURCES if r not in _SERVER_GROUPS)
RESOURCES_V250 = tuple(r for r in RESOURCES if r not in _NETWORK)
RESOURCES_V257 = tuple(r for r in RESOURCES_V250 if r not in _INJECTED)


def _update(resources: tuple[str, ...], networks: bool = False) -> dict:
    properties = {r: common_quota for r in resources}
    if networks:
        # nova-network's, accepted (and not kept) before 2.50, as Nova's schema.
        properties["networks"] = common_quota
    return {
        "type": "object",
        "properties": {"quota_class_set": {
            "type": "object", "properties": copy.deepcopy(properties),
            "additionalProperties": False}},
        "required": ["quota_class_set"],
        "additionalProperties": False,
    }


# Nova's update schema takes every quota-set resource before 2.50.
update = _update(RESOURCES, networks=True)
update_v250 = _update(RESOURCES_V250)
update_v257 = _update(RESOURCES_V257)

_limit = {"type": "integer", "minimum": -1}


def _response(resources: tuple[str, ...], with_id: bool) -> dict:
    properties = {r: _limit for r in resources}
    if with_id:
        properties["id"] = {"type": "string"}
    return rt.strict({"quota_class_set": rt.strict(properties)})


show_response = _response(RESOURCES_V21, True)
show_response_v250 = _response(RESOURCES_V250, True)
show_response_v257 = _response(RESOURCES_V257, True)
update_response = _response(RESOURCES_V21, False)
update_response_v250 = _response(RESOURCES_V250, False)
update_response_v257 = _response(RESOURCES_V257, False)
