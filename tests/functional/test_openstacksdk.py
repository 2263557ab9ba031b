"""openstacksdk's ``conn.compute`` and ``conn.image`` proxies against a real deployment.

The flow of test_openstack_cli.py, through the library instead of the
CLI: noauth2 with etc/clouds.yaml (port aside), and a real Keystone with
password clouds. The SDK negotiates the microversion itself (up to
minova's 2.53) and parses every answer into its resources, so a shape it
does not expect shows up here as a missing or wrong attribute.
"""

import hashlib
import os

import openstack
import openstack.config
import pytest
from openstack import exceptions as sdk_exceptions

from tests.functional import clouds as clouds_fixture
from tests.functional.deployment import wait_for

STANDIN_IMAGE = "cirros-standin"


@pytest.fixture(scope="module", params=["noauth2", "keystone"])
def clouds(request, tmp_path_factory):
    with clouds_fixture.started(request.param, tmp_path_factory.mktemp(request.param)) as found:
        yield found


@pytest.fixture(scope="module")
def conns(clouds):
    """role -> an openstack.connection.Connection on that role's cloud."""
    config = openstack.config.OpenStackConfig(config_files=[clouds.config_file],
                                              vendor_files=[])
    made = {role: openstack.connection.Connection(config=config.get_one(name))
            for role, name in clouds.names.items()}
    yield made
    for conn in made.values():
        conn.close()


def test_flavors(clouds, conns):
    admin, demo = conns["admin"], conns["demo"]
    names = [f.name for f in demo.compute.flavors()]
    assert names[:5] == ["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"]

    flavor = admin.compute.create_flavor(name="sdk.small", id="sdk-1", vcpus=2, ram=256,
                                         disk=3)
    assert (flavor.id, flavor.name, flavor.vcpus, flavor.ram, flavor.disk,
            flavor.is_public) == ("sdk-1", "sdk.small", 2, 256, 3, True)
    assert demo.compute.find_flavor("sdk.small").id == "sdk-1"

    with pytest.raises(sdk_exceptions.ForbiddenException):
        demo.compute.create_flavor(name="nope", vcpus=1, ram=1, disk=1)

    admin.compute.delete_flavor("sdk-1")
    assert demo.compute.find_flavor("sdk.small") is None


def test_images(clouds, conns):
    demo = conns["demo"]
    assert STANDIN_IMAGE in [i.name for i in demo.image.images()]

    data = os.urandom(200 * 1024 + 3)
    image = demo.image.create_image("sdk-disk", data=data, disk_format="raw",
                                    container_format="bare", wait=True)
    image = demo.image.get_image(image.id)
    assert (image.name, image.status, image.size, image.checksum) == (
        "sdk-disk", "active", len(data), hashlib.md5(data).hexdigest())
    assert image.owner_id == clouds.project_id("demo")
    assert image.id in [i.id for i in demo.image.images(name="sdk-disk")]
    assert demo.image.download_image(image).content == data


def test_keypair_create(clouds, conns):
    demo = conns["demo"]
    key = demo.compute.create_keypair(name="sdk-key")
    assert (key.name, key.type) == ("sdk-key", "ssh")
    assert key.user_id == clouds.user_id("demo")
    assert "PRIVATE KEY-----" in key.private_key
    assert [(k.name, k.fingerprint) for k in demo.compute.keypairs()] == [
        ("sdk-key", key.fingerprint)]


def test_server_life(clouds, conns):
    compute = conns["demo"].compute
    image = conns["demo"].image.find_image(STANDIN_IMAGE)
    flavor = compute.find_flavor("m1.tiny")
    server = compute.create_server(name="sdk-vm", image_id=image.id, flavor_id=flavor.id,
                                   networks="auto")
    server = compute.wait_for_server(server, status="ACTIVE", wait=60)
    assert (server.name, server.status, server.vm_state) == ("sdk-vm", "ACTIVE", "active")
    assert server.project_id == clouds.project_id("demo")
    assert server.user_id == clouds.user_id("demo")
    assert server.flavor.original_name == "m1.tiny" and server.image.id == image.id

    assert [(s.id, s.name, s.status) for s in compute.servers()] == [
        (server.id, "sdk-vm", "ACTIVE")]
    assert compute.get_server(server.id).power_state == 1
    # Where it runs is for admins to see.
    assert compute.get_server(server.id).hypervisor_hostname is None
    assert conns["admin"].compute.get_server(server.id).hypervisor_hostname == "compute1"

    # wait_for_server looks at the object it is given before polling: give
    # it the server as it is once the action is accepted.
    compute.stop_server(server)
    compute.wait_for_server(compute.get_server(server.id), status="SHUTOFF", wait=60)
    compute.start_server(server)
    compute.wait_for_server(compute.get_server(server.id), status="ACTIVE", wait=60)
    # The api sets the task state before it answers: ACTIVE with none is
    # after the reboot (the fake driver may finish before the first look).
    compute.reboot_server(server, "HARD")
    wait_for(lambda: (lambda s: s.status == "ACTIVE" and s.task_state is None)(
        compute.get_server(server.id)), 60, message="sdk-vm rebooted")

    output = compute.get_server_console_output(server)["output"]
    assert "power off" in output and "power on" in output and "reboot HARD" in output

    compute.delete_server(server)
    compute.wait_for_delete(server, wait=60)
    assert list(compute.servers()) == []


def test_admin_views(clouds, conns):
    admin = conns["admin"].compute
    [hypervisor] = admin.hypervisors(details=True)
    assert (hypervisor.name, hypervisor.hypervisor_type, hypervisor.state) == (
        "compute1", "fake", "up")

    services = list(admin.services())
    assert {(s.binary, s.status, s.state) for s in services} == {
        ("minova-conductor", "enabled", "up"), ("minova-scheduler", "enabled", "up"),
        ("minova-compute", "enabled", "up")}
    assert [s.host for s in services if s.binary == "minova-compute"] == ["compute1"]

    with pytest.raises(sdk_exceptions.ForbiddenException):
        list(conns["demo"].compute.hypervisors())


def test_server_group_create(clouds, conns):
    compute = conns["demo"].compute
    group = compute.create_server_group(name="sdk-group", policy="anti-affinity")
    assert (group.name, group.policy, group.member_ids) == ("sdk-group", "anti-affinity", [])
    assert group.project_id == clouds.project_id("demo")
    assert [g.name for g in compute.server_groups()] == ["sdk-group"]


def test_aggregate_create(clouds, conns):
    compute = conns["admin"].compute
    aggregate = compute.create_aggregate(name="sdk-agg", availability_zone="sdk-zone")
    assert (aggregate.name, aggregate.availability_zone) == ("sdk-agg", "sdk-zone")
    # Nova's answer to a create has no hosts or metadata; a show has both.
    shown = compute.get_aggregate(aggregate.id)
    assert (shown.hosts, shown.metadata) == ([], {"availability_zone": "sdk-zone"})
    assert [(a.name, a.availability_zone) for a in compute.aggregates()] == [
        ("sdk-agg", "sdk-zone")]


def test_quota_show(clouds, conns):
    quotas = conns["demo"].compute.get_quota_set(clouds.project_id("demo"))
    # Nova's default quotas.
    assert (quotas.instances, quotas.cores, quotas.ram, quotas.key_pairs) == (
        10, 20, 51200, 100)
