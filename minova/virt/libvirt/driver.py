"""The libvirt virt driver: KVM (or QEMU's TCG emulator) guests through libvirtd.

What a guest is on the host (Nova's layout, kept small)::

    instances_path/
        _base/<sha1 of image id>      image bytes, downloaded once per host (imagecache)
        <instance uuid>/
            disk                      qcow2 overlay backed by the cached base
            kernel, ramdisk           AMI-style images only (direct kernel boot)
            console.log               the guest's serial console
            disk.rescue, unrescue.xml while rescued (see rescue.py)

and a persistent libvirt domain named from ``instance_name_template``,
whose UUID is the instance's and whose ``<metadata>`` carries Nova's
``nova:instance`` element; that namespace is how the driver tells its
guests from other domains on the same libvirtd.
"""

import contextlib
import os
import shutil
import uuid as uuid_lib

import libvirt
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import excutils

from minova import exception
from minova.objects import states
from minova.virt import driver
from minova.virt.libvirt import config, imagecache, images
from minova.virt.libvirt import diagnostics as libvirt_diagnostics
from minova.virt.libvirt import guest as libvirt_guest
from minova.virt.libvirt import host as libvirt_host
from minova.virt.libvirt import rescue as libvirt_rescue
from minova.virt.libvirt import snapshot as libvirt_snapshot

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
# get_console_output returns at most the end of the log: the api trims to lines anyway.
MAX_CONSOLE_BYTES = 100 * 1024


class LibvirtDriver(libvirt_rescue.RescueMixin, driver.ComputeDriver):
    """``compute_driver = libvirt.LibvirtDriver``."""

    def __init__(self, image_api=None) -> None:
        super().__init__(image_api)
        self.instances_path = os.path.abspath(CONF.instances_path)
        self._host = libvirt_host.Host(CONF.libvirt.connection_uri, CONF.host)
        self._image_cache = imagecache.ImageCache(
            image_api, os.path.join(self.instances_path, CONF.image_cache_subdirectory_name))

    # --- service life

    def init_host(self, host: str) -> None:
        """Connect now, so a compute whose libvirtd is unreachable fails at start-up."""
        self._host.hostname = host
        self._host.get_connection()
        os.makedirs(self.instances_path, exist_ok=True)

    def cleanup_host(self, host: str) -> None:
        self._host.close()

    # --- inventory

    def get_available_nodes(self) -> list[str]:
        return [CONF.host]

    def get_available_resource(self, nodename: str) -> dict:
        os.makedirs(self.instances_path, exist_ok=True)
        fs = os.statvfs(self.instances_path)
        return {
            "vcpus": self._host.get_vcpus(),
            "memory_mb": self._host.get_memory_mb(),
            "local_gb": fs.f_frsize * fs.f_blocks // GiB,
            "hypervisor_type": "QEMU",
            "hypervisor_version": self._host.get_version(),
            "cpu_info": self._host.get_cpu_info(),
            "supported_instances": self._host.get_supported_instances(),
            "host_ip": CONF.my_ip,
        }

    # --- paths and names

    def _instance_dir(self, instance: dict) -> str:
        """``instances_path/<uuid>``; the uuid must be canonical, so it can name no other path."""
        value = instance["uuid"]
        try:
            canonical = str(uuid_lib.UUID(value))
        except (ValueError, TypeError, AttributeError) as exc:
            raise exception.InvalidInput(reason=f"{value!r} is not a UUID") from exc
        if canonical != value:
            raise exception.InvalidInput(reason=f"{value!r} is not a canonical UUID")
        return os.path.join(self.instances_path, canonical)

    @staticmethod
    def _domain_name(instance: dict) -> str:
        template = CONF.instance_name_template
        try:
            return template % instance["id"]
        except TypeError:  # a template with named fields: "%(uuid)s"
            return template % {"id": instance["id"], "uuid": instance["uuid"]}

    # --- build and delete

    def snapshot(self, context, instance: dict, image_id: str, update_task_state) -> None:
        """Nova's cold snapshot of the root disk (``libvirt/snapshot.py``)."""
        libvirt_snapshot.take(self._host, self.image_api, self.instances_path,
                              self._instance_dir(instance), context, instance, image_id,
                              update_task_state)

    def cache_image(self, context, image_meta: dict) -> bool:
        cached = os.path.exists(self._image_cache.path_for(image_meta["id"]))
        self._image_cache.fetch(context, image_meta)
        return not cached

    def _check_image(self, instance: dict, image_meta: dict) -> str:
        """The format of the image's cached bytes; BuildAbortException for an
        image this driver cannot boot (no other host could either)."""
        uuid = instance["uuid"]
        if not image_meta or not image_meta.get("id"):
            raise exception.BuildAbortException(
                instance_uuid=uuid, reason="the libvirt driver boots from an image only")
        if self.image_api is None:
            raise exception.ConfigurationError(
                reason="the libvirt driver was loaded without an image client")
        try:
            return images.base_format(image_meta)
        except exception.ImageUnacceptable as exc:
            raise exception.BuildAbortException(instance_uuid=uuid,
                                                reason=exc.format_message()) from exc

    def _prepare_guest(self, context, instance: dict, image_meta: dict, base_fmt: str,
                       instance_dir: str) -> str:
        """Root disk (an overlay on the cached base), boot files and an empty
        console log in ``instance_dir``; the domain XML that boots them."""
        base = self._image_cache.fetch(context, image_meta)
        kernel, ramdisk = self._fetch_boot_files(context, image_meta, instance_dir)
        disk_path = os.path.join(instance_dir, "disk")
        self._create_disk(instance, image_meta, base, base_fmt, disk_path)
        console_path = os.path.join(instance_dir, "console.log")
        # Ours, so get_console_output can read it; QEMU appends (append="on"),
        # so a guest made again starts from an empty log.
        os.close(os.open(console_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640))
        return config.guest_config(
            instance, image_meta, virt_type=CONF.libvirt.virt_type,
            name=self._domain_name(instance), disk_path=disk_path,
            console_path=console_path, kernel_path=kernel, ramdisk_path=ramdisk,
            user_name=getattr(context, "user_name", None),
            project_name=getattr(context, "project_name", None)).to_xml()

    def spawn(self, context, instance: dict, image_meta: dict) -> None:
        uuid = instance["uuid"]
        base_fmt = self._check_image(instance, image_meta)
        instance_dir = self._instance_dir(instance)
        os.makedirs(instance_dir, exist_ok=True)
        guest = None
        try:
            xml = self._prepare_guest(context, instance, image_meta, base_fmt, instance_dir)
            guest = self._host.define(xml)
            LOG.debug("Defined domain %s", guest.name, instance=instance)
            guest.launch()
        except exception.ImageUnacceptable as exc:
            self._cleanup_failed_spawn(instance, guest, instance_dir)
            raise exception.BuildAbortException(instance_uuid=uuid,
                                                reason=exc.format_message()) from exc
        except Exception:
            with excutils.save_and_reraise_exception():
                self._cleanup_failed_spawn(instance, guest, instance_dir)
        LOG.info("Instance spawned successfully", instance=instance)

    def rebuild(self, context, instance: dict, image_meta: dict,
                preserve_ephemeral: bool = False) -> None:
        """Power the guest off, make its root disk afresh from the new image,
        define the domain again (the image may change how it boots) and start it.

        The domain keeps its name and UUID; only ``disk`` (and the boot files
        of an AMI-style image) are replaced. minova's guests have no
        ephemeral disk (a flavor's ephemeral_gb is counted, not attached),
        so there is nothing for ``preserve_ephemeral`` to keep. A failure
        leaves the domain defined and off: the instance goes to ERROR, and
        a delete, or a rebuild, cleans up. A domain that is gone is spawned
        afresh.
        """
        base_fmt = self._check_image(instance, image_meta)
        instance_dir = self._instance_dir(instance)
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            # The hypervisor lost it (an ERROR server): made anew, as Nova's
            # rebuild (destroy, then spawn) does.
            LOG.info("No domain to rebuild; spawning the guest afresh", instance=instance)
            self.spawn(context, instance, image_meta)
            return
        with libvirt_guest.translate_errors(instance, "rebuild", guest):
            if guest.is_active():
                guest.destroy()
            if guest.has_managed_save():  # a suspended guest's memory is of the old disk
                guest.remove_managed_save()
        os.makedirs(instance_dir, exist_ok=True)
        for stale in ("disk", "kernel", "ramdisk"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(instance_dir, stale))
        try:
            xml = self._prepare_guest(context, instance, image_meta, base_fmt, instance_dir)
        except exception.ImageUnacceptable as exc:
            raise exception.BuildAbortException(instance_uuid=instance["uuid"],
                                                reason=exc.format_message()) from exc
        with libvirt_guest.translate_errors(instance, "rebuild", guest):
            guest = self._host.define(xml)
            guest.launch()
        LOG.info("Instance rebuilt from image %s", image_meta["id"], instance=instance)

    def _fetch_boot_files(self, context, image_meta: dict,
                          instance_dir: str) -> tuple[str | None, str | None]:
        """Kernel and ramdisk of an AMI-style image, linked into the instance directory."""
        properties = image_meta.get("properties") or {}
        kernel_id = properties.get("kernel_id")
        if not kernel_id:
            return None, None
        kernel = self._fetch_aux_image(context, image_meta, kernel_id, "kernel", instance_dir)
        ramdisk = None
        if properties.get("ramdisk_id"):
            ramdisk = self._fetch_aux_image(context, image_meta, properties["ramdisk_id"],
                                            "ramdisk", instance_dir)
        return kernel, ramdisk

    def _fetch_aux_image(self, context, image_meta: dict, aux_id: str, kind: str,
                         instance_dir: str) -> str:
        try:
            aux_meta = self.image_api.get(context, aux_id)
        except exception.NotFound as exc:
            raise exception.ImageUnacceptable(
                image_id=image_meta["id"],
                reason=f"its {kind} image {aux_id} cannot be found") from exc
        cached = self._image_cache.fetch(context, aux_meta)
        dest = os.path.join(instance_dir, kind)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(dest)
        try:
            os.link(cached, dest)
        except OSError:  # another filesystem, or no hard links there
            shutil.copyfile(cached, dest)
        return dest

    def _create_disk(self, instance: dict, image_meta: dict, base: str, base_fmt: str,
                     disk_path: str) -> None:
        """The overlay, grown to the flavor's root disk when that is larger than the image."""
        image_size = images.virtual_size(image_meta["id"], base, base_fmt)
        root_gb = (instance.get("flavor") or {}).get("root_gb", instance.get("root_gb")) or 0
        size = None
        if root_gb:
            if root_gb * GiB < image_size:
                raise exception.BuildAbortException(
                    instance_uuid=instance["uuid"],
                    reason=f"the flavor's root disk ({root_gb} GiB) is smaller than "
                           f"image {image_meta['id']} ({image_size} bytes)")
            if root_gb * GiB > image_size:
                size = root_gb * GiB
        with contextlib.suppress(FileNotFoundError):
            os.unlink(disk_path)  # left by an earlier attempt
        images.create_overlay(base, base_fmt, disk_path, size)

    def _cleanup_failed_spawn(self, instance: dict, guest, instance_dir: str) -> None:
        if guest is not None:
            try:
                guest.destroy()
                guest.undefine()
            except Exception:
                LOG.exception("Could not remove the domain of a failed spawn",
                              instance=instance)
        shutil.rmtree(instance_dir, ignore_errors=True)

    def destroy(self, context, instance: dict) -> None:
        instance_dir = self._instance_dir(instance)
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            guest = None
        if guest is not None:
            try:
                with libvirt_guest.translate_errors(instance, "destroy", guest):
                    guest.destroy()
                    guest.undefine()
            except exception.InstanceNotFound:
                pass  # gone meanwhile (a transient domain vanishes when stopped)
        if os.path.exists(instance_dir):
            shutil.rmtree(instance_dir)
        LOG.info("Instance destroyed successfully", instance=instance)

    # --- state

    def get_info(self, instance: dict) -> dict:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "get_info"):
            return {"state": guest.get_power_state()}

    def list_instance_uuids(self) -> list[str]:
        return [g.uuid for g in self._host.list_guests() if g.has_metadata(config.NOVA_NS)]

    # --- lifecycle actions

    def _require(self, guest, instance: dict, action: str, allowed: tuple[int, ...]) -> None:
        state = guest.get_power_state()
        if state not in allowed:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="power_state",
                state=states.POWER_STATE_NAMES.get(state, state))

    def power_off(self, context, instance: dict, timeout: int = 60) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "power_off", guest):
            if not guest.is_active():
                if guest.has_managed_save():  # a suspended guest: its memory is dropped
                    guest.remove_managed_save()
                LOG.info("Instance is already powered off", instance=instance)
                return
            # A paused guest cannot see the power button.
            if timeout > 0 and not guest.is_paused():
                if self._clean_shutdown(guest, instance, timeout):
                    LOG.info("Instance shut down cleanly", instance=instance)
                    return
                LOG.warning("Instance did not shut down within %d seconds; powering off",
                            timeout, instance=instance)
            guest.destroy()
        LOG.info("Instance powered off", instance=instance)

    @staticmethod
    def _clean_shutdown(guest, instance: dict, timeout: float) -> bool:
        try:
            guest.shutdown()
        except Exception as exc:
            LOG.warning("ACPI shutdown failed: %s", exc, instance=instance)
            return not guest.is_active()
        return guest.wait_until_off(timeout, resend_acpi=True)

    def power_on(self, context, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "power_on", guest):
            if guest.is_active():
                LOG.info("Instance is already running", instance=instance)
                return
            guest.launch()
        LOG.info("Instance powered on", instance=instance)

    def reboot(self, context, instance: dict, reboot_type: str) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "reboot", guest):
            if (reboot_type or "").upper() == "SOFT":
                if self._soft_reboot(guest, instance):
                    LOG.info("Instance soft rebooted successfully", instance=instance)
                    return
                LOG.warning("Soft reboot did not complete; trying a hard reboot",
                            instance=instance)
            self._hard_reboot(guest)
        LOG.info("Instance rebooted successfully", instance=instance)

    def _soft_reboot(self, guest, instance: dict) -> bool:
        """ACPI shutdown, then start again; False if the guest did not stop in time."""
        if guest.get_power_state() != states.RUNNING:
            return False
        if not self._clean_shutdown(guest, instance, CONF.libvirt.wait_soft_reboot_seconds):
            return False
        guest.launch()
        return True

    @staticmethod
    def _hard_reboot(guest) -> None:
        """Power off and boot afresh (a suspended guest's saved memory is dropped)."""
        if guest.is_active():
            guest.destroy()
        if guest.has_managed_save():
            guest.remove_managed_save()
        guest.launch()

    def pause(self, context, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "pause", guest):
            self._require(guest, instance, "pause", (states.RUNNING,))
            guest.pause()
        LOG.info("Instance paused", instance=instance)

    def unpause(self, context, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "unpause", guest):
            self._require(guest, instance, "unpause", (states.POWER_PAUSED,))
            guest.unpause()
        LOG.info("Instance unpaused", instance=instance)

    def suspend(self, context, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "suspend", guest):
            self._require(guest, instance, "suspend", (states.RUNNING, states.POWER_PAUSED))
            guest.managed_save()
        LOG.info("Instance suspended", instance=instance)

    def resume(self, context, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "resume", guest):
            self._require(guest, instance, "resume", (states.POWER_SUSPENDED,))
            guest.launch()
        LOG.info("Instance resumed", instance=instance)

    # --- console

    def trigger_crash_dump(self, instance: dict) -> None:
        guest = self._host.get_guest(instance)
        try:
            guest.inject_nmi()
        except libvirt.libvirtError as exc:
            code = libvirt_guest.error_code(exc)
            if code == libvirt.VIR_ERR_NO_SUPPORT:
                raise exception.TriggerCrashDumpNotSupported() from exc
            if code == libvirt.VIR_ERR_OPERATION_INVALID:
                raise exception.InstanceNotRunning(instance_id=instance["uuid"]) from exc
            raise
        LOG.info("Injected an NMI (crash dump)", instance=instance)

    def get_instance_diagnostics(self, instance: dict) -> dict:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "get_diagnostics", guest):
            return libvirt_diagnostics.instance_diagnostics(guest, instance,
                                                            CONF.libvirt.virt_type)

    def get_diagnostics(self, instance: dict) -> dict:
        guest = self._host.get_guest(instance)
        with libvirt_guest.translate_errors(instance, "get_diagnostics", guest):
            return libvirt_diagnostics.legacy_diagnostics(guest)

    def get_console_output(self, context, instance: dict) -> str:
        instance_dir = self._instance_dir(instance)
        path = os.path.join(instance_dir, "console.log")
        real = os.path.realpath(path)
        if not real.startswith(os.path.realpath(instance_dir) + os.sep):
            LOG.warning("Console log %s points outside the instance directory; ignored",
                        path, instance=instance)
            return ""
        try:
            with open(real, "rb") as log:
                size = os.fstat(log.fileno()).st_size
                log.seek(max(size - MAX_CONSOLE_BYTES, 0))
                data = log.read(MAX_CONSOLE_BYTES)
        except FileNotFoundError:
            return ""
        return data.decode("utf-8", errors="replace")
