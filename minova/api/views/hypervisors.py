"""Nova's hypervisor views, from compute node dicts, at each microversion.

A compute node dict carries its service as ``service`` (``{"id", "uuid",
"host", "disabled", "disabled_reason", "state"}``). minova does not track
Nova's ``current_workload`` (tasks in flight), so it is 0, and
``disk_available_least`` is the free disk the node reports.

Microversions: 2.28 gives ``cpu_info`` as the JSON object it is rather than
as its text; 2.53 names hypervisors and their services by uuid and can
list the servers on each hypervisor; 2.75 shows an asked-for empty server
list; 2.88 drops the inventory and usage fields (and ``cpu_info``) and
adds ``uptime`` (the uptime API is folded into detail and show).
"""

import json

from minova.api import wsgi
from minova.api.views import servers as servers_view

UUID_FOR_ID_MIN_VERSION = "2.53"
# 2.88: inventory and usage are placement's to report, no longer here.
NO_USAGE_MIN_VERSION = "2.88"


def _service(node: dict) -> dict:
    return node.get("service") or {}


def _cpu_info(request: wsgi.Request, node: dict):
    text = node.get("cpu_info") or ""
    if not request.is_microversion("2.28"):
        return text or "{}"
    try:
        info = json.loads(text) if text else {}
    except ValueError:
        # A driver wrote something that is not JSON: nothing a client could use.
        return {}
    return info if isinstance(info, dict) else {}


def summary(request: wsgi.Request, node: dict, servers: list[dict] | None = None) -> dict:
    """The element of ``/os-hypervisors``; ``servers`` (2.53 ``with_servers``)
    are the instances on the node's host, shown when there are any."""
    service = _service(node)
    uuid_for_id = request.is_microversion(UUID_FOR_ID_MIN_VERSION)
    hypervisor = {
        "id": node["uuid"] if uuid_for_id else node["id"],
        "hypervisor_hostname": node["hypervisor_hostname"],
        "state": "up" if service.get("state") == "up" else "down",
        "status": "disabled" if service.get("disabled") else "enabled",
    }
    if servers or (servers is not None and request.is_microversion("2.75")):
        # From 2.75 an asked-for list is there even when empty.
        hypervisor["servers"] = [
            {"name": servers_view.instance_name(inst), "uuid": inst["uuid"]}
            for inst in servers
        ]
    return hypervisor


def detail(request: wsgi.Request, node: dict, servers: list[dict] | None = None) -> dict:
    """The element of ``/os-hypervisors/detail`` and the body of a show."""
    service = _service(node)
    hypervisor = summary(request, node, servers)
    if request.is_microversion(UUID_FOR_ID_MIN_VERSION):
        service_id = service.get("uuid")
    else:
        service_id = service.get("id", node.get("service_id"))
    hypervisor.update({
        "hypervisor_type": node["hypervisor_type"],
        "hypervisor_version": node["hypervisor_version"],
        "host_ip": node.get("host_ip"),
        "service": {
            "host": node["host"],
            "id": service_id,
            "disabled_reason": service.get("disabled_reason"),
        },
    })
    if request.is_microversion(NO_USAGE_MIN_VERSION):
        # 2.88 folds the uptime API in: the controller asks the host
        # (null when it is down or cannot say).
        hypervisor["uptime"] = None
        return hypervisor
    free_ram_mb = node["memory_mb"] - node["memory_mb_used"]
    free_disk_gb = node["local_gb"] - node["local_gb_used"]
    hypervisor.update({
        "vcpus": node["vcpus"],
        "memory_mb": node["memory_mb"],
        "local_gb": node["local_gb"],
        "vcpus_used": node["vcpus_used"],
        "memory_mb_used": node["memory_mb_used"],
        "local_gb_used": node["local_gb_used"],
        "free_ram_mb": free_ram_mb,
        "free_disk_gb": free_disk_gb,
        "current_workload": 0,
        "running_vms": node["running_vms"],
        "disk_available_least": free_disk_gb,
        "cpu_info": _cpu_info(request, node),
    })
    return hypervisor
