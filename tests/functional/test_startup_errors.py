"""A service that cannot start says why in one line and exits non-zero."""

import os
import signal
import socket
import subprocess
import time

import pytest

from tests.functional import stop_bounds
from tests.functional.deployment import BIN, RABBIT, RABBIT_VHOST, wait_for


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


@pytest.mark.parametrize("binary", ["minova-all-in-one", "minova-api"])
def test_a_taken_api_port_is_one_line_naming_the_option(tmp_path, binary):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        # the all-in-one's own bus is fake://; a separate api refuses that one
        bus = "fake://" if binary == "minova-all-in-one" else f"rabbit://{RABBIT}/{RABBIT_VHOST}"
        conf = tmp_path / "minova.conf"
        conf.write_text("\n".join([
            "[DEFAULT]", f"state_path = {tmp_path}", f"osapi_compute_listen_port = {port}",
            f"transport_url = {bus}", ""]))
        result = subprocess.run([os.path.join(BIN, binary), "--config-file", str(conf)],
                                capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, MINOVA_CONCURRENCY="threading"))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    [line] = [line for line in output.splitlines() if " ERROR " in line]
    assert line.endswith(
        f"{binary} could not start: cannot listen on 127.0.0.1:{port}: Address already in "
        "use; stop what holds it (another minova-api or minova-all-in-one?) or set "
        "[DEFAULT] osapi_compute_listen_port (and osapi_compute_listen) to a free one"), output
    assert "Traceback" not in output and "OSError" not in output
    if binary == "minova-all-in-one":
        # It listens before starting anything else: nothing to start and stop again.
        assert "started" not in output, output


def test_sigterm_while_waiting_for_the_conductor_is_a_clean_stop(tmp_path):
    """A scheduler whose conductor does not answer yet waits to start; a SIGTERM
    then (systemd stopping a unit still starting) ends the wait at once and
    the process exits 0, without waiting out the attempt in flight."""
    conf = tmp_path / "scheduler.conf"
    # A virtual host no conductor listens on: register is never answered.
    conf.write_text(f"[DEFAULT]\nhost = lonely\nstate_path = {tmp_path}\n"
                    f"transport_url = rabbit://{RABBIT}/{RABBIT_VHOST}\n")
    log = tmp_path / "scheduler.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([os.path.join(BIN, "minova-scheduler"), "--config-file",
                                 str(conf)], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "Waiting for the conductor to answer" in log.read_text(), 60,
                 message="the scheduler waiting for the conductor")
        proc.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        code = proc.wait(60)
        seconds = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    text = log.read_text()
    assert code == 0, text
    assert "minova-scheduler was stopped before it started" in text
    assert "Traceback" not in text
    # Attempts wait up to 30 s each; the stop did not wait for one to end.
    assert seconds < stop_bounds.IDLE, f"{seconds:.1f} s:\n{text}"
