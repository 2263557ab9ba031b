"""The virt driver interface, and how a compute service loads one.

A compute service holds exactly one driver (``compute_driver``). The
manager does the bookkeeping (states, actions, claims through the
conductor); the driver only does hypervisor work and reports what the
hypervisor has. ``minova.virt.fake.FakeDriver`` and
``minova.virt.libvirt.LibvirtDriver`` implement it.

``instance`` is the instance dict that crosses RPC (see
docs/architecture.md); ``image_meta`` is the image's record (``id``,
``name``, ``disk_format``, ``container_format``, ``size``, ``checksum``,
``os_hash_algo``, ``os_hash_value``, ``min_disk``, ``min_ram``,
``properties``).
"""

import abc
import importlib

from oslo_concurrency import processutils

from minova import exception
from minova.virt.moves import MoveDriver


class ComputeDriver(MoveDriver, abc.ABC):
    """What every hypervisor driver provides to the compute manager."""

    def __init__(self, image_api=None) -> None:
        # The image service client (minova.image.api.API): get() and
        # download() with checksum verification. Drivers that need no image
        # bytes ignore it.
        self.image_api = image_api

    def init_host(self, host: str) -> None:
        """Connect to the hypervisor; raise with a clear message if it is unreachable."""

    def cleanup_host(self, host: str) -> None:
        """Release hypervisor connections at service stop."""

    @abc.abstractmethod
    def get_available_nodes(self) -> list[str]:
        """Names of the nodes (hypervisors) this host manages; usually one."""

    @abc.abstractmethod
    def get_available_resource(self, nodename: str) -> dict:
        """Inventory of ``nodename``: vcpus, memory_mb, local_gb, hypervisor_type,
        hypervisor_version, cpu_info (JSON text), host_ip, and supported_instances.

        ``supported_instances`` is Nova's list of the guests the node can run,
        ``[[architecture, hypervisor type, vm mode], ...]`` in the canonical
        names of minova.objects.virt_types (e.g. ``["x86_64", "kvm", "hvm"]``);
        the ImagePropertiesFilter matches an image's ``hw_architecture``,
        ``img_hv_type`` and ``hw_vm_mode`` against it, and a node that reports
        none takes only images that ask for none of them.
        ``hypervisor_type`` and ``cpu_info``'s keys are what flavor extra specs
        such as ``capabilities:hypervisor_type`` and
        ``capabilities:cpu_info:arch`` are compared with.
        """

    @abc.abstractmethod
    def spawn(self, context, instance: dict, image_meta: dict) -> None:
        """Create and start the guest. Raise on failure; the manager cleans up
        with destroy() and reschedules. Raise BuildAbortException for a failure
        no other host would fix (a bad image), so the build is not retried."""

    @abc.abstractmethod
    def rebuild(self, context, instance: dict, image_meta: dict,
                preserve_ephemeral: bool = False) -> None:
        """Remake the guest in place from ``image_meta`` (API ``rebuild``):
        the old guest is stopped, its root disk made afresh from the image,
        and the guest started again (booting as after a create). The
        instance keeps its host, flavor and claim. Raise on failure; the
        manager puts the instance in ERROR with the cause as its fault.
        ``preserve_ephemeral``: keep the ephemeral disk, if the guest has one."""

    def snapshot(self, context, instance: dict, image_id: str, update_task_state) -> None:
        """Copy the guest's root disk into the ``queued`` image ``image_id``
        and upload it through ``self.image_api.upload`` (createImage,
        shelve). ``update_task_state(task_state, expected_state)`` reports
        the steps as Nova's drivers do: the pending upload (the disk is
        being copied) and the upload. The guest is left in the power state
        it had. Raise on failure; the manager deletes the image and puts
        the instance back as it was."""
        raise NotImplementedError()

    def cache_image(self, context, image_meta: dict) -> bool:
        """Have the image in this host's image cache ahead of any build (API
        2.81): True if it was downloaded now, False if it was there already.
        Raises NotImplementedError for a driver that keeps no cache."""
        raise NotImplementedError()

    def root_device_name(self, instance: dict) -> str:
        """The device the guest sees its root disk as, recorded when the build
        finishes (shown to admins as OS-EXT-SRV-ATTR:root_device_name). Both
        drivers attach the root disk as the first virtio disk."""
        return "/dev/vda"

    @abc.abstractmethod
    def destroy(self, context, instance: dict) -> None:
        """Stop and remove the guest and its local files. Must succeed when the
        guest does not exist (a half-built or already-deleted instance)."""

    @abc.abstractmethod
    def get_info(self, instance: dict) -> dict:
        """``{"state": power_state}`` of the guest; raises InstanceNotFound if absent."""

    @abc.abstractmethod
    def list_instance_uuids(self) -> list[str]:
        """UUIDs of the guests that exist on this host, whatever the database says."""

    # --- lifecycle actions (power_state values are in minova.objects.states)

    @abc.abstractmethod
    def power_off(self, context, instance: dict, timeout: int = 60) -> None:
        """Shut the guest down: ACPI first, then hard after ``timeout`` seconds
        (``timeout`` 0 means hard at once)."""

    @abc.abstractmethod
    def power_on(self, context, instance: dict) -> None:
        """Start a stopped guest."""

    @abc.abstractmethod
    def reboot(self, context, instance: dict, reboot_type: str) -> None:
        """``SOFT``: ACPI reboot, falling back to HARD after a timeout;
        ``HARD``: reset the guest (destroy and start again)."""

    @abc.abstractmethod
    def pause(self, context, instance: dict) -> None:
        """Stop the guest's vCPUs, keeping it in memory."""

    @abc.abstractmethod
    def unpause(self, context, instance: dict) -> None:
        """Resume a paused guest."""

    @abc.abstractmethod
    def suspend(self, context, instance: dict) -> None:
        """Save the guest's memory to disk and stop it (libvirt managed save)."""

    @abc.abstractmethod
    def resume(self, context, instance: dict) -> None:
        """Restore a suspended guest."""

    def rescue(self, context, instance: dict, image_meta: dict,
               rescue_password: str | None) -> None:
        """Boot the (powered off) guest from ``image_meta``, the rescue image,
        its own root disk attached second and kept as it is; the guest is
        the same one for get_info, the console and destroy. Without volumes
        only Nova's stable device rescue (the rescue image's
        ``hw_rescue_device`` / ``hw_rescue_bus``) keeps the own disk first
        and adds the rescue disk last, booted first."""
        raise NotImplementedError()

    def unrescue(self, context, instance: dict) -> None:
        """Drop the rescue guest and its disk, boot the original guest again."""
        raise NotImplementedError()

    def trigger_crash_dump(self, instance: dict) -> None:
        """Inject an NMI into the guest, whose kernel may dump its memory
        (API 2.17). InstanceNotRunning when the guest is not running;
        TriggerCrashDumpNotSupported when the hypervisor cannot."""
        raise exception.TriggerCrashDumpNotSupported()

    def get_instance_diagnostics(self, instance: dict) -> dict:
        """The running guest's diagnostics as API 2.48 shows them
        (``minova.virt.diagnostics.build``)."""
        raise NotImplementedError()

    def get_diagnostics(self, instance: dict) -> dict:
        """The running guest's diagnostics before API 2.48: the driver's own
        flat names (Nova's libvirt: ``cpu0_time``, ``vda_read``, ``memory``...)."""
        raise NotImplementedError()

    @abc.abstractmethod
    def get_console_output(self, context, instance: dict) -> str:
        """The guest's serial console log so far (the api trims it to ``length``)."""

    def get_host_uptime(self) -> str:
        """What ``uptime`` prints on this host (Nova's libvirt driver runs the same
        command): the hypervisor uptime of API ``/os-hypervisors/{id}/uptime``.
        Every driver here runs its guests on this host, so it is theirs too."""
        out, _err = processutils.execute("env", "LANG=C", "uptime")
        return out


def load_compute_driver(name: str, image_api=None) -> ComputeDriver:
    """Instantiate ``compute_driver``, given relative to ``minova.virt`` (Nova's convention)."""
    module_name, _, class_name = name.rpartition(".")
    if not module_name:
        raise exception.VirtDriverNotFound(driver=name, reason="expected module.Class")
    full = module_name if module_name.startswith("minova.") else f"minova.virt.{module_name}"
    try:
        module = importlib.import_module(full)
        cls = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise exception.VirtDriverNotFound(driver=name, reason=str(exc)) from exc
    if not (isinstance(cls, type) and issubclass(cls, ComputeDriver)):
        raise exception.VirtDriverNotFound(driver=name, reason="not a ComputeDriver")
    return cls(image_api=image_api)
