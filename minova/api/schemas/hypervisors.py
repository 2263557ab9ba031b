"""Response schemas of ``/os-hypervisors`` (no request bodies).

Three sets: before 2.53 a hypervisor and its service are named by integer
ids (and ``cpu_info`` is text before 2.28); from 2.53 by uuid, with
``cpu_info`` an object; from 2.88 without inventory, usage and
``cpu_info``, with ``uptime``.
"""

from minova.api.schemas import response_types as rt


def _schemas(id_schema: dict, cpu_info: dict,
             usage: bool = True) -> tuple[dict, dict, dict]:
    summary_properties = {
        "id": id_schema,
        "hypervisor_hostname": {"type": "string"},
        "state": {"type": "string", "enum": ["up", "down"]},
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        # with_servers (2.53), when the hypervisor has any
        "servers": {"type": "array", "items": rt.strict(
            {"name": {"type": "string"}, "uuid": rt.uuid})},
    }
    summary = rt.strict(summary_properties, optional=("servers",))
    count = rt.non_negative_integer
    detail_properties = dict(
        summary_properties,
        hypervisor_type={"type": "string"},
        hypervisor_version={"type": "integer"},
        host_ip=rt.string_or_null,
        service=rt.strict({"host": {"type": "string"},
                           "id": {"oneOf": [id_schema, {"type": "null"}]},
                           "disabled_reason": rt.string_or_null}),
    )
    if usage:
        detail_properties.update(
            vcpus=count, memory_mb=count, local_gb=count,
            vcpus_used=count, memory_mb_used=count, local_gb_used=count,
            # free space may be negative with over-commit
            free_ram_mb={"type": "integer"}, free_disk_gb={"type": "integer"},
            current_workload=count, running_vms=count,
            disk_available_least={"type": "integer"},
            cpu_info=cpu_info,
        )
    else:
        # 2.88: the host's uptime instead (null: minova's drivers report none)
        detail_properties["uptime"] = rt.string_or_null
    detail = rt.strict(detail_properties, optional=("servers",))

    def _list(item: dict) -> dict:
        return rt.strict({"hypervisors": {"type": "array", "items": item},
                          "hypervisors_links": rt.collection_links},
                         optional=("hypervisors_links",))

    return _list(summary), _list(detail), rt.strict({"hypervisor": detail})


index_response, detail_response, show_response = _schemas(
    {"type": "integer"}, {"type": ["string", "object"]})
index_response_v253, detail_response_v253, show_response_v253 = _schemas(
    rt.uuid, {"type": "object"})
index_response_v288, detail_response_v288, show_response_v288 = _schemas(
    rt.uuid, {"type": "object"}, usage=False)


def _with_uptime(id_schema: dict) -> dict:
    """Up to 2.87, ``/{id}/uptime``: the summary and what ``uptime`` printed."""
    return rt.strict({"hypervisor": rt.strict({
        "id": id_schema,
        "hypervisor_hostname": {"type": "string"},
        "state": {"type": "string", "enum": ["up", "down"]},
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "uptime": {"type": "string"},
    })})


uptime_response = _with_uptime({"type": "integer"})
uptime_response_v253 = _with_uptime(rt.uuid)

# Up to 2.87: sums over the compute nodes of enabled compute services.
statistics_response = rt.strict({"hypervisor_statistics": rt.strict({
    "count": rt.non_negative_integer,
    "current_workload": rt.non_negative_integer,
    "disk_available_least": {"type": ["integer", "null"]},
    "free_disk_gb": {"type": "integer"},
    "free_ram_mb": {"type": "integer"},
    "local_gb": rt.non_negative_integer,
    "local_gb_used": rt.non_negative_integer,
    "memory_mb": rt.non_negative_integer,
    "memory_mb_used": rt.non_negative_integer,
    "running_vms": rt.non_negative_integer,
    "vcpus": rt.non_negative_integer,
    "vcpus_used": rt.non_negative_integer,
})})

# Up to 2.52, ``/{pattern}/search`` and ``/{pattern}/servers`` (servers shown
# when a hypervisor has any).
search_response = index_response
servers_response = index_response
