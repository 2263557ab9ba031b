"""Request bodies of ``PUT /os-quota-sets/{project_id}`` (Nova's, per version range)."""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

# An integer (or a string of one) from -1 (unlimited) to the database's MAX_INT.
common_quota = {
    "type": ["integer", "string"],
    "pattern": "^-?[0-9]+$",
    "minimum": -1,
    "maximum": parameter_types.MAX_INT,
}

_resources_v21 = {name: common_quota for name in (
    "instances", "cores", "ram", "floating_ips", "fixed_ips", "metadata_items", "key_pairs",
    "security_groups", "security_group_rules", "injected_files",
    "injected_file_content_bytes", "injected_file_path_bytes", "server_groups",
    "server_group_members",
    # nova-network's, always refused (400) but accepted by the schema, as Nova's.
    "networks")}
_resources_v21["force"] = parameter_types.boolean

# 2.36: the network quotas are gone.
_resources_v236 = {k: v for k, v in _resources_v21.items()
                   if k not in ("fixed_ips", "floating_ips", "security_groups",
                                "security_group_rules", "networks")}
# 2.57: the injected file quotas are gone.
_resources_v257 = {k: v for k, v in _resources_v236.items()
                   if not k.startswith("injected_file")}


def _update(resources: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            "quota_set": {
                "type": "object",
                "properties": copy.deepcopy(resources),
                "additionalProperties": False,
            },
        },
        "required": ["quota_set"],
        "additionalProperties": False,
    }


update = _update(_resources_v21)
update_v236 = _update(_resources_v236)
update_v257 = _update(_resources_v257)


# --- responses

_RESOURCES_V21 = ("instances", "cores", "ram", "metadata_items", "injected_files",
                  "injected_file_content_bytes", "injected_file_path_bytes", "key_pairs",
                  "server_groups", "server_group_members", "fixed_ips", "floating_ips",
                  "security_groups", "security_group_rules")
_RESOURCES_V236 = _RESOURCES_V21[:10]
_RESOURCES_V257 = tuple(r for r in _RESOURCES_V236 if not r.startswith("injected_file"))

_limit = {"type": "integer", "minimum": -1}
_detail = rt.strict({"in_use": {"type": "integer", "minimum": 0}, "limit": _limit,
                     "reserved": {"type": "integer", "minimum": 0}})


def _quota_set(resources: tuple[str, ...], value: dict, with_id: bool = True) -> dict:
    properties = {r: value for r in resources}
    if with_id:
        properties["id"] = {"type": "string"}
    return rt.strict({"quota_set": rt.strict(properties)})


show_response = _quota_set(_RESOURCES_V21, _limit)
show_response_v236 = _quota_set(_RESOURCES_V236, _limit)
show_response_v257 = _quota_set(_RESOURCES_V257, _limit)
defaults_response, defaults_response_v236, defaults_response_v257 = (
    show_response, show_response_v236, show_response_v257)
detail_response = _quota_set(_RESOURCES_V21, _detail)
detail_response_v236 = _quota_set(_RESOURCES_V236, _detail)
detail_response_v257 = _quota_set(_RESOURCES_V257, _detail)
update_response = _quota_set(_RESOURCES_V21, _limit, with_id=False)
update_response_v236 = _quota_set(_RESOURCES_V236, _limit, with_id=False)
update_response_v257 = _quota_set(_RESOURCES_V257, _limit, with_id=False)
