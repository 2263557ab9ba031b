"""Specs read by scheduler filters: ``capabilities:*``
(ComputeCapabilitiesFilter) and ``aggregate_instance_extra_specs:*``
(AggregateInstanceExtraSpecsFilter).

Their values are the filters' operator expressions (``>= 4``, ``s== QEMU``,
``<in> avx``, ``<or> a <or> b``) or plain values, so any string is valid;
what is checked is that a ``capabilities:`` key names something a host
reports. The un-namespaced forms of both are accepted unchecked.
"""

from minova.api.extra_specs.spec import Spec

# What a compute node and the scheduler's host state report as plain values.
_FLAT = (
    "id", "uuid", "service_id", "host", "vcpus", "memory_mb", "local_gb",
    "vcpus_used", "memory_mb_used", "local_gb_used", "hypervisor_type",
    "hypervisor_version", "hypervisor_hostname", "free_ram_mb", "free_disk_gb",
    "current_workload", "running_vms", "disk_available_least", "host_ip", "mapped",
    "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio",
    "total_usable_ram_mb", "total_usable_disk_gb", "disk_mb_used", "free_disk_mb",
    "vcpus_total", "num_instances", "num_io_ops", "failed_builds", "aggregates",
    "cell_uuid", "updated",
)
# ...and as structures, which a key may walk into: ``capabilities:cpu_info:arch``.
_NESTED = (
    "cpu_info", "metrics", "stats", "numa_topology", "supported_hv_specs",
    "pci_device_pools", "nodename", "pci_stats", "supported_instances", "limits",
    "instances",
)

SPECS = (
    *(Spec(f"capabilities:{name}", description=f"Host capability {name}.")
      for name in _FLAT),
    *(Spec(f"capabilities:{name}{{path}}", params={"path": r"(:\w+)*"},
           description=f"Host capability {name}, or a field inside it.")
      for name in _NESTED),
    Spec("aggregate_instance_extra_specs:{key}", params={"key": r".+"},
         description="Metadata the aggregate of a host must have."),
)
