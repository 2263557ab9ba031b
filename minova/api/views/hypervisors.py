"""Nova's v2.1 hypervisor views, from compute node dicts.

A compute node dict carries its service as ``service`` (``{"id", "host",
"disabled", "disabled_reason", "state"}``). minova does not track Nova's
``current_workload`` (tasks in flight), so it is 0, and
``disk_available_least`` is the free disk the node reports.
"""


def _service(node: dict) -> dict:
    return node.get("service") or {}


def summary(node: dict) -> dict:
    service = _service(node)
    return {
        "id": node["id"],
        "hypervisor_hostname": node["hypervisor_hostname"],
        "state": "up" if service.get("state") == "up" else "down",
        "status": "disabled" if service.get("disabled") else "enabled",
    }


def detail(node: dict) -> dict:
    service = _service(node)
    hypervisor = summary(node)
    free_ram_mb = node["memory_mb"] - node["memory_mb_used"]
    free_disk_gb = node["local_gb"] - node["local_gb_used"]
    hypervisor.update({
        "hypervisor_type": node["hypervisor_type"],
        "hypervisor_version": node["hypervisor_version"],
        "host_ip": node.get("host_ip"),
        "service": {
            "host": node["host"],
            "id": service.get("id", node.get("service_id")),
            "disabled_reason": service.get("disabled_reason"),
        },
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
        "cpu_info": node.get("cpu_info") or "{}",
    })
    return hypervisor
