"""Building blocks of the request schemas, with Nova's definitions."""

import copy

MAX_INT = 0x7FFFFFFF

boolean = {
    "type": ["boolean", "string"],
    "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on",
             "YES", "Yes", "yes",
             False, "False", "FALSE", "false", "0", "OFF", "Off", "off",
             "NO", "No", "no"],
}

positive_integer = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]*$", "minimum": 1, "minLength": 1,
}

name = {
    "type": "string", "minLength": 1, "maxLength": 255,
    "format": "name",
}

image_id_or_empty_string = {
    "oneOf": [
        {"type": "string", "format": "uuid"},
        {"type": "string", "maxLength": 0},
    ],
}

admin_password = {"type": "string"}

flavor_ref = {"type": ["string", "integer"], "minLength": 1}

metadata = {
    "type": "object",
    "patternProperties": {
        "^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string", "maxLength": 255},
    },
    "additionalProperties": False,
}

ip_address = {
    "type": "string",
    "oneOf": [{"format": "ipv4"}, {"format": "ipv6"}],
}

accessIPv4 = {"type": "string", "format": "ipv4"}

accessIPv6 = {"type": "string", "format": "ipv6"}

disk_config = {"type": "string", "enum": ["AUTO", "MANUAL"]}

flavor_param_positive = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]+$",
    "minimum": 1,
    "maximum": MAX_INT,
}

flavor_param_non_negative = copy.deepcopy(flavor_param_positive)
flavor_param_non_negative["minimum"] = 0
