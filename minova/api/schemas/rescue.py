"""Schemas of the ``rescue`` and ``unrescue`` server actions (Nova v2.1)."""

rescue = {
    "type": "object",
    "properties": {
        "rescue": {
            "type": ["object", "null"],
            "properties": {
                "adminPass": {"type": "string"},
                "rescue_image_ref": {"type": "string", "format": "uuid"},
            },
            "additionalProperties": False,
        },
    },
    "required": ["rescue"],
    "additionalProperties": False,
}

# Nova's schema leaves the value open.
unrescue = {
    "type": "object",
    "properties": {"unrescue": {}},
    "required": ["unrescue"],
    "additionalProperties": False,
}

rescue_response = {
    "type": "object",
    "properties": {"adminPass": {"type": "string"}},
    "additionalProperties": False,
}
