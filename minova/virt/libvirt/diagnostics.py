"""A libvirt guest's diagnostics, read from libvirt's domain statistics: what
Nova's libvirt driver reports (its get_instance_diagnostics for API 2.48,
get_diagnostics before), computed here from the same libvirt calls.

A statistic the hypervisor does not support (libvirt raises) is left out,
as Nova does, rather than failing the whole answer.
"""

import xml.etree.ElementTree as ET

import libvirt
from oslo_utils import timeutils

from minova.objects import states
from minova.virt import diagnostics
from minova.virt.libvirt import guest as libvirt_guest


def _devices(xml: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    """The disks' target devices and the NICs' (MAC, target device or None)."""
    root = ET.fromstring(xml)
    disks = [target.get("dev") for target in root.findall("./devices/disk/target")
             if target.get("dev")]
    nics = []
    for interface in root.findall("./devices/interface"):
        mac = interface.find("mac")
        target = interface.find("target")
        nics.append((mac.get("address") if mac is not None else None,
                     target.get("dev") if target is not None else None))
    return disks, nics


def _vcpus(guest: libvirt_guest.Guest) -> list[tuple]:
    try:
        return guest.get_vcpus_info()
    except libvirt.libvirtError:
        return []


def instance_diagnostics(guest: libvirt_guest.Guest, instance: dict, virt_type: str) -> dict:
    """API 2.48's diagnostics of a running guest (memory in MiB, from KiB)."""
    state, max_mem_kib, mem_kib, _num_cpu, _cpu_time = guest.get_info()
    disks_devs, nic_devs = _devices(guest.get_xml_desc())
    disks = []
    for dev in disks_devs:
        try:
            rd_req, rd_bytes, wr_req, wr_bytes, errors = guest.block_stats(dev)
        except libvirt.libvirtError:
            continue
        disks.append({"read_bytes": rd_bytes, "read_requests": rd_req,
                      "write_bytes": wr_bytes, "write_requests": wr_req,
                      "errors_count": errors})
    nics = []
    for mac, dev in nic_devs:
        if dev is None:  # no target, so no statistics: the NIC alone
            nics.append({"mac_address": mac})
            continue
        try:
            stats = guest.interface_stats(dev)
        except libvirt.libvirtError:
            continue
        nics.append({"mac_address": mac, "rx_octets": stats[0], "rx_packets": stats[1],
                     "rx_errors": stats[2], "rx_drop": stats[3], "tx_octets": stats[4],
                     "tx_packets": stats[5], "tx_errors": stats[6], "tx_drop": stats[7]})
    return diagnostics.build(
        state=states.POWER_STATE_NAMES.get(libvirt_guest.power_state(state), "pending"),
        driver="libvirt", hypervisor=virt_type, hypervisor_os="linux",
        uptime=diagnostics.uptime_since(instance.get("launched_at"), timeutils.utcnow()),
        config_drive=bool(instance.get("config_drive")),
        memory_maximum_mb=max_mem_kib // 1024, memory_used_mb=mem_kib // 1024,
        cpus=[{"id": number, "time": cpu_time} for number, _s, cpu_time, _c in _vcpus(guest)],
        nics=nics, disks=disks)


def legacy_diagnostics(guest: libvirt_guest.Guest) -> dict:
    """Before API 2.48: Nova's libvirt names (``cpu0_time``, ``vda_read_req``,
    ``vnet0_rx``, ``memory`` in KiB, ``memory-<stat>``)."""
    output = {f"cpu{number}_time": cpu_time for number, _s, cpu_time, _c in _vcpus(guest)}
    disk_devs, nic_devs = _devices(guest.get_xml_desc())
    for dev in disk_devs:
        try:
            stats = guest.block_stats(dev)
        except libvirt.libvirtError:
            continue
        for suffix, value in zip(("read_req", "read", "write_req", "write", "errors"), stats,
                                 strict=False):
            output[f"{dev}_{suffix}"] = value
    for _mac, dev in nic_devs:
        if dev is None:
            continue
        try:
            stats = guest.interface_stats(dev)
        except libvirt.libvirtError:
            continue
        for suffix, value in zip(("rx", "rx_packets", "rx_errors", "rx_drop", "tx",
                                  "tx_packets", "tx_errors", "tx_drop"), stats, strict=False):
            output[f"{dev}_{suffix}"] = value
    output["memory"] = guest.get_info()[1]
    try:
        for key, value in guest.memory_stats().items():
            output[f"memory-{key}"] = value
    except libvirt.libvirtError:
        pass
    return output
