"""LibvirtDriver against libvirt's test:///default driver and a real qemu-img."""

import concurrent.futures
import json
import os
import subprocess
import xml.etree.ElementTree as ET

import libvirt
import pytest
from oslo_config import cfg

from minova import exception
from minova.objects import states
from minova.virt import driver as virt_driver
from minova.virt.libvirt import LibvirtDriver, config
from tests.unit.virt.libvirt.fakes import RAW_BYTES, domain, domain_exists

CONF = cfg.CONF
NS = {"nova": config.NOVA_NS}


def _qemu_img_info(path) -> dict:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture
def raw_image(image_api):
    return image_api.add(RAW_BYTES, disk_format="raw")


@pytest.fixture
def running(drv, ctxt, make_instance, raw_image):
    """A spawned instance."""
    instance = make_instance(image_ref=raw_image["id"])
    drv.spawn(ctxt, instance, raw_image)
    return instance


def test_loaded_by_name(libvirt_conf, image_api):
    drv = virt_driver.load_compute_driver("libvirt.LibvirtDriver", image_api=image_api)
    assert isinstance(drv, LibvirtDriver)
    assert drv.image_api is image_api


# --- spawn and destroy


def test_spawn_defines_and_starts_the_domain(drv, ctxt, make_instance, raw_image,
                                             libvirt_conf):
    instance = make_instance(name="web </name>&", image_ref=raw_image["id"])
    drv.spawn(ctxt, instance, raw_image)

    dom = domain(instance["uuid"])
    assert dom.isActive() and dom.isPersistent()
    assert dom.name() == f"instance-{instance['id']:08x}"
    assert drv.get_info(instance) == {"state": states.RUNNING}
    root = ET.fromstring(dom.XMLDesc(0))
    assert root.get("type") == "qemu"
    instance_dir = libvirt_conf / instance["uuid"]
    assert root.find("devices/disk/source").get("file") == str(instance_dir / "disk")
    assert root.find("devices/serial/source").get("path") == str(instance_dir / "console.log")
    assert root.findtext("metadata/nova:instance/nova:name", namespaces=NS) == "web </name>&"
    assert root.findtext("metadata/nova:instance/nova:owner/nova:user",
                         namespaces=NS) == "alice"


def test_spawn_creates_a_qcow2_overlay_on_the_cached_base(drv, ctxt, make_instance, raw_image,
                                                           libvirt_conf):
    instance = make_instance(root_gb=2, image_ref=raw_image["id"])
    drv.spawn(ctxt, instance, raw_image)
    info = _qemu_img_info(libvirt_conf / instance["uuid"] / "disk")
    base = drv._image_cache.path_for(raw_image["id"])
    assert base.startswith(str(libvirt_conf / "_base") + os.sep)
    assert info["format"] == "qcow2"
    assert info["backing-filename"] == base
    assert info["backing-filename-format"] == "raw"
    assert info["virtual-size"] == 2 * 1024 ** 3
    assert open(base, "rb").read() == RAW_BYTES


def test_spawn_from_qcow2_keeps_image_size_when_root_gb_is_zero(
        drv, ctxt, make_instance, image_api, qcow2_bytes, libvirt_conf):
    image = image_api.add(qcow2_bytes, disk_format="qcow2")
    instance = make_instance(root_gb=0)
    drv.spawn(ctxt, instance, image)
    info = _qemu_img_info(libvirt_conf / instance["uuid"] / "disk")
    assert info["backing-filename-format"] == "qcow2"
    assert info["virtual-size"] == 64 * 1024 * 1024


def test_base_image_is_downloaded_once_for_many_instances(drv, ctxt, make_instance, raw_image,
                                                          libvirt_conf):
    instances = [make_instance(name=f"vm{i}") for i in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda inst: drv.spawn(ctxt, inst, raw_image), instances))
    assert len([d for d in drv.image_api.downloads if d[0] == raw_image["id"]]) == 1
    base = drv._image_cache.path_for(raw_image["id"])
    for inst in instances:
        assert _qemu_img_info(libvirt_conf / inst["uuid"] / "disk")["backing-filename"] == base
        assert drv.get_info(inst)["state"] == states.RUNNING


def test_direct_kernel_boot_fetches_kernel_and_ramdisk(drv, ctxt, make_instance, image_api,
                                                       libvirt_conf):
    kernel = image_api.add(b"kernel bytes", disk_format="aki")
    ramdisk = image_api.add(b"ramdisk bytes", disk_format="ari")
    image = image_api.add(RAW_BYTES, disk_format="ami", kernel_id=kernel["id"],
                          ramdisk_id=ramdisk["id"], os_command_line="console=ttyS0 rdinit=/init")
    instance = make_instance()
    drv.spawn(ctxt, instance, image)

    instance_dir = libvirt_conf / instance["uuid"]
    root = ET.fromstring(domain(instance["uuid"]).XMLDesc(0))
    assert root.findtext("os/kernel") == str(instance_dir / "kernel")
    assert root.findtext("os/initrd") == str(instance_dir / "ramdisk")
    assert root.findtext("os/cmdline") == "console=ttyS0 rdinit=/init"
    assert (instance_dir / "kernel").read_bytes() == b"kernel bytes"
    assert (instance_dir / "ramdisk").read_bytes() == b"ramdisk bytes"
    assert kernel["id"] in image_api.gets and ramdisk["id"] in image_api.gets
    assert os.path.exists(drv._image_cache.path_for(kernel["id"]))


def test_missing_kernel_image_aborts_the_build(drv, ctxt, make_instance, image_api,
                                               libvirt_conf):
    image = image_api.add(RAW_BYTES, disk_format="ami", kernel_id="no-such-kernel")
    instance = make_instance()
    with pytest.raises(exception.BuildAbortException) as err:
        drv.spawn(ctxt, instance, image)
    assert "no-such-kernel" in str(err.value)
    assert not (libvirt_conf / instance["uuid"]).exists()
    assert not domain_exists(instance["uuid"])


@pytest.mark.parametrize("disk_format", ["vmdk", "iso", None])
def test_unusable_image_format_aborts_the_build(drv, ctxt, make_instance, image_api,
                                                disk_format):
    image = image_api.add(RAW_BYTES, disk_format=disk_format)
    instance = make_instance()
    with pytest.raises(exception.BuildAbortException):
        drv.spawn(ctxt, instance, image)
    assert image_api.downloads == []
    assert not domain_exists(instance["uuid"])


def test_qcow2_image_with_backing_file_aborts_the_build(drv, ctxt, make_instance, image_api,
                                                        tmp_path, libvirt_conf):
    evil = tmp_path / "evil.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F",
                    "raw", str(evil)], check=True)
    image = image_api.add(evil.read_bytes(), disk_format="qcow2")
    instance = make_instance()
    with pytest.raises(exception.BuildAbortException) as err:
        drv.spawn(ctxt, instance, image)
    assert "backing file" in str(err.value)
    assert not (libvirt_conf / instance["uuid"]).exists()


def test_flavor_disk_smaller_than_image_aborts_the_build(drv, ctxt, make_instance, image_api,
                                                         tmp_path):
    big = tmp_path / "big.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(big), "3G"], check=True)
    image = image_api.add(big.read_bytes(), disk_format="qcow2")
    with pytest.raises(exception.BuildAbortException) as err:
        drv.spawn(ctxt, make_instance(root_gb=1), image)
    assert "smaller than" in str(err.value)


def test_download_failure_is_not_an_abort(drv, ctxt, make_instance, image_api, raw_image,
                                          libvirt_conf):
    image_api.fail_with = exception.ImageDownloadFailed(image_id=raw_image["id"],
                                                        reason="connection reset")
    instance = make_instance()
    with pytest.raises(exception.ImageDownloadFailed):
        drv.spawn(ctxt, instance, raw_image)
    assert not (libvirt_conf / instance["uuid"]).exists()
    assert not os.path.exists(drv._image_cache.path_for(raw_image["id"]))


def test_failure_after_define_undefines_and_removes_the_directory(
        drv, ctxt, make_instance, raw_image, libvirt_conf, monkeypatch):
    instance = make_instance()
    defined = []

    def failing_create(dom, *args):
        defined.append(dom.UUIDString())
        raise libvirt.libvirtError("qemu exited: could not open disk")

    monkeypatch.setattr(libvirt.virDomain, "create", failing_create)
    with pytest.raises(libvirt.libvirtError):
        drv.spawn(ctxt, instance, raw_image)
    assert defined == [instance["uuid"]]  # it was defined before create failed
    assert not domain_exists(instance["uuid"])
    assert not (libvirt_conf / instance["uuid"]).exists()


def test_destroy_removes_domain_and_directory(drv, ctxt, running, libvirt_conf):
    instance_dir = libvirt_conf / running["uuid"]
    assert instance_dir.is_dir() and domain_exists(running["uuid"])
    drv.destroy(ctxt, running)
    assert not domain_exists(running["uuid"])
    assert not instance_dir.exists()
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(running)
    # The cached base stays for the next instance.
    assert os.path.exists(drv._image_cache.path_for(running["image_ref"]))


def test_destroy_of_a_missing_domain_succeeds(drv, ctxt, make_instance, libvirt_conf):
    instance = make_instance()
    (libvirt_conf / instance["uuid"]).mkdir(parents=True)  # a half-built instance
    drv.destroy(ctxt, instance)
    drv.destroy(ctxt, instance)
    assert not (libvirt_conf / instance["uuid"]).exists()


def test_destroy_of_a_stopped_and_of_a_suspended_guest(drv, ctxt, running, make_instance,
                                                       raw_image):
    drv.power_off(ctxt, running, timeout=0)
    drv.destroy(ctxt, running)
    assert not domain_exists(running["uuid"])
    other = make_instance()
    drv.spawn(ctxt, other, raw_image)
    drv.suspend(ctxt, other)
    drv.destroy(ctxt, other)  # the managed save image goes with it
    assert not domain_exists(other["uuid"])


def test_a_non_canonical_uuid_never_names_a_path(drv, ctxt):
    with pytest.raises(exception.InvalidInput):
        drv.destroy(ctxt, {"uuid": "../../etc", "id": 1})


# --- state and listing


def test_list_instance_uuids_only_lists_minova_guests(drv, ctxt, running):
    conn = libvirt.open("test:///default")
    assert "test" in [d.name() for d in conn.listAllDomains(0)]
    assert drv.list_instance_uuids() == [running["uuid"]]


def test_get_info_of_missing_instance(drv, make_instance):
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(make_instance())


# --- lifecycle actions


def test_power_off_acpi_then_power_on(drv, ctxt, running):
    drv.power_off(ctxt, running, timeout=30)
    assert drv.get_info(running)["state"] == states.SHUTDOWN
    drv.power_off(ctxt, running, timeout=30)  # already off: nothing to do
    drv.power_on(ctxt, running)
    assert drv.get_info(running)["state"] == states.RUNNING
    drv.power_on(ctxt, running)  # already on: nothing to do
    assert drv.get_info(running)["state"] == states.RUNNING


def test_power_off_timeout_zero_destroys_at_once(drv, ctxt, running, monkeypatch):
    calls = []
    monkeypatch.setattr(libvirt.virDomain, "shutdown",
                        lambda dom, *a: calls.append("shutdown"))
    drv.power_off(ctxt, running, timeout=0)
    assert calls == []
    assert drv.get_info(running)["state"] == states.SHUTDOWN


def test_power_off_falls_back_to_destroy_when_acpi_is_ignored(drv, ctxt, running,
                                                              monkeypatch):
    calls = []
    monkeypatch.setattr(libvirt.virDomain, "shutdown",
                        lambda dom, *a: calls.append("shutdown"))  # the guest ignores it
    drv.power_off(ctxt, running, timeout=0.05)
    assert calls and calls[0] == "shutdown"
    assert drv.get_info(running)["state"] == states.SHUTDOWN


def test_power_off_of_a_paused_guest(drv, ctxt, running):
    drv.pause(ctxt, running)
    drv.power_off(ctxt, running, timeout=30)
    assert drv.get_info(running)["state"] == states.SHUTDOWN


def _spy(monkeypatch, name, calls):
    original = getattr(libvirt.virDomain, name)

    def spy(dom, *args):
        calls.append(name)
        return original(dom, *args)

    monkeypatch.setattr(libvirt.virDomain, name, spy)


def test_soft_reboot_is_acpi_shutdown_and_start(drv, ctxt, running, monkeypatch):
    calls = []
    for name in ("shutdown", "destroy", "create"):
        _spy(monkeypatch, name, calls)
    drv.reboot(ctxt, running, "SOFT")
    assert calls == ["shutdown", "create"]
    assert drv.get_info(running)["state"] == states.RUNNING


def test_soft_reboot_falls_back_to_hard(drv, ctxt, running, monkeypatch):
    CONF.set_override("wait_soft_reboot_seconds", 0, group="libvirt")
    calls = []
    monkeypatch.setattr(libvirt.virDomain, "shutdown",
                        lambda dom, *a: calls.append("shutdown"))  # the guest ignores it
    for name in ("destroy", "create"):
        _spy(monkeypatch, name, calls)
    drv.reboot(ctxt, running, "SOFT")
    assert calls == ["shutdown", "destroy", "create"]
    assert drv.get_info(running)["state"] == states.RUNNING


def test_hard_reboot_destroys_and_starts(drv, ctxt, running, monkeypatch):
    calls = []
    for name in ("shutdown", "destroy", "create"):
        _spy(monkeypatch, name, calls)
    drv.reboot(ctxt, running, "HARD")
    assert calls == ["destroy", "create"]
    assert drv.get_info(running)["state"] == states.RUNNING


def test_hard_reboot_of_a_stopped_guest_starts_it(drv, ctxt, running):
    drv.power_off(ctxt, running, timeout=0)
    drv.reboot(ctxt, running, "HARD")
    assert drv.get_info(running)["state"] == states.RUNNING


def test_pause_and_unpause(drv, ctxt, running):
    drv.pause(ctxt, running)
    assert drv.get_info(running)["state"] == states.POWER_PAUSED
    with pytest.raises(exception.InstanceInvalidState):
        drv.pause(ctxt, running)
    drv.unpause(ctxt, running)
    assert drv.get_info(running)["state"] == states.RUNNING
    with pytest.raises(exception.InstanceInvalidState):
        drv.unpause(ctxt, running)


def test_suspend_and_resume_use_managed_save(drv, ctxt, running):
    drv.suspend(ctxt, running)
    dom = domain(running["uuid"])
    assert not dom.isActive() and dom.hasManagedSaveImage(0)
    assert drv.get_info(running)["state"] == states.POWER_SUSPENDED
    drv.resume(ctxt, running)
    assert drv.get_info(running)["state"] == states.RUNNING
    assert not dom.hasManagedSaveImage(0)
    with pytest.raises(exception.InstanceInvalidState):
        drv.resume(ctxt, running)


def test_suspend_a_paused_guest_resumes_running(drv, ctxt, running):
    drv.pause(ctxt, running)
    drv.suspend(ctxt, running)
    drv.resume(ctxt, running)
    assert drv.get_info(running)["state"] == states.RUNNING


def test_power_off_of_a_suspended_guest_drops_its_memory(drv, ctxt, running):
    drv.suspend(ctxt, running)
    drv.power_off(ctxt, running, timeout=30)
    assert drv.get_info(running)["state"] == states.SHUTDOWN
    assert not domain(running["uuid"]).hasManagedSaveImage(0)


@pytest.mark.parametrize("action", ["power_on", "pause", "unpause", "suspend", "resume"])
def test_actions_on_missing_instance(drv, ctxt, make_instance, action):
    with pytest.raises(exception.InstanceNotFound):
        getattr(drv, action)(ctxt, make_instance())


def test_reboot_and_power_off_of_missing_instance(drv, ctxt, make_instance):
    with pytest.raises(exception.InstanceNotFound):
        drv.reboot(ctxt, make_instance(), "HARD")
    with pytest.raises(exception.InstanceNotFound):
        drv.power_off(ctxt, make_instance(), timeout=0)


# --- console


def test_console_output(drv, ctxt, running, libvirt_conf):
    log = libvirt_conf / running["uuid"] / "console.log"
    assert drv.get_console_output(ctxt, running) == ""  # nothing printed yet
    log.write_bytes(b"[    0.000000] Linux version 6.1\nminova guest booted \xff\n")
    assert drv.get_console_output(ctxt, running) == (
        "[    0.000000] Linux version 6.1\nminova guest booted \ufffd\n")


def test_console_output_keeps_the_end_of_a_long_log(drv, ctxt, running, libvirt_conf):
    log = libvirt_conf / running["uuid"] / "console.log"
    log.write_bytes(b"old\n" * 100_000 + b"newest line\n")
    out = drv.get_console_output(ctxt, running)
    assert out.endswith("newest line\n")
    assert len(out) <= 100 * 1024


def test_console_output_missing_log(drv, ctxt, make_instance):
    assert drv.get_console_output(ctxt, make_instance()) == ""


def test_console_output_never_follows_a_link_outside(drv, ctxt, running, libvirt_conf,
                                                     tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("host secret")
    log = libvirt_conf / running["uuid"] / "console.log"
    log.unlink()
    log.symlink_to(secret)
    assert drv.get_console_output(ctxt, running) == ""


# --- host


def test_available_nodes(drv):
    assert drv.get_available_nodes() == ["testhost"]


def test_available_resource(drv, libvirt_conf):
    res = drv.get_available_resource("testhost")
    conn = libvirt.open("test:///default")
    info = conn.getInfo()
    fs = os.statvfs(libvirt_conf)
    assert res["vcpus"] == info[2] == 16
    assert res["memory_mb"] == info[1]  # the test driver has no getMemoryStats
    assert res["local_gb"] == fs.f_frsize * fs.f_blocks // 1024 ** 3
    assert res["hypervisor_type"] == "QEMU"
    assert res["hypervisor_version"] == conn.getVersion()
    assert json.loads(res["cpu_info"]) == {"arch": "i686", "model": None, "vendor": None}
    assert res["supported_instances"] == [["i686", "test", "hvm"], ["i686", "test", "xen"]]
    assert res["host_ip"] == "192.0.2.7"  # [DEFAULT] my_ip


def test_memory_from_node_memory_stats_when_available(drv, monkeypatch):
    seen = []

    def stats(conn, cell, flags=0):
        seen.append(cell)
        return {"total": 16 * 1024 * 1024, "free": 1024}

    monkeypatch.setattr(libvirt.virConnect, "getMemoryStats", stats)
    assert drv.get_available_resource("testhost")["memory_mb"] == 16 * 1024
    assert seen == [libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS]


def test_init_host_with_unreachable_libvirt(libvirt_conf, image_api):
    CONF.set_override("connection_uri", "test:///nonexistent/path/to/config.xml",
                      group="libvirt")
    drv = LibvirtDriver(image_api=image_api)
    with pytest.raises(exception.HypervisorUnavailable) as err:
        drv.init_host("compute-7")
    assert "compute-7" in str(err.value)
    assert "test:///nonexistent/path/to/config.xml" in str(err.value)


def test_cache_image_downloads_once_ahead_of_builds(drv, ctxt, raw_image):
    """API 2.81: the base lands in the image cache; a second request finds it."""
    assert drv.cache_image(ctxt, raw_image) is True
    assert os.path.exists(drv._image_cache.path_for(raw_image["id"]))
    assert drv.cache_image(ctxt, raw_image) is False
    assert len([d for d in drv.image_api.downloads if d[0] == raw_image["id"]]) == 1
