"""A fake of ``minova.compute.host_api.HostAPI``: a controller, one compute node."""

import copy
import uuid

from minova import exception

from .base import FakeFacade
from .data import ts


class FakeHostAPI(FakeFacade):
    """Services and compute nodes as the conductor lists them: a conductor on
    ``controller`` and a disabled, down compute ``compute1`` with its node."""

    MUTATING = ("service_update",)

    def __init__(self) -> None:
        super().__init__()
        self.services = [
            {"id": 1, "uuid": str(uuid.UUID(int=101)), "host": "controller",
             "binary": "minova-conductor", "topic": "conductor", "report_count": 5,
             "disabled": False, "disabled_reason": None, "forced_down": False,
             "last_seen_up": ts(5), "created_at": ts(0), "updated_at": ts(5),
             "state": "up", "zone": "internal"},
            {"id": 2, "uuid": str(uuid.UUID(int=102)), "host": "compute1",
             "binary": "minova-compute", "topic": "compute", "report_count": 5,
             "disabled": True, "disabled_reason": "maintenance", "forced_down": False,
             "last_seen_up": None, "created_at": ts(0), "updated_at": ts(4),
             "state": "down", "zone": "nova"},
        ]
        self.compute_nodes = [
            {"id": 1, "uuid": str(uuid.UUID(int=201)), "service_id": 2, "host": "compute1",
             "hypervisor_hostname": "compute1.example.org", "hypervisor_type": "fake",
             "hypervisor_version": 1000, "cpu_info": '{"arch": "x86_64"}',
             "host_ip": "192.0.2.10", "availability_zone": "nova", "vcpus": 8,
             "memory_mb": 16384, "local_gb": 100, "cpu_allocation_ratio": 16.0,
             "ram_allocation_ratio": 1.5, "disk_allocation_ratio": 1.0,
             "reserved_host_memory_mb": 512, "reserved_host_disk_mb": 0,
             "reserved_host_cpus": 0, "vcpus_used": 2, "memory_mb_used": 1024,
             "local_gb_used": 2, "running_vms": 2, "generation": 7,
             "created_at": ts(0), "updated_at": ts(4),
             "service": {"id": 2, "uuid": str(uuid.UUID(int=102)), "host": "compute1",
                         "disabled": True, "disabled_reason": "maintenance",
                         "forced_down": False, "state": "down"}},
        ]
        self.host_instances: dict[str, list[dict]] = {}

    def service_get_all(self, ctxt, binary=None, host=None):
        self._call("service_get_all", binary=binary, host=host)
        return copy.deepcopy([
            s for s in self.services
            if (binary is None or s["binary"] == binary) and (host is None or s["host"] == host)
        ])

    def service_update(self, ctxt, values, service_uuid=None, host=None, binary=None):
        self._call("service_update", values=values, service_uuid=service_uuid, host=host,
                   binary=binary)
        for service in self.services:
            if (service["uuid"] == service_uuid if service_uuid is not None
                    else (service["host"], service["binary"]) == (host, binary)):
                service.update(values)
                return copy.deepcopy(service)
        if service_uuid is not None:
            raise exception.ServiceNotFound(service_id=service_uuid)
        raise exception.HostBinaryNotFound(host=host, binary=binary)

    def compute_node_get_all(self, ctxt):
        self._call("compute_node_get_all")
        return copy.deepcopy(self.compute_nodes)

    def compute_node_get(self, ctxt, compute_node_id):
        self._call("compute_node_get", compute_node_id=compute_node_id)
        for node in self.compute_nodes:
            if compute_node_id in (node["id"], node["uuid"]):
                return copy.deepcopy(node)
        raise exception.HypervisorNotFound(hypervisor_id=compute_node_id)

    def instance_get_all_by_host(self, ctxt, host):
        """``host_instances``: host -> the instances the conductor would list there."""
        self._call("instance_get_all_by_host", host=host)
        return copy.deepcopy(self.host_instances.get(host, []))

    def get_host_uptime(self, ctxt, host):
        self._call("get_host_uptime", host=host)
        return " 10:00:00 up 3 days,  2:00,  0 users,  load average: 0.00, 0.01, 0.05\n"
