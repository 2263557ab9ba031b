"""A service that cannot start says why in one line and exits non-zero."""

import os
import subprocess

from tests.functional.deployment import BIN, RABBIT, RABBIT_VHOST


def test_compute_with_unreachable_libvirt_fails_clearly(tmp_path):
    conf = tmp_path / "compute.conf"
    conf.write_text("\n".join([
        "[DEFAULT]", "host = broken-hv", f"state_path = {tmp_path}",
        "compute_driver = libvirt.LibvirtDriver",
        f"transport_url = rabbit://{RABBIT}/{RABBIT_VHOST}",
        "[libvirt]", "connection_uri = qemu+unix:///system?socket=/nonexistent/libvirt-sock",
        ""]))
    result = subprocess.run([os.path.join(BIN, "minova-compute"), "--config-file", str(conf)],
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "minova-compute could not start: Connection to the hypervisor is broken on host " \
           "broken-hv" in output
    assert "Traceback" not in output


def test_separate_service_refuses_the_in_process_bus(tmp_path):
    conf = tmp_path / "api.conf"
    conf.write_text(f"[DEFAULT]\ntransport_url = fake://\nstate_path = {tmp_path}\n")
    result = subprocess.run([os.path.join(BIN, "minova-scheduler"), "--config-file", str(conf)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "only reaches services in the same process" in result.stderr
