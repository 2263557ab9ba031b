"""Response schemas of ``/servers/{server_id}/os-instance-actions`` (no request bodies)."""

from minova.api.schemas import response_types as rt

_action_properties = {
    "action": {"type": "string"},
    "instance_uuid": rt.uuid,
    "request_id": {"type": "string"},
    "user_id": rt.string_or_null,
    "project_id": rt.string_or_null,
    "start_time": rt.timestamp_or_null,
    "message": rt.string_or_null,
    "updated_at": rt.timestamp_or_null,  # from 2.58
}

# traceback (and host from 2.62) only for those who may see tracebacks;
# hostId from 2.62, details from 2.84.
_event = rt.strict({
    "event": {"type": "string"},
    "start_time": rt.timestamp_or_null,
    "finish_time": rt.timestamp_or_null,
    "result": rt.string_or_null,
    "traceback": rt.string_or_null,
    "host": rt.string_or_null,
    "hostId": {"type": "string"},
    "details": rt.string_or_null,
}, optional=("traceback", "host", "hostId", "details"))

_action = rt.strict(_action_properties, optional=("updated_at",))

index_response = rt.strict({
    "instanceActions": {"type": "array", "items": _action},
    "links": rt.collection_links,  # paging, from 2.58
}, optional=("links",))

show_response = rt.strict({
    "instanceAction": rt.strict(
        dict(_action_properties, events={"type": "array", "items": _event}),
        optional=("events", "updated_at")),
})
