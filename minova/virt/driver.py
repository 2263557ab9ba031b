"""The virt driver interface, and how a compute service loads one.

A compute service holds exactly one driver (``compute_driver``). The
manager does the bookkeeping (states, actions, claims through the
conductor); the driver only does hypervisor work and reports what the
hypervisor has. ``minova.virt.fake.FakeDriver`` and
``minova.virt.libvirt.LibvirtDriver`` implement it.
"""

import abc
import importlib

from minova import exception


class ComputeDriver(abc.ABC):
    """What every hypervisor driver provides to the compute manager."""

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
        hypervisor_version, cpu_info (JSON text), host_ip."""

    @abc.abstractmethod
    def spawn(self, context, instance: dict, image_meta: dict) -> None:
        """Create and start the guest. Raise on failure; the manager cleans up
        with destroy() and reschedules."""

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


def load_compute_driver(name: str) -> ComputeDriver:
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
    driver = cls()
    if not isinstance(driver, ComputeDriver):
        raise exception.VirtDriverNotFound(driver=name, reason="not a ComputeDriver")
    return driver
