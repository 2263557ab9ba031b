"""Fixtures for tests against a real libvirtd and the tiny test guest.

* ``libvirt_host`` (session): runs tools/libvirt-host-setup.sh once, returns
  the URI ``"qemu:///system"``.
* ``guest_image`` (session): runs tools/make-guest-image.sh into a cached
  directory (``$MINOVA_GUEST_DIR``, default /var/tmp/minova-guest) and returns
  ``{"kernel": ..., "initrd": ..., "disk": ...}`` (absolute paths, str).
* ``libvirt_conn`` (session): an open ``virConnect`` to ``libvirt_host``.
* ``deploy`` (function): the functional tests' multi-process deployment
  factory (tests/functional/conftest.py), for tests that boot real guests
  through minova.
* ``tiny_guest`` (function): a factory; ``tiny_guest()`` defines (does not
  start) a 128 MiB guest on a qcow2 overlay of the image's disk, with its serial
  console in a file, and returns a :class:`TinyGuest`. Every guest it made is
  destroyed and undefined, and its files removed, when the test ends.

Nothing here skips: a host that cannot be set up fails the test, with the
script's output.
"""

import dataclasses
import os
import pathlib
import subprocess
import uuid

import libvirt
import pytest

from tests.functional.conftest import deploy  # noqa: F401  (multi-process deployments)
from tests.libvirt import guest as guest_mod

REPO = pathlib.Path(__file__).resolve().parents[2]
LIBVIRT_URI = "qemu:///system"
GUEST_DIR = os.environ.get("MINOVA_GUEST_DIR", "/var/tmp/minova-guest")


def _run_script(args, timeout):
    try:
        proc = subprocess.run(args, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(map(str, args))} timed out after {timeout} s\n"
                    f"stdout:\n{exc.stdout}\nstderr:\n{exc.stderr}", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} failed with exit status {proc.returncode}\n"
                    f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}", pytrace=False)
    return proc.stdout


@pytest.fixture(scope="session")
def libvirt_host():
    """Set this machine up as a libvirt/QEMU host (idempotent); the URI to connect to."""
    _run_script(["bash", str(REPO / "tools" / "libvirt-host-setup.sh")], timeout=1200)
    return LIBVIRT_URI


@pytest.fixture(scope="session")
def guest_image():
    """The tiny guest's kernel, initramfs and raw root disk, built once and cached."""
    out = _run_script(["bash", str(REPO / "tools" / "make-guest-image.sh"), GUEST_DIR],
                      timeout=1200)
    paths = {}
    for key, name in (("kernel", "vmlinuz"), ("initrd", "initrd.img"), ("disk", "disk.raw")):
        path = pathlib.Path(GUEST_DIR, name).resolve()
        assert str(path) in out.split(), f"make-guest-image.sh did not report {path}:\n{out}"
        assert path.is_file() and path.stat().st_size > 0, f"{path} missing or empty"
        paths[key] = str(path)
    return paths


@pytest.fixture(scope="session")
def libvirt_conn(libvirt_host):
    # libvirt prints every error on stderr by default, expected ones included;
    # the exceptions carry them anyway.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    conn = libvirt.open(libvirt_host)
    try:
        yield conn
    finally:
        conn.close()


@dataclasses.dataclass
class TinyGuest:
    name: str
    dom: libvirt.virDomain
    overlay: pathlib.Path
    console_log: pathlib.Path

    def state(self):
        """(state, reason), e.g. (libvirt.VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED)."""
        return tuple(self.dom.state())

    def console(self):
        return guest_mod.console_text(self.console_log)

    def wait_ready(self, count=1, timeout=120):
        """Wait until the console shows the ready marker ``count`` times (one per boot)."""
        try:
            guest_mod.wait_for(lambda: guest_mod.marker_count(self.console_log) >= count,
                               timeout, what=f"{guest_mod.READY_MARKER} #{count} on {self.name}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nconsole:\n{self.console()[-3000:]}") from None

    def wait_state(self, state, timeout=60):
        guest_mod.wait_for(lambda: self.dom.state()[0] == state, timeout,
                           what=f"{self.name} to reach state {state}")


def _cleanup_domain(conn, name):
    try:
        dom = conn.lookupByName(name)
    except libvirt.libvirtError:
        return
    try:
        if dom.isActive():
            dom.destroy()
    except libvirt.libvirtError:
        pass
    try:
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                          | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
    except libvirt.libvirtError:
        pass


@pytest.fixture
def tiny_guest(libvirt_conn, guest_image, tmp_path):
    made = []

    def make(name=None, **xml_kwargs):
        name = name or f"minova-test-{uuid.uuid4().hex[:8]}"
        overlay = guest_mod.create_overlay(guest_image["disk"], tmp_path / f"{name}.qcow2")
        console_log = tmp_path / f"{name}.console.log"
        made.append((name, overlay, console_log))
        xml = guest_mod.domain_xml(name, guest_image, overlay, console_log, **xml_kwargs)
        dom = libvirt_conn.defineXML(xml)
        return TinyGuest(name=name, dom=dom, overlay=overlay, console_log=console_log)

    yield make
    for name, overlay, console_log in made:
        try:
            _cleanup_domain(libvirt_conn, name)
        finally:
            overlay.unlink(missing_ok=True)
            console_log.unlink(missing_ok=True)
