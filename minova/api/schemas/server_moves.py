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

# Before 2.56 Nova does not validate the body: any value, a host ignored.
migrate = _action("migrate", {})
# 2.56: an optional destination host (null: none), Nova's schema.
migrate_v256 = _action("migrate", {
    "type": ["object", "null"],
    "properties": {"host": {**parameter_types.fqdn, "type": ["string", "null"]}},
    "additionalProperties": False,
})

# Any value, as Nova's (which means to restrict it to null one day).
confirm_resize = _action("confirmResize", {})
revert_resize = _action("revertResize", {})
