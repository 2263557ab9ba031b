"""Schemas of the ``POST /servers/{id}/action`` bodies minova serves (Nova v2.1)."""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt
from minova.api.schemas import servers as servers_schema

# Actions without arguments take null (Nova accepts ``{"os-stop": null}``).
_no_arguments = {"type": ["object", "null"], "properties": {}, "additionalProperties": False}


def _action(name: str, argument: dict) -> dict:
    return {
        "type": "object",
        "properties": {name: argument},
        "required": [name],
        "additionalProperties": False,
    }


stop = _action("os-stop", _no_arguments)
start = _action("os-start", _no_arguments)
pause = _action("pause", _no_arguments)
unpause = _action("unpause", _no_arguments)
suspend = _action("suspend", _no_arguments)
resume = _action("resume", _no_arguments)

reboot = _action("reboot", {
    "type": "object",
    "properties": {
        "type": {"type": "string",
                 "enum": ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"]},
    },
    "required": ["type"],
    "additionalProperties": False,
})

# lock and unlock take anything before 2.73 (Nova's schema leaves the value
# open); from 2.73 lock takes null or an optional ``locked_reason``.
lock = _action("lock", {})
lock_v2_73 = _action("lock", {
    "type": ["object", "null"],
    "properties": {
        "locked_reason": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "additionalProperties": False,
})
unlock = _action("unlock", {})

reset_state = _action("os-resetState", {
    "type": "object",
    "properties": {
        "state": {"type": "string", "enum": ["active", "error"]},
    },
    "required": ["state"],
    "additionalProperties": False,
})

trigger_crash_dump = _action("trigger_crash_dump", {"type": "null"})

# Nova's schemas leave both values open.
restore = _action("restore", {})
force_delete = _action("forceDelete", {})

get_console_output = _action("os-getConsoleOutput", {
    "type": "object",
    "properties": {
        # -1 (or null) means the whole log, as in Nova
        "length": {"type": ["integer", "string", "null"], "pattern": "^-?[0-9]+$",
                   "minimum": -1},
    },
    "additionalProperties": False,
})

# Nova's ``rebuild`` body at each microversion. ``personality`` (files to
# inject, until 2.57) is checked against its quotas and otherwise ignored:
# minova injects no files, as Nova's libvirt driver by default.
_personality = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"path": {"type": "string"},
                       "contents": {"type": "string", "format": "base64"}},
        "additionalProperties": False,
    },
}

rebuild = _action("rebuild", {
    "type": "object",
    "properties": {
        "name": parameter_types.name,
        "imageRef": {"type": "string", "format": "uuid"},
        "adminPass": parameter_types.admin_password,
        "metadata": parameter_types.metadata,
        "preserve_ephemeral": parameter_types.boolean,
        "OS-DCF:diskConfig": parameter_types.disk_config,
        "accessIPv4": parameter_types.accessIPv4,
        "accessIPv6": parameter_types.accessIPv6,
        "personality": _personality,
    },
    "required": ["imageRef"],
    "additionalProperties": False,
})


def _rebuild_with(base: dict, drop: tuple[str, ...] = (), **extra: dict) -> dict:
    result = copy.deepcopy(base)
    properties = result["properties"]["rebuild"]["properties"]
    for key in drop:
        properties.pop(key)
    properties.update(extra)
    return result


# 2.19: description; 2.54: key_name (null unsets it); 2.57: user_data (null
# unsets it), no more personality; 2.63: trusted_image_certificates (null
# unsets them); 2.90: hostname, a fully qualified one from 2.94.
rebuild_v219 = _rebuild_with(rebuild, description=parameter_types.description)
rebuild_v254 = _rebuild_with(rebuild_v219, key_name={
    "oneOf": [parameter_types.name, {"type": "null"}]})
rebuild_v257 = _rebuild_with(rebuild_v254, drop=("personality",), user_data={
    "type": ["string", "null"], "format": "base64", "maxLength": 65535})
rebuild_v263 = _rebuild_with(rebuild_v257, trusted_image_certificates={
    "type": ["array", "null"], "minItems": 1, "maxItems": 50, "uniqueItems": True,
    "items": {"type": "string", "minLength": 1}})
rebuild_v290 = _rebuild_with(rebuild_v263, hostname=parameter_types.hostname)
rebuild_v294 = _rebuild_with(rebuild_v290, hostname=parameter_types.fqdn)


# --- responses (the other actions answer 202 without a body)

get_console_output_response = rt.strict({"output": {"type": "string"}})

# The rebuild's 202 answer: before 2.75 what an update answers (plus key_name
# from 2.54), from 2.75 the full view; with adminPass, and user_data from 2.57.
_REBUILD_EXTRA = {"adminPass": {"type": "string"}, "user_data": rt.string_or_null}


def _rebuild_response(server_schema: dict) -> dict:
    server = copy.deepcopy(server_schema)
    server["properties"].update(_REBUILD_EXTRA)
    server["properties"].setdefault("key_name", rt.string_or_null)
    server["required"] = [key for key in server.get("required", [])
                          if key not in ("key_name",)]
    return rt.strict({"server": server})


rebuild_response = _rebuild_response(
    servers_schema.update_response["properties"]["server"])
rebuild_response_v275 = _rebuild_response(
    servers_schema.show_response["properties"]["server"])
