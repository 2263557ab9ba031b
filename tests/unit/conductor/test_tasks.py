"""The conductor's build orchestration on a real (SQLite) database.

The scheduler and compute RPC clients are replaced by recording fakes
(fakes.py, the ``conductor`` fixture of conftest.py): the conductor's job
here is what it writes and whom it casts to, and the real RPC paths are
exercised by the functional tests.
"""

import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import manager
from minova.conductor.tasks import build as build_task
from minova.db import actions as db_actions
from minova.db import instances, models
from tests.unit.conductor import fakes
from tests.unit.conductor.fakes import selection as _selection
from tests.unit.db.helpers import make_node


def _create(conductor, ctxt, count=1, flavor_ref="1", az=None):
    result = conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": flavor_ref,
                    "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b"},
        count=count, request_spec={"availability_zone": az, "scheduler_hints": {}})
    return result["instances"], result["request_spec"]


def test_create_records_building_instances_and_actions(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    created, spec = _create(conductor, ctxt, count=2)
    assert [i["display_name"] for i in created] == ["vm-1", "vm-2"]
    assert all(i["vm_state"] == "building" and i["task_state"] == "scheduling" for i in created)
    assert spec["flavor"]["memory_mb"] == 512 and spec["num_instances"] == 2
    assert db_actions.actions_get(created[0]["uuid"])[0]["request_id"] == ctxt.request_id


@pytest.mark.parametrize("kwargs, error", [
    ({"flavor_ref": "999"}, exception.FlavorNotFoundForBuild),
    ({"az": "nowhere"}, exception.AvailabilityZoneNotFound),
])
def test_create_rejects_and_writes_nothing(conductor, ctxt_factory, sqlite_db, kwargs, error):
    with pytest.raises(error) as err:
        _create(conductor, ctxt_factory(), **kwargs)
    assert err.value.code == 400
    with sqlite_db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(models.instances)).scalar() == 0


def test_create_keeps_what_later_microversions_show(conductor, ctxt_factory):
    """The zone asked for (2.96), the hints (2.100) and trusted certs (2.63)
    stay on the instance whatever placement does with the zone."""
    make_node("h1")
    created = conductor.create_instances(
        ctxt_factory(), base={"display_name": "vm", "flavor_ref": "1",
                              "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b",
                              "trusted_certs": ["c1"]},
        count=1, request_spec={"availability_zone": "nova",
                               "scheduler_hints": {"foo": "bar"}})["instances"][0]
    stored = instances.get(ctxt_factory(), created["uuid"])
    assert stored["pinned_availability_zone"] == "nova"
    assert stored["scheduler_hints"] == {"foo": "bar"}
    assert stored["trusted_certs"] == ["c1"]


def test_create_with_a_requested_destination(conductor, ctxt_factory, sqlite_db):
    node = make_node("h1")
    created = conductor.create_instances(
        ctxt_factory(), base={"display_name": "vm", "flavor_ref": "1",
                              "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b"},
        count=1, request_spec={"availability_zone": None, "scheduler_hints": {},
                               "requested_destination": {
                                   "host": "h1", "node": node["hypervisor_hostname"]}})
    assert created["request_spec"]["requested_destination"] == {
        "host": "h1", "node": node["hypervisor_hostname"]}
    with pytest.raises(exception.RequestedDestinationNotFound) as err:
        conductor.create_instances(
            ctxt_factory(), base={"display_name": "vm2", "flavor_ref": "1",
                                  "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b"},
            count=1, request_spec={"availability_zone": None, "scheduler_hints": {},
                                   "requested_destination": {"host": "h2", "node": None}})
    assert err.value.code == 400
    with sqlite_db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(models.instances)).scalar() == 1


def test_build_claims_primary_and_casts_with_alternates(conductor, ctxt_factory):
    n1, n2 = make_node("h1"), make_node("h2")
    [inst], spec = _create(conductor, ctxt_factory())
    conductor.scheduler_api.answers.append(
        {"selections": [[_selection(n1), _selection(n2)]], "decisions": [{"winner": "h1"}]})
    conductor.build_instances(ctxt_factory(), [inst["uuid"]], spec)
    [(host, uuid, alternates)] = conductor.compute_api.builds
    assert host == "h1" and uuid == inst["uuid"] and alternates == [_selection(n2)]
    assert instances.get(ctxt_factory(), uuid)["host"] == "h1"


def test_full_primary_falls_back_to_alternate(conductor, ctxt_factory):
    full, spare = make_node("h1", vcpus=0), make_node("h2")
    [inst], spec = _create(conductor, ctxt_factory())
    conductor.scheduler_api.answers.append(
        {"selections": [[_selection(full), _selection(spare)]], "decisions": [None]})
    conductor.build_instances(ctxt_factory(), [inst["uuid"]], spec)
    assert conductor.compute_api.builds[0][0] == "h2"


def test_no_valid_host_ends_in_error_with_fault(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append(exception.NoValidHost(
        reason="There are not enough hosts available: RamFilter removed 2 of 2 hosts"))
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    shown = instances.get(ctxt, inst["uuid"])
    assert shown["vm_state"] == "error" and shown["task_state"] is None
    assert "RamFilter removed 2 of 2 hosts" in shown["fault"]["message"]
    action = db_actions.action_get_by_request_id(inst["uuid"], ctxt.request_id)
    assert action["message"] == "Error"
    assert conductor.compute_api.builds == []


def test_failed_spawn_reschedules_to_alternate_then_errors(conductor, ctxt_factory, sqlite_db):
    from minova.db import claims

    n1, n2 = make_node("h1"), make_node("h2")
    ctxt = ctxt_factory()
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append(
        {"selections": [[_selection(n1), _selection(n2)]], "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    host, uuid, alternates = conductor.compute_api.builds[-1]
    fakes.task_manager().build_started(ctxt, uuid, host)
    conductor.build_failed(ctxt, uuid, host, host, "boom", "tb", spec, alternates, True)
    assert conductor.compute_api.builds[-1][0] == "h2"
    assert claims.get_for_node(n1["id"]) == [] and len(claims.get_for_node(n2["id"])) == 1
    # The second failure exhausts max_attempts (2 of 3 tried, no alternates, scheduler: none)
    fakes.task_manager().build_started(ctxt, uuid, "h2")
    conductor.scheduler_api.answers.append(exception.NoValidHost(reason="none left"))
    conductor.build_failed(ctxt, uuid, "h2", "h2", "boom again", "tb", spec, [], True)
    shown = instances.get(ctxt, uuid)
    assert shown["vm_state"] == "error" and shown["host"] is None
    assert "Last error: boom again" in shown["fault"]["message"]
    # The host is for admins: in the details (hidden from others), not the message.
    assert "h2" not in shown["fault"]["message"]
    assert shown["fault"]["details"].startswith("On compute host h2:\n")
    assert claims.get_for_node(n2["id"]) == []


def test_delete_while_scheduling_is_local_and_leaves_nothing(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.delete_instance(ctxt, inst["uuid"])
    with pytest.raises(exception.InstanceNotFound):
        instances.get(ctxt, inst["uuid"])
    # The build that was already on its way finds nothing to claim for.
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    assert conductor.compute_api.builds == []
    from minova.db import claims
    assert claims.get_for_node(n1["id"]) == []


def test_delete_of_placed_instance_casts_terminate_to_its_up_host(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    conductor.delete_instance(ctxt, inst["uuid"])
    assert conductor.compute_api.terminates == [("h1", inst["uuid"])]
    assert instances.get(ctxt, inst["uuid"])["task_state"] == "deleting"
    conductor.delete_instance(ctxt, inst["uuid"])  # a second delete is a no-op
    assert len(conductor.compute_api.terminates) == 1


def test_delete_on_down_host_is_local(conductor, ctxt_factory, sqlite_db):
    from minova.db import claims

    ctxt = ctxt_factory()
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.services).values(forced_down=True))
    conductor.delete_instance(ctxt, inst["uuid"])
    assert conductor.compute_api.terminates == []
    assert claims.get_for_node(n1["id"]) == []


def _active_instance(conductor, ctxt):
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    tasks = fakes.task_manager()
    tasks.build_started(ctxt, inst["uuid"], "h1")
    tasks.build_finished(ctxt, inst["uuid"], "h1", 1, root_device_name="/dev/vda")
    return inst["uuid"], manager.ConductorManager("cond1")


def test_build_finished_records_the_root_device(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _ = _active_instance(conductor, ctxt)
    row = instances.get(ctxt, uuid)
    assert (row["vm_state"], row["root_device_name"]) == ("active", "/dev/vda")


def test_lifecycle_action_is_a_compare_and_swap_with_one_winner(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, cond = _active_instance(conductor, ctxt)
    started = conductor.start_instance_action(ctxt, uuid, "stop", ["active", "error"], [None],
                                              "powering-off")
    assert started["task_state"] == "powering-off"
    with pytest.raises(exception.InstanceInvalidState) as err:
        conductor.start_instance_action(ctxt, uuid, "pause", ["active"], [None], "pausing")
    assert "task_state powering-off" in err.value.format_message()
    cond.instance_action_finish(ctxt, uuid, "compute_stop_instance", "h1",
                                {"vm_state": "stopped", "task_state": None,
                                 "power_state": 4}, ["powering-off"])
    shown = instances.get(ctxt, uuid)
    assert (shown["vm_state"], shown["task_state"], shown["power_state"]) == ("stopped", None, 4)
    [stop, create] = db_actions.actions_get(uuid)
    assert stop["action"] == "stop" and stop["finish_time"] is not None


def test_lifecycle_action_of_other_project_is_not_found(conductor, ctxt_factory):
    uuid, _ = _active_instance(conductor, ctxt_factory())
    with pytest.raises(exception.InstanceNotFound):
        conductor.start_instance_action(ctxt_factory(project="p2"), uuid, "stop", ["active"],
                                        [None], "powering-off")


def test_failed_lifecycle_action_records_fault_and_error_event(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, cond = _active_instance(conductor, ctxt)
    conductor.start_instance_action(ctxt, uuid, "pause", ["active"], [None], "pausing")
    cond.instance_action_finish(ctxt, uuid, "compute_pause_instance", "h1",
                                {"task_state": None, "power_state": 1}, ["pausing"],
                                error="libvirt said no", traceback="tb")
    action = db_actions.action_get_by_request_id(uuid, ctxt.request_id)
    assert action["message"] == "Error"
    shown = instances.get(ctxt, uuid)
    assert shown["vm_state"] == "active" and shown["task_state"] is None


def test_another_projects_private_image_cannot_be_booted(conductor, ctxt_factory):
    from minova.db import images as db_images

    private = db_images.image_create({"name": "secret", "status": "active",
                                      "visibility": "private", "owner": "p2",
                                      "disk_format": "raw", "container_format": "bare",
                                      "min_disk": 0, "min_ram": 0, "protected": False})
    with pytest.raises(exception.ImageNotFoundForBuild):
        conductor.create_instances(
            ctxt_factory(project="p1"), base={"display_name": "vm", "flavor_ref": "1",
                                              "image_ref": private["id"]},
            count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})
    created = conductor.create_instances(
        ctxt_factory(project="p2"), base={"display_name": "vm", "flavor_ref": "1",
                                          "image_ref": private["id"]},
        count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})
    assert created["request_spec"]["image"]["id"] == private["id"]


def test_scheduler_crash_ends_in_error_not_build(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append(RuntimeError("scheduler bug"))
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    shown = instances.get(ctxt, inst["uuid"])
    assert shown["vm_state"] == "error"
    assert "scheduling failed: RuntimeError: scheduler bug" in shown["fault"]["message"]


def test_failed_cast_to_compute_ends_in_error_and_frees_the_claim(conductor, ctxt_factory):
    from minova.db import claims

    ctxt = ctxt_factory()
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})

    def refuse(*args, **kwargs):
        raise ConnectionError("broker unreachable")
    conductor.compute_api.build_and_run_instance = refuse
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    shown = instances.get(ctxt, inst["uuid"])
    assert shown["vm_state"] == "error"
    assert shown["fault"]["message"] == "Could not send the build to its compute host"
    assert shown["fault"]["details"] == (
        "On compute host h1:\nConnectionError: broker unreachable")
    assert claims.get_for_node(n1["id"]) == []


def test_unexpected_error_while_claiming_ends_in_error(conductor, ctxt_factory, monkeypatch):
    ctxt = ctxt_factory()
    n1 = make_node("h1")
    [inst], spec = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[_selection(n1)]],
                                            "decisions": [None]})

    def broken_claim(*args, **kwargs):
        raise OSError("database connection lost")
    monkeypatch.setattr(build_task.db_claims, "claim", broken_claim)
    conductor.build_instances(ctxt, [inst["uuid"]], spec)
    shown = instances.get(ctxt, inst["uuid"])
    assert shown["vm_state"] == "error"
    assert "Build failed in the conductor: OSError" in shown["fault"]["message"]


# --- multi-create with min_count: claim all first, then cast, or fail all

def _create_several(conductor, ctxt, count, min_count):
    result = conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": "1",
                    "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b"},
        count=count, request_spec={"availability_zone": None, "scheduler_hints": {},
                                   "min_count": min_count})
    return [i["uuid"] for i in result["instances"]], result["request_spec"]


def _allocations(sqlite_db) -> int:
    with sqlite_db.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(models.allocations)).scalar()


def _recording_builds(conductor, sqlite_db) -> list:
    """Each cast as (host, uuid, allocations in the database when it was sent, spec)."""
    casts = []

    def build(ctxt, host, instance, node, request_spec, alternates):
        casts.append((host, instance["uuid"], _allocations(sqlite_db), request_spec))
    conductor.compute_api.build_and_run_instance = build
    return casts


def test_multi_create_claims_every_instance_before_casting_any(conductor, ctxt_factory,
                                                              sqlite_db):
    n1, n2 = make_node("h1"), make_node("h2")
    ctxt = ctxt_factory()
    uuids, spec = _create_several(conductor, ctxt, 3, 2)
    assert spec["min_count"] == 2
    casts = _recording_builds(conductor, sqlite_db)
    conductor.scheduler_api.answers.append({
        "selections": [[_selection(n1), _selection(n2)], [_selection(n2)], [_selection(n1)]],
        "decisions": [{"winner": "h1"}, {"winner": "h2"}, {"winner": "h1"}]})
    conductor.build_instances(ctxt, uuids, spec)
    assert [(host, uuid) for host, uuid, _, _ in casts] == list(zip(["h1", "h2", "h1"], uuids,
                                                                     strict=True))
    assert [allocated for _, _, allocated, _ in casts] == [3, 3, 3]
    # Each compute gets its instance's own spec, to reschedule it alone.
    assert [(s["instance_uuids"], s["num_instances"], s["min_count"]) for *_, s in casts] == \
        [([u], 1, 1) for u in uuids]
    assert len(conductor.scheduler_api.calls) == 1


def test_multi_create_builds_what_got_a_host_when_min_count_is_met(conductor, ctxt_factory,
                                                                  sqlite_db):
    n1, n2 = make_node("h1"), make_node("h2")
    ctxt = ctxt_factory()
    uuids, spec = _create_several(conductor, ctxt, 3, 2)
    casts = _recording_builds(conductor, sqlite_db)
    reason = ("There are not enough hosts available: RamFilter removed 2 of 2 hosts "
              "(placed 2 of 3 instances before none was left, min_count 2)")
    conductor.scheduler_api.answers.append({
        "selections": [[_selection(n1)], [_selection(n2)], []],
        "decisions": [None, None, {"winner": None, "reason": reason}]})
    conductor.build_instances(ctxt, uuids, spec)
    assert [uuid for _, uuid, _, _ in casts] == uuids[:2]
    unplaced = instances.get(ctxt, uuids[2])
    assert unplaced["vm_state"] == "error" and unplaced["host"] is None
    assert unplaced["fault"]["message"] == "No valid host was found. " + reason
    assert _allocations(sqlite_db) == 2


def test_multi_create_instance_that_loses_its_claim_fails_alone(conductor, ctxt_factory,
                                                                sqlite_db):
    n1, full = make_node("h1"), make_node("h3", vcpus=0)
    ctxt = ctxt_factory()
    uuids, spec = _create_several(conductor, ctxt, 3, 2)
    casts = _recording_builds(conductor, sqlite_db)
    conductor.scheduler_api.answers += [
        {"selections": [[_selection(n1)], [_selection(n1)], [_selection(full)]],
         "decisions": [None, None, None]},
        exception.NoValidHost(reason="There are not enough hosts available: none left")]
    conductor.build_instances(ctxt, uuids, spec)
    assert [uuid for _, uuid, _, _ in casts] == uuids[:2]
    # The lost claim asked the scheduler again, for that instance alone.
    rescheduled, asked_for = conductor.scheduler_api.calls[1]
    assert asked_for == [uuids[2]] and rescheduled["min_count"] == 1
    lost = instances.get(ctxt, uuids[2])
    assert lost["vm_state"] == "error"
    assert lost["fault"]["message"] == ("No valid host was found. There are not enough hosts "
                                        "available: none left")


def test_multi_create_below_min_count_gives_back_every_claim_and_fails_all(
        conductor, ctxt_factory, sqlite_db):
    n1, full = make_node("h1"), make_node("h3", vcpus=0)
    ctxt = ctxt_factory()
    uuids, spec = _create_several(conductor, ctxt, 3, 3)
    casts = _recording_builds(conductor, sqlite_db)
    conductor.scheduler_api.answers += [
        {"selections": [[_selection(n1)], [_selection(n1)], [_selection(full)]],
         "decisions": [None, None, None]},
        exception.NoValidHost(reason="There are not enough hosts available: none left")]
    conductor.build_instances(ctxt, uuids, spec)
    assert casts == []
    assert _allocations(sqlite_db) == 0
    with sqlite_db.connect() as conn:
        node = conn.execute(sa.select(models.compute_nodes).where(
            models.compute_nodes.c.id == n1["id"])).one()
    assert (node.vcpus_used, node.memory_mb_used, node.local_gb_used, node.running_vms) == \
        (0, 0, 0, 0)
    for uuid in uuids:
        shown = instances.get(ctxt, uuid)
        assert (shown["vm_state"], shown["task_state"], shown["host"], shown["node"]) == \
            ("error", None, None, None)
        assert shown["fault"]["message"] == (
            "No valid host was found. There are not enough hosts available: none left "
            "(placed 2 of 3, min_count 3)")
        assert db_actions.action_get_by_request_id(uuid, ctxt.request_id)["message"] == "Error"


def test_multi_create_below_min_count_at_the_scheduler_claims_nothing(conductor, ctxt_factory,
                                                                      sqlite_db):
    make_node("h1")
    ctxt = ctxt_factory()
    uuids, spec = _create_several(conductor, ctxt, 2, 2)
    conductor.scheduler_api.answers.append(exception.NoValidHost(
        reason="There are not enough hosts available: RamFilter removed 1 of 1 hosts "
               "(placed 1 of 2 instances before none was left)"))
    conductor.build_instances(ctxt, uuids, spec)
    assert conductor.compute_api.builds == [] and _allocations(sqlite_db) == 0
    assert {instances.get(ctxt, u)["vm_state"] for u in uuids} == {"error"}


def test_create_fixes_hostname_and_takes_kernel_ramdisk_from_the_image(conductor,
                                                                        ctxt_factory):
    """API 2.3's extended attributes are stored at create, as Nova does."""
    from minova.db import images as db_images

    image = db_images.image_create({
        "name": "aki", "status": "active", "visibility": "public", "owner": "p1",
        "disk_format": "ami", "container_format": "ami", "min_disk": 0, "min_ram": 0,
        "protected": False, "properties": {"kernel_id": "k-1", "ramdisk_id": "r-1"}})
    created = conductor.create_instances(
        ctxt_factory(), base={"display_name": "Web Server_1", "flavor_ref": "1",
                              "image_ref": image["id"], "user_data": "aGVsbG8="},
        count=2, request_spec={"availability_zone": None, "scheduler_hints": {}})
    rows = [instances.get(ctxt_factory(), i["uuid"]) for i in created["instances"]]
    assert [r["hostname"] for r in rows] == ["web-server-1-1", "web-server-1-2"]
    assert {(r["kernel_id"], r["ramdisk_id"], r["user_data"]) for r in rows} == {
        ("k-1", "r-1", "aGVsbG8=")}
    [plain], _ = _create(conductor, ctxt_factory())
    assert (plain["kernel_id"], plain["ramdisk_id"]) == (None, None)


def test_create_keeps_a_given_hostname_and_the_images_properties(conductor, ctxt_factory):
    """API 2.90: the hostname asked for wins over the name's; 2.98: the image's
    properties are copied as Nova's image_* system metadata, unprefixed."""
    from minova.db import images as db_images

    image = db_images.image_create({
        "name": "cirros", "status": "active", "visibility": "public", "owner": "p1",
        "disk_format": "qcow2", "container_format": "bare", "min_disk": 0, "min_ram": 64,
        "protected": False, "properties": {"os_distro": "cirros", "hw_disk_bus": "virtio"}})
    created = conductor.create_instances(
        ctxt_factory(), base={"display_name": "Web Server", "flavor_ref": "1",
                              "image_ref": image["id"], "hostname": "db.example.org"},
        count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})
    stored = instances.get(ctxt_factory(), created["instances"][0]["uuid"])
    assert stored["hostname"] == "db.example.org"
    assert stored["image_properties"] == {
        "os_distro": "cirros", "hw_disk_bus": "virtio", "min_ram": "64",
        "min_disk": "1",  # the flavor's root disk
        "disk_format": "qcow2", "container_format": "bare", "base_image_ref": image["id"]}
    db_images.image_update(image["id"], {}, properties={"os_distro": "changed"})
    assert instances.get(ctxt_factory(), stored["uuid"])["image_properties"][
        "os_distro"] == "cirros"


@pytest.mark.parametrize("image_values, error, message", [
    ({"min_ram": 1024 * 1024}, exception.FlavorMemoryTooSmall,
     "Flavor's memory is too small for requested image."),
    ({"min_disk": 100000}, exception.FlavorDiskSmallerThanMinDisk,
     "Flavor's disk is smaller than the minimum size specified in image metadata. "
     "Flavor disk is {disk} bytes, minimum size is 107374182400000 bytes."),
    ({"size": 1024 ** 5}, exception.FlavorDiskSmallerThanImage,
     "Flavor's disk is too small for requested image. Flavor disk is {disk} bytes, "
     "image is 1125899906842624 bytes."),
])
def test_image_the_flavor_cannot_hold_is_refused(conductor, ctxt_factory, sqlite_db,
                                                 image_values, error, message):
    """As Nova's _validate_flavor_image_nostatus: a 400 before anything is written."""
    from minova.db import flavors as db_flavors
    from minova.db import images as db_images

    values = {"name": "big", "status": "active", "visibility": "public",
              "disk_format": "raw", "container_format": "bare", "min_disk": 0,
              "min_ram": 0, "protected": False}
    values.update(image_values)
    image = db_images.image_create(values)
    with pytest.raises(error) as err:
        conductor.create_instances(
            ctxt_factory(), base={"display_name": "vm", "flavor_ref": "1",
                                  "image_ref": image["id"]},
            count=1, request_spec={"availability_zone": None, "scheduler_hints": {}})
    disk = db_flavors.flavor_get("1")["root_gb"] * 1024 ** 3
    assert err.value.code == 400
    assert err.value.format_message() == message.format(disk=disk)
    with sqlite_db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(models.instances)).scalar() == 0
