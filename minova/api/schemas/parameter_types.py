"""Building blocks of the request schemas, with Nova's definitions."""

import copy
import re
import unicodedata

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


def _printable_class() -> str:
    """Nova's regex class of printable characters (of the BMP): letters, marks,
    numbers, punctuation, symbols and horizontal spaces; no control characters,
    line or paragraph separators."""
    runs: list[tuple[int, int]] = []
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        if category.startswith("C") or (category.startswith("Z") and category != "Zs"):
            continue
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in runs)


# A server's description (2.19): printable, may be empty, null removes it.
description = {
    "type": ["string", "null"], "minLength": 0, "maxLength": 255,
    "pattern": f"^[{_printable_class()}]*$",
}

# A server tag (2.26): Nova's tag.MAX_TAG_LENGTH, no "/" (a URL path
# separator) nor "," (the list separator of the tag filters).
tag = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[^,/]*$"}

# Nova's instance.MAX_TAG_COUNT tags per server.
tags = {"type": "array", "items": tag, "maxItems": 50}

# Nova's fqdn: a host or node name (RFC 952 plus the underscores real
# systems have), as a 2.74 create names its destination.
fqdn = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[a-zA-Z0-9-._]*$"}

# Nova's hostname (2.90, a server's hostname at create and update): one
# RFC 1123 label, letters, digits and inner dashes, 2 to 63 characters.
# From 2.94 a server's hostname is an ``fqdn`` (above) instead.
hostname = {"type": "string", "minLength": 2, "maxLength": 63,
            "pattern": "^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$"}
