"""Schemas of the cold migration and resize actions (Nova v2.1's)."""

from minova.api.schemas import parameter_types


def _action(name: str, argument: dict) -> dict:
    return {"type": "object", "properties": {name: argument}, "required": [name],
            "additionalProperties": False}


resize = _action("resize", {
    "type": "object",
    "properties": {
        "flavorRef": parameter_types.flavor_ref,
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
    },
    "required": ["flavorRef"],
    "additionalProperties": False,
})

migrate = _action("migrate", {"type": "null"})
# 2.56: an optional destination host.
migrate_v256 = _action("migrate", {
    "type": ["object", "null"],
    "properties": {"host": parameter_types.fqdn},
    "additionalProperties": False,
})

confirm_resize = _action("confirmResize", {"type": "null"})
revert_resize = _action("revertResize", {"type": "null"})
