"""The shared libvirt connection, and mapping libvirt domain states to power states."""

import os
import subprocess
import sys

import libvirt
import pytest

from minova import concurrency, exception
from minova.objects import states
from minova.virt.libvirt import guest as libvirt_guest
from minova.virt.libvirt import host as libvirt_host
from tests.unit.virt.libvirt.fakes import TEST_URI


@pytest.fixture
def host():
    h = libvirt_host.Host(TEST_URI, "testhost")
    yield h
    h.close()


def test_connection_is_shared(host):
    assert host.get_connection() is host.get_connection()


def test_reconnects_when_the_connection_died(host):
    first = host.get_connection()
    first.close()  # as if libvirtd had restarted
    second = host.get_connection()
    assert second is not first
    assert second.isAlive()
    assert host.get_guest({"uuid": second.lookupByName("test").UUIDString()}).name == "test"


def test_unreachable_uri_raises_hypervisor_unavailable():
    host = libvirt_host.Host("test:///no/such/file.xml", "compute-3")
    with pytest.raises(exception.HypervisorUnavailable) as err:
        host.get_connection()
    assert "compute-3" in str(err.value) and "test:///no/such/file.xml" in str(err.value)


def test_get_guest_of_unknown_uuid(host):
    with pytest.raises(exception.InstanceNotFound):
        host.get_guest({"uuid": "00000000-0000-0000-0000-000000000001"})


_EVENTLET_CHECK = """
from eventlet import tpool
from minova.virt.libvirt import host as libvirt_host
host = libvirt_host.Host("test:///default", "h")
conn = host.get_connection()
guest = host.get_guest({"uuid": conn.lookupByName("test").UUIDString()})
print(isinstance(conn, tpool.Proxy), guest.get_power_state())
"""


def test_eventlet_mode_runs_libvirt_calls_in_the_thread_pool():
    # In a child process: this one must not load eventlet.
    env = dict(os.environ, **{concurrency.ENV_VAR: "eventlet"})
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", _EVENTLET_CHECK], env=env,
                         check=True, capture_output=True, text=True, timeout=60).stdout
    assert out.split() == ["True", str(states.RUNNING)]


@pytest.mark.parametrize("libvirt_state,managed_save,expected", [
    (libvirt.VIR_DOMAIN_NOSTATE, False, states.NOSTATE),
    (libvirt.VIR_DOMAIN_RUNNING, False, states.RUNNING),
    (libvirt.VIR_DOMAIN_BLOCKED, False, states.RUNNING),
    (libvirt.VIR_DOMAIN_PAUSED, False, states.POWER_PAUSED),
    (libvirt.VIR_DOMAIN_SHUTDOWN, False, states.SHUTDOWN),
    (libvirt.VIR_DOMAIN_SHUTOFF, False, states.SHUTDOWN),
    (libvirt.VIR_DOMAIN_SHUTOFF, True, states.POWER_SUSPENDED),
    (libvirt.VIR_DOMAIN_CRASHED, False, states.CRASHED),
    (libvirt.VIR_DOMAIN_PMSUSPENDED, False, states.POWER_SUSPENDED),
])
def test_power_state_mapping(libvirt_state, managed_save, expected):
    assert libvirt_guest.power_state(libvirt_state, managed_save) == expected


def test_invalid_operation_becomes_invalid_state(host):
    class InvalidOperation(libvirt.libvirtError):
        def get_error_code(self):
            return libvirt.VIR_ERR_OPERATION_INVALID

    guest = host.get_guest({"uuid": host.get_connection().lookupByName("test").UUIDString()})
    with pytest.raises(exception.InstanceInvalidState) as err:
        with libvirt_guest.translate_errors({"uuid": guest.uuid}, "pause", guest):
            raise InvalidOperation("domain is not running")
    assert "pause" in str(err.value) and "running" in str(err.value)


# A KVM-capable x86_64 host's capabilities (libvirt 9 / QEMU 7.2), trimmed:
# two guest architectures, each with TCG (qemu) and KVM, plus an
# architecture Nova has no name for.
CAPABILITIES_XML = """<capabilities>
  <host><cpu><arch>x86_64</arch><model>Broadwell</model><vendor>Intel</vendor></cpu></host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'>
      <wordsize>32</wordsize>
      <emulator>/usr/bin/qemu-system-i386</emulator>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='loongarch64'>
      <domain type='qemu'/>
    </arch>
  </guest>
</capabilities>"""


def test_supported_instances_from_capabilities_xml():
    assert libvirt_host.supported_instances(CAPABILITIES_XML) == [
        ["i686", "qemu", "hvm"], ["i686", "kvm", "hvm"],
        ["x86_64", "qemu", "hvm"], ["x86_64", "kvm", "hvm"]]


def test_supported_instances_skip_incomplete_guests():
    xml = ("<capabilities><guest><arch name='x86_64'><domain type='kvm'/></arch></guest>"
           "<guest><os_type>hvm</os_type></guest></capabilities>")
    assert libvirt_host.supported_instances(xml) == []


def test_supported_instances_of_the_test_driver(host):
    # test:///default offers i686 guests, fully virtualised and Xen PV.
    assert host.get_supported_instances() == [["i686", "test", "hvm"], ["i686", "test", "xen"]]
