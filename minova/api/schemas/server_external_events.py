"""Schemas of ``POST /os-server-external-events`` (Nova's, per version range):
the event names grow at 2.51, 2.76, 2.82 and 2.93."""


from minova.api.schemas import response_types as rt

_NAMES = ["network-changed", "network-vif-plugged", "network-vif-unplugged",
          "network-vif-deleted"]
# The version each later event name came with.
_LATER = (("2.51", "volume-extended"), ("2.76", "power-update"),
          ("2.82", "accelerator-request-bound"), ("2.93", "volume-reimaged"))
STATUSES = ["failed", "completed", "in-progress"]
# Events Nova drops (400) without a tag.
TAG_REQUIRED = ("volume-extended", "power-update", "accelerator-request-bound")


def _names(version: str | None) -> list[str]:
    names = list(_NAMES)
    for since, name in _LATER:
        if version is not None and tuple(map(int, since.split("."))) <= tuple(
                map(int, version.split("."))):
            names.append(name)
    return names


def _create(version: str | None) -> dict:
    return {
        "type": "object",
        "properties": {"events": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "enum": _names(version)},
                    "server_uuid": {"type": "string", "format": "uuid"},
                    "status": {"type": "string", "enum": STATUSES},
                    "tag": {"type": "string", "maxLength": 255},
                },
                "required": ["name", "server_uuid"],
                "additionalProperties": False,
            },
        }},
        "required": ["events"],
        "additionalProperties": False,
    }


def _response(version: str | None) -> dict:
    return rt.strict({"events": {"type": "array", "items": rt.strict({
        "code": {"type": "integer", "enum": [200, 400, 404, 422]},
        "name": {"type": "string", "enum": _names(version)},
        "server_uuid": rt.uuid,
        "status": {"type": "string", "enum": STATUSES},
        "tag": {"type": "string", "maxLength": 255},
    }, optional=("tag",))}})


# (schema, min_version, max_version) per range, as the controller stacks them.
RANGES = (("2.1", "2.50", None), ("2.51", "2.75", "2.51"), ("2.76", "2.81", "2.76"),
          ("2.82", "2.92", "2.82"), ("2.93", None, "2.93"))
create = {lo: _create(v) for lo, _hi, v in RANGES}
create_response = {lo: _response(v) for lo, _hi, v in RANGES}
