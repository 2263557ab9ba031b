"""Schemas of ``PUT /os-services/...`` (Nova's service_update schemas).

Before 2.53 the URL names an action (enable, disable, disable-log-reason,
and from 2.11 force-down) and the body names the service by host and
binary; from 2.53 the URL names the service by uuid and the body says what
to change.
"""

from minova.api.schemas import parameter_types

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
