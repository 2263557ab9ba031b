"""Response schemas of ``/os-availability-zone`` (no request bodies)."""

from minova.api.schemas import response_types as rt

_zone_state = rt.strict({"available": {"type": "boolean"}})

# host -> binary -> service state (detail, available zones only)
_hosts = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": rt.strict({
            "available": {"type": "boolean"},
            "active": {"type": "boolean"},
            "updated_at": rt.timestamp_or_null,
        }),
    },
}


def _info(hosts: dict) -> dict:
    return rt.strict({"availabilityZoneInfo": {"type": "array", "items": rt.strict({
        "zoneName": {"type": "string"},
        "zoneState": _zone_state,
        "hosts": hosts,
    })}})


index_response = _info({"type": "null"})
detail_response = _info({"oneOf": [_hosts, {"type": "null"}]})
