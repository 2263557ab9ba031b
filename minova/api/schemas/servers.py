"""Schema of ``POST /servers`` (Nova v2.1's ``base_create``).

Differences from Nova, on purpose: no ``block_device_mapping(_v2)`` or
``personality`` (minova has no volumes and no file injection, so those
are refused as unknown properties rather than silently ignored).
Networks are validated as Nova does at each microversion (``"auto"`` /
``"none"`` from 2.37 on, device tags 2.32-2.36 and from 2.42), then
ignored: minova has no networking yet.
"""

import copy

from minova.api.schemas import parameter_types

_network = {
    "type": "object",
    "properties": {
        "fixed_ip": parameter_types.ip_address,
        "port": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]},
        "uuid": {"type": "string"},
    },
    "additionalProperties": False,
}

_hints = {
    "type": "object",
    "properties": {
        "group": {"type": "string", "format": "uuid"},
        "different_host": {
            "oneOf": [
                {"type": "string", "format": "uuid"},
                {"type": "array", "items": {"type": "string", "format": "uuid"}},
            ],
        },
        "same_host": {
            "type": ["string", "array"],
            "items": {"type": "string", "format": "uuid"},
        },
        "query": {"type": ["string", "object"]},
    },
    "additionalProperties": True,
}

create = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "imageRef": parameter_types.image_id_or_empty_string,
                "flavorRef": parameter_types.flavor_ref,
                "adminPass": parameter_types.admin_password,
                "metadata": parameter_types.metadata,
                "networks": {"type": "array", "items": _network},
                "OS-DCF:diskConfig": parameter_types.disk_config,
                "accessIPv4": parameter_types.accessIPv4,
                "accessIPv6": parameter_types.accessIPv6,
                "availability_zone": parameter_types.name,
                "config_drive": parameter_types.boolean,
                "key_name": parameter_types.name,
                "min_count": parameter_types.positive_integer,
                "max_count": parameter_types.positive_integer,
                "return_reservation_id": parameter_types.boolean,
                "security_groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"name": parameter_types.name},
                        "additionalProperties": False,
                    },
                },
                "user_data": {"type": "string", "format": "base64", "maxLength": 65535},
            },
            "required": ["name", "flavorRef"],
            "additionalProperties": False,
        },
        "os:scheduler_hints": _hints,
        "OS-SCH-HNT:scheduler_hints": _hints,
    },
    "required": ["server"],
    "additionalProperties": False,
}

# 2.19: a description.
create_v219 = copy.deepcopy(create)
create_v219["properties"]["server"]["properties"]["description"] = parameter_types.description


def _with_networks(schema: dict, networks: dict) -> dict:
    result = copy.deepcopy(schema)
    result["properties"]["server"]["properties"]["networks"] = networks
    return result


def _tagged(network: dict) -> dict:
    result = copy.deepcopy(network)
    result["properties"]["tag"] = parameter_types.tag
    return result


# 2.32: a network may carry a device ``tag`` (Nova's 2.32 also tags block
# devices, untagged again at 2.33; minova has none, so 2.32-2.36 are one).
create_v232 = _with_networks(create_v219, {"type": "array", "items": _tagged(_network)})

# 2.37: ``networks`` is required: a list whose ``uuid`` must be a uuid, or
# "auto" / "none". As in Nova, a bug drops the network ``tag`` here...
_network_v237 = copy.deepcopy(_network)
_network_v237["properties"]["uuid"] = {"type": "string", "format": "uuid"}
_AUTO_OR_NONE = {"type": "string", "enum": ["none", "auto"]}
create_v237 = _with_networks(create_v232, {"oneOf": [
    {"type": "array", "items": _network_v237}, _AUTO_OR_NONE]})
create_v237["properties"]["server"]["required"].append("networks")

# ...and 2.42 brings it back.
create_v242 = _with_networks(create_v237, {"oneOf": [
    {"type": "array", "items": _tagged(_network_v237)}, _AUTO_OR_NONE]})

# 2.52: tags, given to every server of the request.
create_v252 = copy.deepcopy(create_v242)
create_v252["properties"]["server"]["properties"]["tags"] = parameter_types.tags

# PUT /servers/{id} (Nova's base_update): what a user may change in place.
# OS-DCF:diskConfig is accepted and ignored, as at create.
update = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "OS-DCF:diskConfig": parameter_types.disk_config,
                "accessIPv4": parameter_types.accessIPv4,
                "accessIPv6": parameter_types.accessIPv6,
            },
            "additionalProperties": False,
        },
    },
    "required": ["server"],
    "additionalProperties": False,
}

update_v219 = copy.deepcopy(update)
update_v219["properties"]["server"]["properties"]["description"] = parameter_types.description
