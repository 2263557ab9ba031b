"""Schema of ``POST /servers`` (Nova v2.1's ``base_create``).

Differences from Nova, on purpose: no ``block_device_mapping(_v2)`` or
``personality`` (minova has no volumes and no file injection, so those
are refused as unknown properties rather than silently ignored), and
``networks`` also accepts the 2.37 strings ``"auto"``/``"none"``; networks
are accepted and ignored (minova has no networking yet).
"""

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
                "networks": {
                    "oneOf": [
                        {"type": "array", "items": _network},
                        {"type": "string", "enum": ["none", "auto"]},
                    ],
                },
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
