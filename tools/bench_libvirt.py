#!/usr/bin/env python3
"""Real-guest benchmark: POST -> ACTIVE and POST -> console marker under libvirt.

Starts the multi-process deployment with one libvirt compute (virt_type
qemu, i.e. TCG on machines without usable KVM), uploads the tiny guest
(tools/make-guest-image.sh) through the image API, warms the image cache
with one boot, then boots 1, 5 and 10 guests at once and reports, per
batch, p50/p95 of POST -> ACTIVE and POST -> the guest's marker on its
serial console.

libvirt alone is measured too (define + start of the same tiny domain,
and start -> marker), so minova's own overhead on top of libvirt (image
cache hit, overlay, XML, RPC, database) is shown separately:
overhead = POST -> ACTIVE (one guest) - libvirt's define + start.

    sudo tools/bench_libvirt.py            # needs root: it sets up libvirtd
"""

import concurrent.futures
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import libvirt  # noqa: E402

from tests.functional.deployment import Deployment, wait_for  # noqa: E402
from tests.libvirt import guest as guest_mod  # noqa: E402
from tests.libvirt.test_real_guest import upload_image  # noqa: E402

GUEST_DIR = "/var/tmp/minova-guest"


def p(values, q):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))], 3)


def libvirt_alone(conn, image, workdir: pathlib.Path, runs: int = 3) -> dict:
    """Define + start of the tiny domain and start -> marker, libvirt only."""
    starts, markers = [], []
    for i in range(runs):
        overlay = guest_mod.create_overlay(image["disk"], workdir / f"base{i}.qcow2")
        console = workdir / f"base{i}.log"
        xml = guest_mod.domain_xml(f"minova-bench-{i}", image, overlay, console)
        t0 = time.perf_counter()
        dom = conn.defineXML(xml)
        dom.create()
        started = time.perf_counter()
        wait_for(lambda c=console: guest_mod.READY_MARKER in guest_mod.console_text(c), 60,
                 interval=0.02, message="marker")
        markers.append(time.perf_counter() - started)
        starts.append(started - t0)
        dom.destroy()
        dom.undefine()
    return {"define_start_p50_s": p(starts, 50), "start_to_marker_p50_s": p(markers, 50)}


def boot_batch(deployment, instances_path: pathlib.Path, image_id: str, count: int) -> dict:
    api = deployment.api

    def one(i):
        t0 = time.perf_counter()
        server_id = api.create_server(f"bench-{count}-{i}", flavor="nano", image=image_id)
        console = instances_path / server_id / "console.log"
        active = marker = None
        while marker is None or active is None:
            now = time.perf_counter()
            if active is None:
                server = api.server(server_id)
                if server["status"] == "ERROR":
                    raise AssertionError(server.get("fault"))
                if server["status"] == "ACTIVE":
                    active = now - t0
            if marker is None and console.exists() and \
                    guest_mod.READY_MARKER in guest_mod.console_text(console):
                marker = now - t0
            if now - t0 > 300:
                raise AssertionError(f"{server_id} not ready after 300 s")
            time.sleep(0.02)
        return server_id, active, marker

    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(one, range(count)))
    for server_id, _, _ in results:
        api.delete(f"/v2.1/servers/{server_id}")
    for server_id, _, _ in results:
        api.wait_for_gone(server_id, timeout=120)
    to_active = [r[1] for r in results]
    to_marker = [r[2] for r in results]
    return {"guests": count, "post_to_active_p50_s": p(to_active, 50),
            "post_to_active_p95_s": p(to_active, 95),
            "post_to_marker_p50_s": p(to_marker, 50),
            "post_to_marker_p95_s": p(to_marker, 95),
            "post_to_marker_mean_s": round(statistics.mean(to_marker), 3)}


def main() -> None:
    subprocess.run(["bash", str(REPO / "tools/libvirt-host-setup.sh")], check=True,
                   capture_output=True)
    subprocess.run(["bash", str(REPO / "tools/make-guest-image.sh"), GUEST_DIR], check=True,
                   capture_output=True)
    image = {k: f"{GUEST_DIR}/{n}" for k, n in
             (("kernel", "vmlinuz"), ("initrd", "initrd.img"), ("disk", "disk.raw"))}
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="minova-bench-libvirt-"))
    conn = libvirt.open("qemu:///system")
    print(json.dumps({"libvirt_alone": libvirt_alone(conn, image, tmp)}), flush=True)

    instances = tmp / "instances"
    compute = {"DEFAULT": {"compute_driver": "libvirt.LibvirtDriver",
                           "instances_path": str(instances),
                           # 10 one-vCPU guests on a 2-core host
                           "cpu_allocation_ratio": "8.0"},
               "libvirt": {"virt_type": "qemu", "connection_uri": "qemu:///system"}}
    deployment = Deployment(tmp, backend="mysql", computes=("kvm1",),
                            compute_conf={"kvm1": compute},
                            conf={"DEFAULT": {"report_interval": "10",
                                              "service_down_time": "60"}})
    deployment.start()
    try:
        api = deployment.api
        kernel = upload_image(api, image["kernel"], name="k", disk_format="aki",
                        container_format="aki")
        ramdisk = upload_image(api, image["initrd"], name="r", disk_format="ari",
                         container_format="ari")
        image_id = upload_image(api, image["disk"], name="tiny", disk_format="raw",
                          container_format="bare", kernel_id=kernel, ramdisk_id=ramdisk,
                          os_command_line="console=ttyS0")
        api.post("/v2.1/flavors", {"flavor": {"name": "m1.nano", "id": "nano", "ram": 128,
                                              "vcpus": 1, "disk": 1}})
        boot_batch(deployment, instances, image_id, 1)  # warm the image cache
        for count in (1, 1, 1, 5, 10):
            print(json.dumps(boot_batch(deployment, instances, image_id, count)), flush=True)
    finally:
        deployment.stop()
        deployment.cleanup()
        conn.close()


if __name__ == "__main__":
    main()
