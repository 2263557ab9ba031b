"""Rescue and unrescue for the libvirt driver (Nova's layout), mixed into
``LibvirtDriver``.

What a rescued guest is on the host::

    instances_path/<uuid>/
        disk                 the server's own overlay, untouched
        disk.rescue          a fresh overlay on the rescue image's cached base
        kernel.rescue, ramdisk.rescue   an AMI-style rescue image's boot files
        unrescue.xml         the original domain's definition, as libvirt gave it

and the same domain (name, UUID, console log) defined again to boot the
rescue disk, the server's disk attached second (vdb); or, for a stable
device rescue (the rescue image's ``hw_rescue_device`` / ``hw_rescue_bus``),
the server's disk kept first and the rescue disk added last, booted first.
Unrescue powers the rescue domain off, defines the original again from
``unrescue.xml``, removes the rescue files and starts it.
"""

import contextlib
import os

from oslo_config import cfg
from oslo_log import log as logging

from minova import exception
from minova.virt.libvirt import config
from minova.virt.libvirt import guest as libvirt_guest

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

UNRESCUE_XML = "unrescue.xml"
RESCUE_FILES = ("disk.rescue", "kernel.rescue", "ramdisk.rescue")


def _stable_rescue(instance: dict, image_meta: dict) -> tuple[str | None, str | None]:
    """The rescue image's ``hw_rescue_bus`` and ``hw_rescue_device`` (both
    None: the default layout); InstanceNotRescuable for values libvirt has no
    layout for here."""
    properties = image_meta.get("properties") or {}
    bus, device = properties.get("hw_rescue_bus"), properties.get("hw_rescue_device")
    if bus is not None and bus not in config.RESCUE_BUSES:
        raise exception.InstanceNotRescuable(
            instance_id=instance["uuid"], reason=f"hw_rescue_bus {bus!r} is not supported")
    if device is not None and device not in config.RESCUE_DEVICES:
        raise exception.InstanceNotRescuable(
            instance_id=instance["uuid"],
            reason=f"hw_rescue_device {device!r} is not supported")
    return bus, device


class RescueMixin:
    """``rescue`` / ``unrescue`` for ``LibvirtDriver``, whose host, image
    cache and disk helpers they use."""

    def rescue(self, context, instance: dict, image_meta: dict,
               rescue_password: str | None) -> None:
        """Boot the guest (powered off by the manager) from ``image_meta``.

        ``rescue_password`` is not set in the guest: minova injects nothing
        (no config drive contents, no file injection). A failure puts the
        original domain back, defined and off, and raises: the server goes
        to ERROR, and a hard reboot or a delete goes on from there.
        """
        stable_bus, stable_device = _stable_rescue(instance, image_meta)
        base_fmt = self._check_image(instance, image_meta)
        instance_dir = self._instance_dir(instance)
        unrescue_path = os.path.join(instance_dir, UNRESCUE_XML)
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "rescue", guest):
            if not os.path.exists(unrescue_path):
                # Rescued again (from ERROR) keeps the first original.
                with open(unrescue_path, "w") as handle:
                    handle.write(guest.get_persistent_xml())
            if guest.is_active():
                guest.destroy()
            if guest.has_managed_save():  # a suspended guest's memory is of the old boot
                guest.remove_managed_save()
        try:
            xml = self._rescue_xml(context, instance, image_meta, base_fmt, instance_dir,
                                   stable_bus, stable_device)
            with libvirt_guest.translate_errors(instance, "rescue", guest):
                guest = self._host.define(xml)
                guest.launch()
        except Exception:
            self._restore_original(instance, instance_dir)
            raise
        LOG.info("Instance rescued from image %s%s", image_meta["id"],
                 " (stable device rescue)" if stable_bus or stable_device else "",
                 instance=instance)

    def _rescue_xml(self, context, instance: dict, image_meta: dict, base_fmt: str,
                    instance_dir: str, stable_bus: str | None,
                    stable_device: str | None) -> str:
        """The rescue disk (and boot files) in ``instance_dir``; the domain
        XML, the instance's own domain with the rescue disk added."""
        base = self._image_cache.fetch(context, image_meta)
        rescue_disk = os.path.join(instance_dir, "disk.rescue")
        self._create_disk(instance, image_meta, base, base_fmt, rescue_disk)
        kernel = ramdisk = None
        properties = image_meta.get("properties") or {}
        if properties.get("kernel_id") and not (stable_bus or stable_device):
            kernel = self._fetch_aux_image(context, image_meta, properties["kernel_id"],
                                           "kernel.rescue", instance_dir)
            if properties.get("ramdisk_id"):
                ramdisk = self._fetch_aux_image(context, image_meta, properties["ramdisk_id"],
                                                "ramdisk.rescue", instance_dir)
        guest = config.guest_config(
            instance, image_meta, virt_type=CONF.libvirt.virt_type,
            name=self._domain_name(instance), disk_path=os.path.join(instance_dir, "disk"),
            console_path=os.path.join(instance_dir, "console.log"), kernel_path=kernel,
            ramdisk_path=ramdisk, user_name=getattr(context, "user_name", None),
            project_name=getattr(context, "project_name", None))
        return config.rescue_config(guest, rescue_disk_path=rescue_disk,
                                    stable_bus=stable_bus,
                                    stable_device=stable_device).to_xml()

    def _restore_original(self, instance: dict, instance_dir: str) -> None:
        """After a failed rescue: the original domain defined again (off),
        the rescue files gone; best effort, the rescue's error is the one told."""
        try:
            self._define_original(instance, instance_dir)
        except Exception:
            LOG.exception("Could not define the original domain again after a failed "
                          "rescue", instance=instance)

    def _define_original(self, instance: dict, instance_dir: str):
        """Define the domain from ``unrescue.xml`` again and drop the rescue files."""
        unrescue_path = os.path.join(instance_dir, UNRESCUE_XML)
        with open(unrescue_path) as handle:
            xml = handle.read()
        guest = self._host.define(xml)
        for name in RESCUE_FILES:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(instance_dir, name))
        os.unlink(unrescue_path)
        return guest

    def unrescue(self, context, instance: dict) -> None:
        """Power the rescue domain off, define the original again, start it."""
        instance_dir = self._instance_dir(instance)
        if not os.path.exists(os.path.join(instance_dir, UNRESCUE_XML)):
            raise exception.InstanceInvalidState(
                action="unrescue", instance_uuid=instance["uuid"], attr="guest",
                state="not rescued on this host (no unrescue.xml)")
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "unrescue", guest):
            if guest.is_active():
                guest.destroy()
            guest = self._define_original(instance, instance_dir)
            guest.launch()
        LOG.info("Instance unrescued", instance=instance)
