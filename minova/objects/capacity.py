"""How much of a host an allocation may use: placement's formula, in one place.

capacity = (total - reserved) * allocation_ratio. The scheduler's filters
and weighers and the conductor's atomic claim all use this, so what the
scheduler thinks fits is exactly what the claim accepts.
"""

import math


def capacity(total: int, reserved: int, ratio: float) -> int:
    """Allocatable units of one resource class on one host."""
    return int(math.floor(max(total - reserved, 0) * ratio))


def reserved_disk_gb(reserved_host_disk_mb: int) -> int:
    return int(math.ceil(reserved_host_disk_mb / 1024.0))


def free_resources(host: dict) -> dict:
    """Free vcpus, memory_mb and disk_gb of a host state or compute node dict."""
    return {
        "vcpus": capacity(host["vcpus"], host["reserved_host_cpus"],
                          host["cpu_allocation_ratio"]) - host["vcpus_used"],
        "memory_mb": capacity(host["memory_mb"], host["reserved_host_memory_mb"],
                              host["ram_allocation_ratio"]) - host["memory_mb_used"],
        "disk_gb": capacity(host["local_gb"], reserved_disk_gb(host["reserved_host_disk_mb"]),
                            host["disk_allocation_ratio"]) - host["local_gb_used"],
    }


def requested_resources(flavor: dict) -> dict:
    """What one instance of ``flavor`` claims: root + ephemeral + swap count as disk."""
    swap_gb = int(math.ceil(flavor.get("swap", 0) / 1024.0))
    return {
        "vcpus": flavor["vcpus"],
        "memory_mb": flavor["memory_mb"],
        "disk_gb": flavor["root_gb"] + flavor.get("ephemeral_gb", 0) + swap_gb,
    }
