"""Response schema of the version document, ``GET /v2.1/`` (no request bodies)."""

from minova.api.schemas import response_types as rt

version_response = rt.strict({"version": rt.strict({
    "id": {"type": "string"},
    "status": {"type": "string"},
    "version": {"type": "string"},
    "min_version": {"type": "string"},
    "updated": {"type": "string"},
    "links": rt.links,
    "media-types": {"type": "array", "items": rt.strict(
        {"base": {"type": "string"}, "type": {"type": "string"}})},
})})
