"""Schemas of ``PUT /os-services/...`` (Nova's service_update schemas).

Before 2.53 the URL names an action (enable, disable, disable-log-reason,
and from 2.11 force-down) and the body names the service by host and
binary; from 2.53 the URL names the service by uuid and the body says what
to change.
"""

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

# Nova's fqdn: the host as a compute service reports it
_host = {"type": "string", "minLength": 1, "maxLength": 255,
         "pattern": "^[a-zA-Z0-9-._]*$"}
_binary = {"type": "string", "minLength": 1, "maxLength": 255}
_reason = {"type": "string", "minLength": 1, "maxLength": 255}

service_update = {
    "type": "object",
    "properties": {
        "host": _host,
        "binary": _binary,
        "disabled_reason": _reason,
    },
    "required": ["host", "binary"],
    "additionalProperties": False,
}

service_update_v211 = {
    "type": "object",
    "properties": {
        "host": _host,
        "binary": _binary,
        "disabled_reason": _reason,
        "forced_down": parameter_types.boolean,
    },
    "required": ["host", "binary"],
    "additionalProperties": False,
}

service_update_v253 = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "disabled_reason": _reason,
        "forced_down": parameter_types.boolean,
    },
    "additionalProperties": False,
}


# --- responses

def _service(id_schema: dict, forced_down: bool) -> dict:
    properties = {
        "id": id_schema,
        "binary": {"type": "string"},
        "host": {"type": "string"},
        "zone": rt.string_or_null,
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "state": {"type": "string", "enum": ["up", "down"]},
        "updated_at": rt.timestamp_or_null,
        "disabled_reason": rt.string_or_null,
    }
    if forced_down:
        properties["forced_down"] = {"type": "boolean"}
    return rt.strict(properties)


index_response = rt.strict({"services": {"type": "array",
                                         "items": _service({"type": "integer"}, False)}})
index_response_v211 = rt.strict({"services": {"type": "array",
                                              "items": _service({"type": "integer"}, True)}})
index_response_v253 = rt.strict({"services": {"type": "array",
                                              "items": _service(rt.uuid, True)}})

# Before 2.53: what the action did, to which host and binary.
update_response = rt.strict({"service": rt.strict({
    "host": {"type": "string"},
    "binary": {"type": "string"},
    "status": {"type": "string", "enum": ["enabled", "disabled"]},
    "disabled_reason": {"type": "string"},
    "forced_down": {"type": "boolean"},
}, optional=("status", "disabled_reason", "forced_down"))})

# From 2.53: the service as a list shows it.
update_response_v253 = rt.strict({"service": _service(rt.uuid, True)})
