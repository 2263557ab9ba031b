"""A small model of the libvirt domain XML minova writes (Nova's virt/libvirt/config.py idea).

Each class renders one ``xml.etree.ElementTree`` element, and ``to_xml()``
serialises with ElementTree. The XML is never assembled from strings: the
server's display name, the flavor's name and the paths all come from users
or operators, and a name like ``</name><devices>`` must end up as text in the
metadata, not as markup in the domain. Text ElementTree cannot represent in
XML 1.0 (control characters, lone surrogates) is replaced by U+FFFD so the
document is always well-formed.

``guest_config()`` turns an instance and its image into a ``Guest``.
"""

import datetime
import re
import xml.etree.ElementTree as ET

NOVA_NS = "http://openstack.org/xmlns/libvirt/nova/1.1"
ET.register_namespace("nova", NOVA_NS)

# Characters XML 1.0 allows; anything else would make the document unparsable.
_XML_INVALID = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    return _XML_INVALID.sub("\ufffd", str(value))


def _sub(parent: ET.Element, tag: str, text=None, **attrs) -> ET.Element:
    """Append a child element; text and attribute values are escaped by ElementTree."""
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()
                                          if v is not None})
    if text is not None:
        element.text = _text(text)
    return element


def _nova(tag: str) -> str:
    return f"{{{NOVA_NS}}}{tag}"


class ConfigObject:
    """One piece of domain XML."""

    def to_element(self) -> ET.Element:
        raise NotImplementedError

    def to_xml(self) -> str:
        return ET.tostring(self.to_element(), encoding="unicode")


class GuestOS(ConfigObject):
    """``<os>``: boot from the first disk, or directly into a kernel (AMI-style images)."""

    def __init__(self, kernel: str | None = None, initrd: str | None = None,
                 cmdline: str | None = None, os_type: str = "hvm",
                 boot_dev: str | None = "hd") -> None:
        self.os_type = os_type
        self.kernel = kernel
        self.initrd = initrd
        self.cmdline = cmdline
        # None: the disks say which boots (their <boot order>), as libvirt
        # allows no <os><boot> beside a per-device boot order.
        self.boot_dev = boot_dev

    def to_element(self) -> ET.Element:
        os_el = ET.Element("os")
        _sub(os_el, "type", self.os_type)
        if self.kernel:
            _sub(os_el, "kernel", self.kernel)
            if self.initrd:
                _sub(os_el, "initrd", self.initrd)
            if self.cmdline:
                _sub(os_el, "cmdline", self.cmdline)
        elif self.boot_dev:
            _sub(os_el, "boot", dev=self.boot_dev)
        return os_el


class GuestDisk(ConfigObject):
    """A file-backed disk (the instance's qcow2 overlay) on a virtio bus, or
    (a stable device rescue) on the bus and as the device an image asks for,
    booted first with ``boot_order`` 1."""

    def __init__(self, source_path: str, driver_type: str = "qcow2",
                 target_dev: str = "vda", target_bus: str = "virtio",
                 device: str = "disk", boot_order: int | None = None) -> None:
        self.source_path = source_path
        self.driver_type = driver_type
        self.target_dev = target_dev
        self.target_bus = target_bus
        self.device = device
        self.boot_order = boot_order

    def to_element(self) -> ET.Element:
        disk = ET.Element("disk", type="file", device=_text(self.device))
        _sub(disk, "driver", name="qemu", type=self.driver_type)
        _sub(disk, "source", file=self.source_path)
        _sub(disk, "target", dev=self.target_dev, bus=self.target_bus)
        if self.device == "cdrom":
            _sub(disk, "readonly")
        if self.boot_order is not None:
            _sub(disk, "boot", order=self.boot_order)
        return disk


class GuestSerial(ConfigObject):
    """Serial port 0 written to a file: the console log ``get_console_output`` reads."""

    tag = "serial"

    def __init__(self, log_path: str, port: int = 0) -> None:
        self.log_path = log_path
        self.port = port

    def _target(self, element: ET.Element) -> None:
        _sub(element, "target", port=self.port)

    def to_element(self) -> ET.Element:
        element = ET.Element(self.tag, type="file")
        _sub(element, "source", path=self.log_path, append="on")
        self._target(element)
        return element


class GuestConsole(GuestSerial):
    """The domain's console, the same serial port (so virsh console finds it)."""

    tag = "console"

    def _target(self, element: ET.Element) -> None:
        _sub(element, "target", type="serial", port=self.port)


class InstanceMetadata(ConfigObject):
    """``<nova:instance>``: who owns the guest and what it was built from.

    Its namespace is also how the driver tells its own domains from others
    on the same libvirtd.
    """

    def __init__(self, name: str, creation_time: datetime.datetime, flavor: dict,
                 user_id: str, user_name: str, project_id: str, project_name: str,
                 image_id: str | None) -> None:
        self.name = name
        self.creation_time = creation_time
        self.flavor = flavor
        self.user_id = user_id
        self.user_name = user_name
        self.project_id = project_id
        self.project_name = project_name
        self.image_id = image_id

    def to_element(self) -> ET.Element:
        inst = ET.Element(_nova("instance"))
        _sub(inst, _nova("name"), self.name)
        _sub(inst, _nova("creationTime"), self.creation_time.strftime("%Y-%m-%d %H:%M:%S"))
        flavor = _sub(inst, _nova("flavor"), name=self.flavor.get("name", ""))
        for tag, key in (("memory", "memory_mb"), ("disk", "root_gb"), ("swap", "swap"),
                         ("ephemeral", "ephemeral_gb"), ("vcpus", "vcpus")):
            _sub(flavor, _nova(tag), self.flavor.get(key) or 0)
        owner = _sub(inst, _nova("owner"))
        _sub(owner, _nova("user"), self.user_name, uuid=self.user_id)
        _sub(owner, _nova("project"), self.project_name, uuid=self.project_id)
        if self.image_id:
            _sub(inst, _nova("root"), type="image", uuid=self.image_id)
        return inst


class Guest(ConfigObject):
    """``<domain>``: the whole guest definition handed to ``defineXML``."""

    def __init__(self, virt_type: str, name: str, uuid: str, memory_mb: int, vcpus: int,
                 os: GuestOS, devices: list[ConfigObject],
                 metadata: list[ConfigObject] | None = None,
                 features: tuple[str, ...] = ("acpi", "apic")) -> None:
        self.virt_type = virt_type
        self.name = name
        self.uuid = uuid
        self.memory_kib = int(memory_mb) * 1024
        self.vcpus = int(vcpus)
        self.os = os
        self.devices = devices
        self.metadata = metadata or []
        self.features = features
        self.on_poweroff = "destroy"
        self.on_reboot = "restart"
        self.on_crash = "destroy"

    def to_element(self) -> ET.Element:
        domain = ET.Element("domain", type=_text(self.virt_type))
        _sub(domain, "name", self.name)
        _sub(domain, "uuid", self.uuid)
        if self.metadata:
            metadata = _sub(domain, "metadata")
            for item in self.metadata:
                metadata.append(item.to_element())
        _sub(domain, "memory", self.memory_kib, unit="KiB")
        _sub(domain, "currentMemory", self.memory_kib, unit="KiB")
        _sub(domain, "vcpu", self.vcpus)
        domain.append(self.os.to_element())
        features = _sub(domain, "features")
        for feature in self.features:
            _sub(features, feature)
        _sub(domain, "clock", offset="utc")
        _sub(domain, "on_poweroff", self.on_poweroff)
        _sub(domain, "on_reboot", self.on_reboot)
        _sub(domain, "on_crash", self.on_crash)
        devices = _sub(domain, "devices")
        for device in self.devices:
            devices.append(device.to_element())
        return domain


def guest_config(instance: dict, image_meta: dict, *, virt_type: str, name: str,
                 disk_path: str, console_path: str, kernel_path: str | None = None,
                 ramdisk_path: str | None = None, user_name: str | None = None,
                 project_name: str | None = None,
                 creation_time: datetime.datetime | None = None) -> Guest:
    """The domain for ``instance``: flavor sizes, its overlay disk, serial console log.

    ``kernel_path`` (and ``ramdisk_path``) select direct kernel boot, for
    AMI-style images whose kernel and ramdisk are separate images; the
    kernel command line is the image's ``os_command_line`` property.
    """
    flavor = dict(instance.get("flavor") or {})
    memory_mb = flavor.get("memory_mb") or instance.get("memory_mb")
    vcpus = flavor.get("vcpus") or instance.get("vcpus")
    flavor.setdefault("memory_mb", memory_mb)
    flavor.setdefault("vcpus", vcpus)
    flavor.setdefault("root_gb", instance.get("root_gb"))
    properties = image_meta.get("properties") or {}
    if kernel_path:
        os_config = GuestOS(kernel=kernel_path, initrd=ramdisk_path,
                            cmdline=properties.get("os_command_line") or "console=ttyS0")
    else:
        os_config = GuestOS()
    metadata = InstanceMetadata(
        name=instance.get("display_name") or "",
        creation_time=creation_time or datetime.datetime.now(datetime.UTC),
        flavor=flavor,
        user_id=instance.get("user_id") or "",
        user_name=user_name or instance.get("user_id") or "",
        project_id=instance.get("project_id") or "",
        project_name=project_name or instance.get("project_id") or "",
        image_id=image_meta.get("id") or instance.get("image_ref"),
    )
    return Guest(
        virt_type=virt_type, name=name, uuid=instance["uuid"], memory_mb=memory_mb,
        vcpus=vcpus, os=os_config,
        devices=[GuestDisk(disk_path), GuestSerial(console_path), GuestConsole(console_path)],
        metadata=[metadata],
    )


# Device name prefixes per bus (Nova's blockinfo), for a stable rescue's disk.
_BUS_PREFIX = {"virtio": "vd", "ide": "hd", "scsi": "sd", "usb": "sd", "sata": "sd"}
RESCUE_BUSES = tuple(_BUS_PREFIX)
RESCUE_DEVICES = ("disk", "cdrom")


def rescue_config(guest: Guest, *, rescue_disk_path: str,
                  stable_bus: str | None = None, stable_device: str | None = None) -> Guest:
    """Turn ``guest`` into the rescue domain: ``guest`` is what
    ``guest_config`` makes with the server's own disk as its disk.

    Nova's two layouts. The default: the rescue disk is the first disk
    (vda, booted) and the server's own disk goes second (vdb). A stable
    device rescue (``stable_bus`` / ``stable_device``, the rescue image's
    ``hw_rescue_bus`` / ``hw_rescue_device``): the server's disk stays
    where it is, and the rescue disk is added last on that bus, as that
    device, and booted first (``<boot order='1'/>``, no kernel of its own).
    """
    disks = [d for d in guest.devices if isinstance(d, GuestDisk)]
    others = [d for d in guest.devices if not isinstance(d, GuestDisk)]
    if stable_bus is None and stable_device is None:
        original = disks[0]
        rescue = GuestDisk(rescue_disk_path)
        original.target_dev = "vdb"
        guest.devices = [rescue, original, *disks[1:], *others]
        return guest
    bus = stable_bus or "virtio"
    device = stable_device or "disk"
    prefix = _BUS_PREFIX[bus]
    taken = {d.target_dev for d in disks}
    target = next(prefix + letter for letter in "abcdefghijklmnopqrstuvwxyz"
                  if prefix + letter not in taken)
    guest.os.boot_dev = None
    guest.os.kernel = guest.os.initrd = guest.os.cmdline = None
    guest.devices = [*disks, GuestDisk(rescue_disk_path, target_dev=target, target_bus=bus,
                                       device=device, boot_order=1), *others]
    return guest
