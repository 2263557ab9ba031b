"""Response schemas of ``/extensions`` (no request bodies)."""

from minova.api.schemas import response_types as rt

_extension = rt.strict({
    "alias": {"type": "string"},
    "description": {"type": "string"},
    "links": {"type": "array", "maxItems": 0},
    "name": {"type": "string"},
    "namespace": {"type": "string"},
    "updated": {"type": "string"},
})

index_response = rt.strict({"extensions": {"type": "array", "items": _extension}})
show_response = rt.strict({"extension": _extension})
