"""Schemas of ``/os-hosts`` (Nova's deprecated hosts API, served up to 2.42)."""

from minova.api.schemas import response_types as rt

_switch = {"type": "string",
           "enum": ["enable", "disable", "Enable", "Disable", "ENABLE", "DISABLE"]}

update = {
    "type": "object",
    "properties": {"status": _switch, "maintenance_mode": _switch},
    "anyOf": [{"required": ["status"]}, {"required": ["maintenance_mode"]}],
    "additionalProperties": False,
}

# --- responses

index_response = rt.strict({"hosts": {"type": "array", "items": rt.strict({
    "host_name": {"type": "string"},
    "service": {"type": "string"},
    "zone": {"type": "string"},
})}})

_resource = rt.strict({
    "host": {"type": "string"},
    "project": {"type": "string"},
    "cpu": rt.non_negative_integer,
    "memory_mb": rt.non_negative_integer,
    "disk_gb": rt.non_negative_integer,
})

show_response = rt.strict({"host": {"type": "array",
                                    "items": rt.strict({"resource": _resource})}})

update_response = rt.strict({
    "host": {"type": "string"},
    "status": {"type": "string", "enum": ["enabled", "disabled"]},
    "maintenance_mode": {"type": "string", "enum": ["on_maintenance", "off_maintenance"]},
}, optional=("status", "maintenance_mode"))

power_action_response = rt.strict({
    "host": {"type": "string"},
    "power_action": {"type": "string", "enum": ["startup", "shutdown", "reboot"]},
})
