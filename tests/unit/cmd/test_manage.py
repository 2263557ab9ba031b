"""``minova-manage image import``: bytes into the store, active records in the database."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

BIN = os.path.join(os.path.dirname(sys.executable), "minova-manage")


@pytest.fixture
def setup(tmp_path):
    db = tmp_path / "minova.sqlite"
    store = tmp_path / "images"
    conf = tmp_path / "minova.conf"
    conf.write_text(f"[DEFAULT]\nstate_path = {tmp_path}\n"
                    f"[database]\nconnection = sqlite:///{db}\n"
                    f"[image]\nstore_path = {store}\n")

    def run(*args):
        return subprocess.run([BIN, "--config-file", str(conf), *args], capture_output=True,
                              text=True, timeout=120)

    assert run("db", "sync").returncode == 0
    engine = sa.create_engine(f"sqlite:///{db}")
    yield run, engine, store
    engine.dispose()


def _ids(stdout: str) -> dict:
    """role -> id, from the lines the command prints (log lines may be mixed in)."""
    return {line.split()[0]: line.split()[1] for line in stdout.splitlines()
            if line.split()[:1] in (["kernel"], ["ramdisk"], ["image"])}


def _rows(engine) -> dict:
    with engine.connect() as conn:
        return {r.id: r for r in conn.execute(sa.text("SELECT * FROM images"))}


def test_import_kernel_ramdisk_and_disk(setup, tmp_path):
    run, engine, store = setup
    files = {}
    for name, size in (("vmlinuz", 5000), ("initrd", 7000), ("disk.img", 9000)):
        files[name] = os.urandom(size)
        (tmp_path / name).write_bytes(files[name])
    result = run("image", "import", "--name", "tiny", str(tmp_path / "disk.img"),
                 "--kernel", str(tmp_path / "vmlinuz"), "--ramdisk", str(tmp_path / "initrd"),
                 "--property", "hw_disk_bus=virtio")
    assert result.returncode == 0, result.stderr
    ids = _ids(result.stdout)
    assert set(ids) == {"kernel", "ramdisk", "image"}
    rows = _rows(engine)
    kernel, ramdisk, image = rows[ids["kernel"]], rows[ids["ramdisk"]], rows[ids["image"]]
    assert (kernel.disk_format, kernel.container_format, kernel.name) == ("aki", "aki",
                                                                         "tiny-kernel")
    assert (ramdisk.disk_format, ramdisk.container_format) == ("ari", "ari")
    assert (image.disk_format, image.container_format, image.status) == ("ami", "ami",
                                                                         "active")
    props = json.loads(image.properties)
    assert props == {"kernel_id": ids["kernel"], "ramdisk_id": ids["ramdisk"],
                     "os_command_line": "console=ttyS0", "hw_disk_bus": "virtio"}
    for role, name in (("kernel", "vmlinuz"), ("ramdisk", "initrd"), ("image", "disk.img")):
        row = rows[ids[role]]
        assert row.size == len(files[name])
        assert row.checksum == hashlib.md5(files[name]).hexdigest()
        assert row.os_hash_algo == "sha512"
        assert row.os_hash_value == hashlib.sha512(files[name]).hexdigest()
        assert (store / ids[role]).read_bytes() == files[name]
    assert sorted(os.listdir(store)) == sorted(ids.values())


def test_import_plain_disk_guesses_the_format(setup, tmp_path):
    run, engine, _store = setup
    (tmp_path / "a.qcow2").write_bytes(b"QFI\xfb" + b"\0" * 100)
    (tmp_path / "b.raw").write_bytes(b"\0" * 100)
    out_a = run("image", "import", "--name", "a", str(tmp_path / "a.qcow2"))
    out_b = run("image", "import", "--name", "b", str(tmp_path / "b.raw"), "--visibility",
                "private", "--owner", "p1")
    assert out_a.returncode == 0 and out_b.returncode == 0, out_a.stderr + out_b.stderr
    rows = _rows(engine)
    a = rows[_ids(out_a.stdout)["image"]]
    b = rows[_ids(out_b.stdout)["image"]]
    assert (a.disk_format, a.container_format, a.visibility) == ("qcow2", "bare", "public")
    assert (b.disk_format, b.visibility, b.owner) == ("raw", "private", "p1")


@pytest.mark.parametrize("extra", [["--property", "novalue"], ["--kernel", "/no/such/file"]])
def test_import_refuses_bad_arguments(setup, tmp_path, extra):
    run, engine, store = setup
    (tmp_path / "disk").write_bytes(b"x")
    result = run("image", "import", "--name", "x", str(tmp_path / "disk"), *extra)
    assert result.returncode == 2
    assert _rows(engine) == {}
    assert not store.exists() or os.listdir(store) == []
