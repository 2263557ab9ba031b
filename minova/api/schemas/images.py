"""Response schemas of ``/images``, Nova's image proxy (served up to 2.35)."""

from minova.api.schemas import response_types as rt

_basic = rt.strict({"id": {"type": "string"}, "name": rt.string_or_null, "links": rt.links})

_image = rt.strict({
    "id": {"type": "string"},
    "name": rt.string_or_null,
    "minRam": {"type": "integer"},
    "minDisk": {"type": "integer"},
    "metadata": {"type": "object"},
    "created": rt.timestamp_or_null,
    "updated": rt.timestamp_or_null,
    "status": {"type": "string",
               "enum": ["ACTIVE", "SAVING", "DELETED", "ERROR", "UNKNOWN"]},
    "progress": {"type": "integer", "minimum": 0, "maximum": 100},
    "OS-EXT-IMG-SIZE:size": {"type": ["integer", "null"]},
    "links": rt.links,
    "server": rt.strict({"id": {"type": "string"}, "links": rt.links}),
    "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
}, optional=("server", "OS-DCF:diskConfig"))

index_response = rt.strict(
    {"images": {"type": "array", "items": _basic}, "images_links": rt.collection_links},
    optional=("images_links",))

detail_response = rt.strict(
    {"images": {"type": "array", "items": _image}, "images_links": rt.collection_links},
    optional=("images_links",))

show_response = rt.strict({"image": _image})
