"""Small builders of database rows for the db and conductor unit tests."""

import json

from minova.db import compute_nodes, instances, services


def make_node(host="host1", vcpus=4, memory_mb=4096, local_gb=100, cpu_ratio=1.0,
              ram_ratio=1.0, disk_ratio=1.0, reserved_mb=0, az="nova") -> dict:
    service = services.service_register(host, "minova-compute", "compute")
    return compute_nodes.compute_node_update(service["id"], host, host, {
        "hypervisor_type": "fake", "hypervisor_version": 1, "cpu_info": "{}",
        "host_ip": "127.0.0.1", "availability_zone": az, "vcpus": vcpus,
        "memory_mb": memory_mb, "local_gb": local_gb, "cpu_allocation_ratio": cpu_ratio,
        "ram_allocation_ratio": ram_ratio, "disk_allocation_ratio": disk_ratio,
        "reserved_host_memory_mb": reserved_mb, "reserved_host_disk_mb": 0,
        "reserved_host_cpus": 0})


FLAVOR = {"flavorid": "1", "name": "m1.tiny", "vcpus": 1, "memory_mb": 512, "root_gb": 1,
          "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0, "extra_specs": {}}


def make_instance(ctxt, name="vm", task_state="scheduling", vm_state="building",
                  flavor=None) -> dict:
    flavor = dict(flavor or FLAVOR)
    return instances.create(ctxt, [{
        "display_name": name, "project_id": ctxt.project_id, "user_id": ctxt.user_id,
        "image_ref": None, "flavor": flavor, "vcpus": flavor["vcpus"],
        "memory_mb": flavor["memory_mb"], "root_gb": flavor["root_gb"], "ephemeral_gb": 0,
        "vm_state": vm_state, "task_state": task_state, "power_state": 0, "metadata": {},
        "config_drive": ""}])[0]


# What the computes report() speaks for say they can run.
X86 = [["x86_64", "qemu", "hvm"], ["x86_64", "kvm", "hvm"]]


def report(host: str, **values) -> dict:
    """A compute's inventory report for ``host`` (one node named like the host)."""
    service = services.service_register(host, "minova-compute", "compute")
    resources = {
        "hypervisor_type": "QEMU", "hypervisor_version": 7002000,
        "cpu_info": json.dumps({"arch": "x86_64", "model": "EPYC"}), "host_ip": "127.0.0.1",
        "availability_zone": "nova", "vcpus": 4, "memory_mb": 4096, "local_gb": 100,
        "cpu_allocation_ratio": 1.0, "ram_allocation_ratio": 1.0, "disk_allocation_ratio": 1.0,
        "reserved_host_memory_mb": 0, "reserved_host_disk_mb": 0, "reserved_host_cpus": 0,
        "supported_instances": X86}
    resources.update(values)
    return compute_nodes.compute_node_update(service["id"], host, host, resources)
