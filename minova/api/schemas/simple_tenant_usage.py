"""The answers of ``/os-simple-tenant-usage`` (Nova's)."""

from minova.api.schemas import response_types as rt

_number = {"type": "number", "minimum": 0}

_server_usage = rt.strict({
    "hours": _number, "flavor": {"type": "string"}, "instance_id": rt.uuid,
    "name": {"type": "string"}, "tenant_id": {"type": "string"},
    "memory_mb": rt.non_negative_integer, "local_gb": rt.non_negative_integer,
    "vcpus": rt.non_negative_integer, "started_at": rt.timestamp,
    "ended_at": rt.timestamp_or_null, "state": {"type": "string"},
    "uptime": {"type": "integer"},
})

_usage_properties = {
    "tenant_id": {"type": "string"}, "total_local_gb_usage": _number,
    "total_vcpus_usage": _number, "total_memory_mb_usage": _number, "total_hours": _number,
    "start": rt.timestamp, "stop": rt.timestamp,
    "server_usages": {"type": "array", "items": _server_usage},
}
# ``server_usages`` only with ``detailed=1`` in the all-projects report.
_usage = rt.strict(_usage_properties, optional=("server_usages",))

index_response = rt.strict({"tenant_usages": {"type": "array", "items": _usage},
                            "tenant_usages_links": rt.collection_links},
                           optional=("tenant_usages_links",))
# A project without usage in the period is an empty object.
show_response = rt.strict({
    "tenant_usage": {"anyOf": [rt.strict(_usage_properties),
                               {"type": "object", "maxProperties": 0}]},
    "tenant_usage_links": rt.collection_links,
}, optional=("tenant_usage_links",))
