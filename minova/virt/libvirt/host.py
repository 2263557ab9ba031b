"""The libvirt connection of a compute host, and what the host has to offer.

One connection per compute service, shared by all its threads
(libvirt-python connections are thread-safe). If libvirtd restarts, the
next call finds the connection dead and opens a new one. In eventlet mode
every libvirt call runs in eventlet's native thread pool (as Nova does),
so a slow call blocks only the green thread that made it.
"""

import json
import threading
import xml.etree.ElementTree as ET

import libvirt
from oslo_log import log as logging

from minova import concurrency, exception
from minova.objects import virt_types
from minova.virt.libvirt import guest as libvirt_guest

LOG = logging.getLogger(__name__)


def _ignore_libvirt_error(_ctxt, _error) -> None:
    """libvirt prints every error to stderr by default; minova handles and logs them itself."""


class Host:
    """The connection to ``uri`` and the host-wide questions asked over it."""

    def __init__(self, uri: str, hostname: str) -> None:
        self.uri = uri
        self.hostname = hostname
        self._conn = None
        self._lock = threading.Lock()

    def _open(self):
        libvirt.registerErrorHandler(_ignore_libvirt_error, None)
        try:
            if concurrency.mode() == "eventlet":
                from eventlet import tpool

                conn = tpool.execute(libvirt.open, self.uri)
                conn = tpool.Proxy(conn, autowrap=(libvirt.virDomain, libvirt.virConnect))
            else:
                conn = libvirt.open(self.uri)
        except libvirt.libvirtError as exc:
            raise exception.HypervisorUnavailable(
                host=self.hostname, reason=f"cannot connect to {self.uri}: {exc}") from exc
        if conn is None:  # older bindings returned None instead of raising
            raise exception.HypervisorUnavailable(
                host=self.hostname, reason=f"cannot connect to {self.uri}")
        LOG.info("Connected to libvirt at %s", self.uri)
        return conn

    def get_connection(self):
        """The live connection, opened again if it died; HypervisorUnavailable if it cannot be."""
        with self._lock:
            conn = self._conn
            if conn is not None:
                try:
                    if conn.isAlive():
                        return conn
                except libvirt.libvirtError:
                    pass
                LOG.warning("Connection to libvirt at %s was lost; reconnecting", self.uri)
                self._close(conn)
                self._conn = None
            self._conn = self._open()
            return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._close(self._conn)
                self._conn = None

    @staticmethod
    def _close(conn) -> None:
        try:
            conn.close()
        except libvirt.libvirtError as exc:
            LOG.debug("Closing the libvirt connection failed: %s", exc)

    # --- domains

    def get_guest(self, instance: dict) -> libvirt_guest.Guest:
        """The instance's domain (looked up by UUID); InstanceNotFound if there is none."""
        conn = self.get_connection()
        with libvirt_guest.translate_errors(instance, "lookup"):
            return libvirt_guest.Guest(conn.lookupByUUIDString(instance["uuid"]))

    def define(self, xml: str) -> libvirt_guest.Guest:
        return libvirt_guest.Guest(self.get_connection().defineXML(xml))

    def list_guests(self) -> list[libvirt_guest.Guest]:
        """Every domain, running or not."""
        return [libvirt_guest.Guest(d) for d in self.get_connection().listAllDomains(0)]

    # --- resources

    def get_vcpus(self) -> int:
        return int(self.get_connection().getInfo()[2])

    def get_memory_mb(self) -> int:
        """Total host memory in MiB.

        ``getInfo()`` under-reports on some hosts (it counts one NUMA node);
        the node memory stats over all cells give the real total. Drivers
        without them (the test driver) fall back to ``getInfo()``.
        """
        conn = self.get_connection()
        try:
            stats = conn.getMemoryStats(libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS, 0)
            if stats.get("total"):
                return int(stats["total"]) // 1024
        except libvirt.libvirtError as exc:
            LOG.debug("getMemoryStats is not available (%s); using getInfo", exc)
        return int(conn.getInfo()[1])

    def get_version(self) -> int:
        return int(self.get_connection().getVersion())

    def get_supported_instances(self) -> list[list[str]]:
        """The guests libvirt offers here, as the node's ``supported_instances``."""
        return supported_instances(self.get_connection().getCapabilities())

    def get_cpu_info(self) -> str:
        """JSON ``{"arch", "model", "vendor"}`` of the host CPU, from the capabilities XML."""
        caps = ET.fromstring(self.get_connection().getCapabilities())
        cpu = caps.find("./host/cpu")
        info = {}
        for key in ("arch", "model", "vendor"):
            element = cpu.find(key) if cpu is not None else None
            info[key] = element.text if element is not None else None
        return json.dumps(info)


def supported_instances(capabilities_xml: str) -> list[list[str]]:
    """``[[arch, hv_type, vm_mode], ...]`` from a capabilities XML's ``<guest>`` elements.

    One entry per guest architecture and domain type, as Nova's libvirt
    driver reports them: an x86_64 host with KVM lists ``qemu`` (TCG) and
    ``kvm`` for each of its guest architectures, so an image asking for
    ``img_hv_type=qemu`` runs on it too. Names are canonicalised;
    architectures Nova has no name for are left out.
    """
    entries: list[list[str]] = []
    for guest in ET.fromstring(capabilities_xml).findall("./guest"):
        os_type = guest.findtext("os_type")
        arch = guest.find("arch")
        if not os_type or arch is None or not arch.get("name"):
            continue
        for domain in arch.findall("domain"):
            entry = virt_types.supported_instance(arch.get("name"), domain.get("type") or "",
                                                  os_type)
            if entry is not None and entry not in entries:
                entries.append(entry)
    return entries
