"""Response schemas of ``/os-migrations`` (no request bodies), per microversion."""

import copy

from minova.api.schemas import response_types as rt

_nullable_string = rt.string_or_null
_migration = {
    "created_at": {"type": "string"},
    "dest_compute": _nullable_string,
    "dest_host": _nullable_string,
    "dest_node": _nullable_string,
    "id": {"type": "integer"},
    "instance_uuid": rt.uuid,
    "new_instance_type_id": {"type": ["integer", "null"]},
    "old_instance_type_id": {"type": ["integer", "null"]},
    "source_compute": _nullable_string,
    "source_node": _nullable_string,
    "status": {"type": "string"},
    "updated_at": rt.timestamp_or_null,
}


def _response(extra: dict, optional: tuple = (), paged: bool = False) -> dict:
    item = rt.strict(dict(copy.deepcopy(_migration), **extra), optional=optional)
    properties = {"migrations": {"type": "array", "items": item}}
    if paged:
        properties["migrations_links"] = rt.collection_links
        return rt.strict(properties, optional=("migrations_links",))
    return rt.strict(properties)


_v223 = {"migration_type": {"type": "string", "enum": ["migration", "resize",
                                                       "live-migration", "evacuation"]},
         "links": rt.links}
_v259 = dict(_v223, uuid=rt.uuid)
_v280 = dict(_v259, user_id={"type": "string"}, project_id={"type": "string"})

index_response = _response({})
index_response_v223 = _response(_v223, optional=("links",))
index_response_v259 = _response(_v259, optional=("links",), paged=True)
index_response_v280 = _response(_v280, optional=("links",), paged=True)
