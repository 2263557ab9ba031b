"""Bodies of the ``addSecurityGroup`` / ``removeSecurityGroup`` server actions (Nova's)."""


def _action(name: str) -> dict:
    return {
        "type": "object",
        "properties": {name: {
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 1}},
            "required": ["name"],
            "additionalProperties": False,
        }},
        "required": [name],
        "additionalProperties": True,
    }


add_security_group = _action("addSecurityGroup")
remove_security_group = _action("removeSecurityGroup")
