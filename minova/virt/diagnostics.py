"""A guest's diagnostics as API 2.48 standardised them (Nova's Diagnostics
object), built by the virt drivers and shown as they are by the api.

Every field is present; a value the driver cannot tell is None, as Nova's
view shows a field its driver left unset.
"""

import datetime

from oslo_utils import timeutils

CPU_FIELDS = ("id", "time", "utilisation")
NIC_FIELDS = ("mac_address", "rx_octets", "rx_errors", "rx_drop", "rx_packets", "rx_rate",
              "tx_octets", "tx_errors", "tx_drop", "tx_packets", "tx_rate")
DISK_FIELDS = ("read_bytes", "read_requests", "write_bytes", "write_requests",
               "errors_count")


def _filled(fields: tuple[str, ...], values: dict) -> dict:
    return {field: values.get(field) for field in fields}


def build(*, state: str, driver: str, hypervisor: str | None, hypervisor_os: str | None,
          uptime: int | None, config_drive: bool, memory_maximum_mb: int | None,
          memory_used_mb: int | None, cpus: list[dict], nics: list[dict],
          disks: list[dict]) -> dict:
    """The 2.48 body: ``state`` is the power state's name ("running"),
    ``driver`` one of Nova's (libvirt, xenapi, vmwareapi, ironic, hyperv), memory
    in MiB, CPU time in nanoseconds, counters as the hypervisor reports them."""
    return {
        "state": state,
        "driver": driver,
        "hypervisor": hypervisor,
        "hypervisor_os": hypervisor_os,
        "uptime": uptime,
        "config_drive": config_drive,
        "num_cpus": len(cpus),
        "num_nics": len(nics),
        "num_disks": len(disks),
        "memory_details": {"maximum": memory_maximum_mb, "used": memory_used_mb},
        "cpu_details": [_filled(CPU_FIELDS, cpu) for cpu in cpus],
        "nic_details": [_filled(NIC_FIELDS, nic) for nic in nics],
        "disk_details": [_filled(DISK_FIELDS, disk) for disk in disks],
    }


def uptime_since(launched_at: str | None, now: datetime.datetime) -> int | None:
    """Seconds since the instance was launched (Nova's uptime), None if never."""
    if not launched_at:
        return None
    started = timeutils.parse_isotime(launched_at).replace(tzinfo=None)
    return max(0, int((now - started).total_seconds()))
