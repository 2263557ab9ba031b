"""One libvirt domain and the operations the driver performs on it.

``Guest`` wraps a ``virDomain`` so the driver reads as a sequence of
lifecycle steps; libvirt's errors become minova's exceptions here
(``translate_errors``): a domain that is gone is InstanceNotFound, an
operation the domain's state does not allow is InstanceInvalidState.
"""

import contextlib
import time
from collections.abc import Iterator

import libvirt
from oslo_log import log as logging

from minova import exception
from minova.objects import states

LOG = logging.getLogger(__name__)

# Between two looks at a guest's state while waiting for it to stop.
POLL_SECONDS = 0.1
# A guest still booting can miss an ACPI power button press; press again this often.
ACPI_RESEND_SECONDS = 10

_POWER_STATES = {
    libvirt.VIR_DOMAIN_NOSTATE: states.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: states.RUNNING,
    libvirt.VIR_DOMAIN_BLOCKED: states.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: states.POWER_PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: states.SHUTDOWN,
    libvirt.VIR_DOMAIN_SHUTOFF: states.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: states.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: states.POWER_SUSPENDED,
}


def power_state(libvirt_state: int, has_managed_save: bool = False) -> int:
    """minova's power_state for a libvirt domain state.

    A shut-off domain with a managed save image is a suspended guest: the
    next start restores its memory.
    """
    if libvirt_state == libvirt.VIR_DOMAIN_SHUTOFF and has_managed_save:
        return states.POWER_SUSPENDED
    return _POWER_STATES.get(libvirt_state, states.NOSTATE)


def error_code(exc: libvirt.libvirtError) -> int | None:
    return exc.get_error_code()


@contextlib.contextmanager
def translate_errors(instance: dict, action: str, guest: "Guest | None" = None) -> Iterator[None]:
    """libvirt's "no such domain" and "not in this state" as minova exceptions."""
    try:
        yield
    except libvirt.libvirtError as exc:
        code = error_code(exc)
        if code == libvirt.VIR_ERR_NO_DOMAIN:
            raise exception.InstanceNotFound(instance_id=instance["uuid"]) from exc
        if code == libvirt.VIR_ERR_OPERATION_INVALID:
            state = "unknown"
            if guest is not None:
                with contextlib.suppress(libvirt.libvirtError):
                    state = states.POWER_STATE_NAMES.get(guest.get_power_state(), state)
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="power_state",
                state=state) from exc
        raise


class Guest:
    """A domain on the hypervisor."""

    def __init__(self, domain: libvirt.virDomain) -> None:
        self._domain = domain

    @property
    def uuid(self) -> str:
        return self._domain.UUIDString()

    @property
    def name(self) -> str:
        return self._domain.name()

    def get_power_state(self) -> int:
        state, _reason = self._domain.state(0)
        managed_save = (state == libvirt.VIR_DOMAIN_SHUTOFF
                        and bool(self._domain.hasManagedSaveImage(0)))
        return power_state(state, managed_save)

    def is_active(self) -> bool:
        return bool(self._domain.isActive())

    def is_paused(self) -> bool:
        return self._domain.state(0)[0] == libvirt.VIR_DOMAIN_PAUSED

    def has_metadata(self, namespace: str) -> bool:
        """Whether the domain carries a ``<metadata>`` element in ``namespace``."""
        try:
            self._domain.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, namespace, 0)
        except libvirt.libvirtError as exc:
            if error_code(exc) in (libvirt.VIR_ERR_NO_DOMAIN_METADATA, libvirt.VIR_ERR_NO_DOMAIN):
                return False
            raise
        return True

    def launch(self) -> None:
        """Start the domain (restoring its managed save image if it has one)."""
        self._domain.create()

    def destroy(self) -> None:
        """Power off at once; a domain that is not running is already there."""
        try:
            self._domain.destroy()
        except libvirt.libvirtError as exc:
            if error_code(exc) != libvirt.VIR_ERR_OPERATION_INVALID or self.is_active():
                raise

    def undefine(self) -> None:
        """Remove the definition, with its managed save image if it has one."""
        try:
            self._domain.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        except libvirt.libvirtError as exc:
            if error_code(exc) == libvirt.VIR_ERR_NO_DOMAIN:
                raise
            LOG.debug("undefineFlags failed (%s); trying plain undefine", exc)
            self._domain.undefine()

    def shutdown(self) -> None:
        """Press the ACPI power button; the guest decides whether to obey."""
        self._domain.shutdown()

    def wait_until_off(self, timeout: float, resend_acpi: bool = False) -> bool:
        """Whether the domain stopped within ``timeout`` seconds (looked at least once)."""
        deadline = time.monotonic() + timeout
        next_press = time.monotonic() + ACPI_RESEND_SECONDS
        while True:
            if not self.is_active():
                return True
            now = time.monotonic()
            if now >= deadline:
                return False
            if resend_acpi and now >= next_press:
                with contextlib.suppress(libvirt.libvirtError):
                    self._domain.shutdown()
                next_press = now + ACPI_RESEND_SECONDS
            time.sleep(min(POLL_SECONDS, max(deadline - now, 0)))

    # --- statistics (diagnostics)

    def get_info(self) -> list:
        """virDomainGetInfo: [state, max memory KiB, memory KiB, vCPUs, CPU time ns]."""
        return self._domain.info()

    def get_vcpus_info(self) -> list[tuple]:
        """Per vCPU: (number, state, CPU time ns, host CPU)."""
        return self._domain.vcpus()[0]

    def get_xml_desc(self) -> str:
        return self._domain.XMLDesc(0)

    def get_persistent_xml(self) -> str:
        """The definition (not the running state): what ``defineXML`` takes back."""
        return self._domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)

    def block_stats(self, device: str) -> tuple:
        """(read requests, read bytes, write requests, write bytes, errors)."""
        return self._domain.blockStats(device)

    def interface_stats(self, device: str) -> tuple:
        """(rx bytes, rx packets, rx errors, rx drop, tx bytes, tx packets, tx
        errors, tx drop)."""
        return self._domain.interfaceStats(device)

    def memory_stats(self) -> dict:
        return self._domain.memoryStats()

    def inject_nmi(self) -> None:
        """virDomainInjectNMI: the guest's kernel may panic and dump (kdump)."""
        self._domain.injectNMI(0)

    def pause(self) -> None:
        self._domain.suspend()

    def unpause(self) -> None:
        self._domain.resume()

    def managed_save(self) -> None:
        """Write the guest's memory to libvirt's managed save file and stop it.

        Saved as running, so a guest suspended while paused comes back running.
        """
        self._domain.managedSave(libvirt.VIR_DOMAIN_SAVE_RUNNING)

    def has_managed_save(self) -> bool:
        return bool(self._domain.hasManagedSaveImage(0))

    def remove_managed_save(self) -> None:
        self._domain.managedSaveRemove(0)
