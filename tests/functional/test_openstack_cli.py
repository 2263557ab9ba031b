"""The real ``openstack`` CLI (python-openstackclient) against a real deployment.

Once with noauth2 and etc/clouds.yaml as shipped (port aside), once with a
real Keystone and password clouds: each command is run as a user would run
it, ``-f json`` where it has output, and the answer is what is asserted on.
"""

import hashlib
import json
import os
import subprocess

import pytest

from tests.functional import clouds as clouds_fixture
from tests.functional.deployment import BIN, wait_for

OPENSTACK = os.path.join(BIN, "openstack")
STANDIN_IMAGE = "cirros-standin"


@pytest.fixture(scope="module", params=["noauth2", "keystone"])
def clouds(request, tmp_path_factory):
    with clouds_fixture.started(request.param, tmp_path_factory.mktemp(request.param)) as found:
        yield found


def _env(clouds) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["OS_CLIENT_CONFIG_FILE"] = clouds.config_file
    return env


def run(clouds, role: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSTACK, "--os-cloud", clouds.names[role], *args],
                          capture_output=True, text=True, env=_env(clouds), timeout=180)


def ok(clouds, role: str, *args: str) -> str:
    result = run(clouds, role, *args)
    assert result.returncode == 0, (args, result.stderr[-3000:], result.stdout[-1000:])
    return result.stdout


def as_json(clouds, role: str, *args: str):
    return json.loads(ok(clouds, role, *args, "-f", "json"))


def test_flavors(clouds):
    names = [f["Name"] for f in as_json(clouds, "demo", "flavor", "list")]
    assert names[:5] == ["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"]

    created = as_json(clouds, "admin", "flavor", "create", "--vcpus", "2", "--ram", "256",
                      "--disk", "3", "--id", "cli-1", "cli.small")
    assert (created["id"], created["name"], created["vcpus"], created["ram"],
            created["disk"], created["os-flavor-access:is_public"]) == (
        "cli-1", "cli.small", 2, 256, 3, True)
    assert "cli.small" in [f["Name"] for f in as_json(clouds, "demo", "flavor", "list")]

    # Creating flavors is for admins: the CLI reports Nova's 403.
    refused = run(clouds, "demo", "flavor", "create", "--ram", "1", "--disk", "1", "nope")
    assert refused.returncode != 0 and "403" in refused.stderr

    assert ok(clouds, "admin", "flavor", "delete", "cli.small") == ""
    assert "cli.small" not in [f["Name"] for f in as_json(clouds, "demo", "flavor", "list")]


def test_images(clouds, tmp_path):
    listed = as_json(clouds, "demo", "image", "list")
    assert STANDIN_IMAGE in [i["Name"] for i in listed]

    data = os.urandom(200 * 1024 + 3)
    (tmp_path / "disk.raw").write_bytes(data)
    image = as_json(clouds, "demo", "image", "create", "--file", str(tmp_path / "disk.raw"),
                    "--disk-format", "raw", "--container-format", "bare", "cli-disk")
    assert (image["name"], image["status"], image["size"], image["checksum"]) == (
        "cli-disk", "active", len(data), hashlib.md5(data).hexdigest())
    assert image["owner"] == clouds.project_id("demo")
    assert {"ID": image["id"], "Name": "cli-disk", "Status": "active"} in as_json(
        clouds, "demo", "image", "list")

    # What the api stored is what was uploaded.
    ok(clouds, "demo", "image", "save", "--file", str(tmp_path / "saved"), image["id"])
    assert (tmp_path / "saved").read_bytes() == data


def test_keypair_create(clouds, tmp_path):
    key = as_json(clouds, "demo", "keypair", "create", "--private-key",
                  str(tmp_path / "cli-key.pem"), "cli-key")
    assert key["name"] == "cli-key" and key["type"] == "ssh"
    assert key["user_id"] == clouds.user_id("demo")
    assert key["fingerprint"].count(":") == 15
    assert "PRIVATE KEY-----" in (tmp_path / "cli-key.pem").read_text()
    assert [(k["Name"], k["Fingerprint"]) for k in as_json(clouds, "demo", "keypair", "list")] == [
        ("cli-key", key["fingerprint"])]


def _status(clouds, name: str) -> str:
    return ok(clouds, "demo", "server", "show", "-f", "value", "-c", "status", name).strip()


def test_server_life(clouds):
    server = as_json(clouds, "demo", "server", "create", "--flavor", "m1.tiny",
                     "--image", STANDIN_IMAGE, "--wait", "cli-vm")
    assert (server["name"], server["status"], server["OS-EXT-STS:vm_state"]) == (
        "cli-vm", "ACTIVE", "active")
    assert server["project_id"] == clouds.project_id("demo")
    assert server["flavor"]["name"] == "m1.tiny"
    server_id = server["id"]

    listed = as_json(clouds, "demo", "server", "list")
    assert [(s["ID"], s["Name"], s["Status"], s["Image"], s["Flavor"]) for s in listed] == [
        (server_id, "cli-vm", "ACTIVE", STANDIN_IMAGE, "m1.tiny")]

    shown = as_json(clouds, "demo", "server", "show", server_id)
    assert (shown["id"], shown["status"], shown["OS-EXT-STS:power_state"]) == (
        server_id, "ACTIVE", 1)
    assert shown["user_id"] == clouds.user_id("demo")

    ok(clouds, "demo", "server", "stop", "cli-vm")
    wait_for(lambda: _status(clouds, "cli-vm") == "SHUTOFF", 60, interval=0.5,
             message="cli-vm SHUTOFF")
    ok(clouds, "demo", "server", "start", "cli-vm")
    wait_for(lambda: _status(clouds, "cli-vm") == "ACTIVE", 60, interval=0.5,
             message="cli-vm ACTIVE")
    # --wait polls until the server is ACTIVE again (or says it failed).
    assert ok(clouds, "demo", "server", "reboot", "--wait", "cli-vm").endswith("Complete\n")

    console = ok(clouds, "demo", "console", "log", "show", "cli-vm")
    assert "power off" in console and "power on" in console and "reboot SOFT" in console

    # --wait polls until the rebuilt server is ACTIVE again; its guest booted afresh.
    rebuilt = ok(clouds, "demo", "server", "rebuild", "--image", STANDIN_IMAGE,
                 "--password", "cli-pass", "--wait", "cli-vm")
    assert "Complete\n" in rebuilt and "cli-pass" in rebuilt, rebuilt
    image_id = as_json(clouds, "demo", "image", "show", STANDIN_IMAGE)["id"]
    assert f"rebuilt from image {image_id}" in ok(clouds, "demo", "console", "log", "show",
                                                  "cli-vm")
    assert _status(clouds, "cli-vm") == "ACTIVE"

    ok(clouds, "demo", "server", "delete", "--wait", "cli-vm")
    assert as_json(clouds, "demo", "server", "list") == []


def test_server_lock_and_state(clouds):
    server_id = as_json(clouds, "demo", "server", "create", "--flavor", "m1.tiny",
                        "--image", STANDIN_IMAGE, "--wait", "cli-locked")["id"]
    ok(clouds, "demo", "--os-compute-api-version", "2.73", "server", "lock",
       "--reason", "do not touch", "cli-locked")
    shown = as_json(clouds, "demo", "--os-compute-api-version", "2.73", "server", "show",
                    "cli-locked")
    assert (shown["locked"], shown["locked_reason"]) == (True, "do not touch")
    # The project's stop of a locked server: the CLI reports Nova's 409.
    refused = run(clouds, "demo", "server", "stop", "cli-locked")
    assert refused.returncode != 0 and f"Instance {server_id} is locked" in refused.stderr
    ok(clouds, "demo", "server", "unlock", "cli-locked")
    assert as_json(clouds, "demo", "--os-compute-api-version", "2.73", "server", "show",
                   "cli-locked")["locked"] is False

    # server set --state is os-resetState, for admins.
    refused = run(clouds, "demo", "server", "set", "--auto-approve", "--state", "error",
                  server_id)
    assert refused.returncode != 0 and "403" in refused.stderr
    ok(clouds, "admin", "server", "set", "--auto-approve", "--state", "error", server_id)
    shown = as_json(clouds, "admin", "server", "show", server_id)
    assert (shown["status"], shown["OS-EXT-STS:vm_state"]) == ("ERROR", "error")
    ok(clouds, "admin", "server", "set", "--auto-approve", "--state", "active",
       server_id)
    assert as_json(clouds, "admin", "server", "show", server_id)["status"] == "ACTIVE"
    ok(clouds, "demo", "server", "delete", "--wait", server_id)


def test_server_rescue_and_unrescue(clouds):
    server_id = as_json(clouds, "demo", "server", "create", "--flavor", "m1.tiny",
                        "--image", STANDIN_IMAGE, "--wait", "cli-rescued")["id"]
    ok(clouds, "demo", "server", "rescue", "--image", STANDIN_IMAGE, "--password",
       "cli-rescue", "cli-rescued")
    wait_for(lambda: _status(clouds, "cli-rescued") == "RESCUE", 60, interval=0.5,
             message="cli-rescued RESCUE")
    image_id = as_json(clouds, "demo", "image", "show", STANDIN_IMAGE)["id"]
    assert f"rescue boot from image {image_id}" in ok(clouds, "demo", "console", "log",
                                                      "show", "cli-rescued")
    ok(clouds, "demo", "server", "unrescue", "cli-rescued")
    wait_for(lambda: _status(clouds, "cli-rescued") == "ACTIVE", 60, interval=0.5,
             message="cli-rescued ACTIVE")
    # Unrescue of a server that is not rescued: the CLI reports Nova's 409.
    refused = run(clouds, "demo", "server", "unrescue", "cli-rescued")
    assert refused.returncode != 0 and "409" in refused.stderr
    ok(clouds, "demo", "server", "delete", "--wait", server_id)


def test_admin_views(clouds):
    [hypervisor] = as_json(clouds, "admin", "hypervisor", "list")
    assert (hypervisor["Hypervisor Hostname"], hypervisor["Hypervisor Type"],
            hypervisor["State"]) == ("compute1", "fake", "up")

    services = as_json(clouds, "admin", "compute", "service", "list")
    assert {(s["Binary"], s["Status"], s["State"]) for s in services} == {
        ("minova-conductor", "enabled", "up"), ("minova-scheduler", "enabled", "up"),
        ("minova-compute", "enabled", "up")}
    assert [s["Host"] for s in services if s["Binary"] == "minova-compute"] == ["compute1"]

    refused = run(clouds, "demo", "hypervisor", "list")
    assert refused.returncode != 0 and "403" in refused.stderr


def test_server_group_create(clouds):
    group = as_json(clouds, "demo", "server", "group", "create", "--policy", "anti-affinity",
                    "cli-group")
    assert (group["name"], group["members"]) == ("cli-group", [])
    # One "policy" from 2.64 on, a list of "policies" before.
    if clouds.compute_version() >= (2, 64):
        assert group["policy"] == "anti-affinity"
    else:
        assert group["policies"] == ["anti-affinity"]
    assert group["project_id"] == clouds.project_id("demo")
    assert [g["Name"] for g in as_json(clouds, "demo", "server", "group", "list")] == [
        "cli-group"]


def test_aggregate_create(clouds):
    aggregate = as_json(clouds, "admin", "aggregate", "create", "--zone", "cli-zone",
                        "cli-agg")
    assert (aggregate["name"], aggregate["availability_zone"], aggregate["hosts"]) == (
        "cli-agg", "cli-zone", [])
    listed = as_json(clouds, "admin", "aggregate", "list")
    assert [(a["Name"], a["Availability Zone"]) for a in listed] == [("cli-agg", "cli-zone")]


def test_quota_show(clouds):
    # No project and no --compute, as against Nova: the CLI takes the project
    # from its token and asks only the services the catalog names (under
    # noauth2, the catalog of minova's own /identity).
    quotas = as_json(clouds, "demo", "quota", "show")
    limits = {q["Resource"]: q["Limit"] for q in quotas}
    # Nova's defaults (clouds.started sets them back).
    assert (limits["instances"], limits["cores"], limits["ram"], limits["key-pairs"],
            limits["server-groups"]) == (10, 20, 51200, 100, 10)

    # An admin names another project.
    named = as_json(clouds, "admin", "quota", "show", "--compute", clouds.project_id("demo"))
    assert {q["Resource"]: q["Limit"] for q in named} == limits


def test_limits_show_absolute(clouds):
    absolute = {row["Name"]: row["Value"]
                for row in as_json(clouds, "demo", "limits", "show", "--absolute")}
    assert (absolute["max_total_instances"], absolute["max_total_cores"],
            absolute["max_total_ram_size"], absolute["max_total_keypairs"],
            absolute["max_server_groups"]) == (10, 20, 51200, 100, 10)
    # Usage is the caller's project's own.
    groups = as_json(clouds, "demo", "server", "group", "list")
    assert absolute["total_server_groups_used"] == len(groups)
    servers = as_json(clouds, "demo", "server", "list")
    assert absolute["total_instances_used"] == len(servers)
