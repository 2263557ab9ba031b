"""Response schemas of the ``/flavors`` reads (and of a create, the same flavor view)."""

from minova.api.schemas import response_types as rt

_basic = rt.strict({"id": {"type": "string"}, "name": {"type": "string"},
                    "links": rt.links, "description": rt.string_or_null},
                   optional=("description",))

flavor = rt.strict({
    "id": {"type": "string"},
    "name": {"type": "string"},
    "ram": {"type": "integer"},
    "disk": {"type": "integer"},
    # Nova shows a flavor without swap as "" (0 from 2.75)
    "swap": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 0}]},
    "OS-FLV-EXT-DATA:ephemeral": {"type": "integer"},
    "OS-FLV-DISABLED:disabled": {"type": "boolean"},
    "vcpus": {"type": "integer"},
    "os-flavor-access:is_public": {"type": "boolean"},
    "rxtx_factor": {"type": "number"},
    "links": rt.links,
    "description": rt.string_or_null,  # from 2.55
    "extra_specs": rt.string_map,  # from 2.61, for those who may read them
}, optional=("description", "extra_specs"))

index_response = rt.strict(
    {"flavors": {"type": "array", "items": _basic}, "flavors_links": rt.collection_links},
    optional=("flavors_links",))

detail_response = rt.strict(
    {"flavors": {"type": "array", "items": flavor}, "flavors_links": rt.collection_links},
    optional=("flavors_links",))

show_response = rt.strict({"flavor": flavor})
