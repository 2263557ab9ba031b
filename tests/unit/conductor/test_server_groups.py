"""Server groups in the conductor: endpoints over RPC, hints resolved for the
scheduler, members added at create, and hard policies kept at claim time."""

import copy

import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import rpcapi, scheduler_hints, server_groups
from minova.db import claims, engine, instances, models
from minova.db import server_groups as db_groups
from tests import fake_bus
from tests.unit.conductor.fakes import FakeScheduler
from tests.unit.conductor.fakes import selection as _selection
from tests.unit.db.helpers import make_instance, make_node

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
TINY = {"vcpus": 1, "memory_mb": 512, "disk_gb": 1}


class SpecRecordingScheduler(FakeScheduler):
    """Keeps a copy of each spec as it was when select_destinations was called."""

    def select_destinations(self, ctxt, spec, uuids):
        answer = super().select_destinations(ctxt, spec, uuids)
        self.calls[-1] = (copy.deepcopy(spec), list(uuids))
        return answer


@pytest.fixture
def scheduler_api():
    """The ``conductor`` fixture's scheduler (conftest.py)."""
    return SpecRecordingScheduler()


def _create(conductor, ctxt, count=1, hints=None):
    result = conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": "1", "image_ref": IMAGE},
        count=count, request_spec={"availability_zone": None,
                                   "scheduler_hints": dict(hints or {})})
    return result["instances"], result["request_spec"]


def _count(table) -> int:
    with engine.get_engine().connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


# --- the endpoints, as the api reaches them


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "sg-test", [server_groups.ServerGroupManager()]):
        yield rpcapi.ConductorAPI()


def test_server_group_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    mine, theirs = ctxt_factory(project="p1"), ctxt_factory(project="p2")
    group = conductor_api.server_group_create(mine, "web", "anti-affinity",
                                              {"max_server_per_host": 2})
    assert group["rules"] == {"max_server_per_host": 2} and group["members"] == []
    assert conductor_api.server_group_get(mine, group["uuid"]) == group
    other = conductor_api.server_group_create(theirs, "db", "affinity")
    assert [g["uuid"] for g in conductor_api.server_group_get_all(mine)] == [group["uuid"]]
    admin = ctxt_factory(admin=True)
    assert [g["uuid"] for g in conductor_api.server_group_get_all(
        admin, all_projects=True, limit=1, offset=1)] == [other["uuid"]]
    with pytest.raises(exception.InstanceGroupNotFound):  # crosses RPC as itself
        conductor_api.server_group_get(mine, other["uuid"])
    with pytest.raises(exception.InstanceGroupNotFound):
        conductor_api.server_group_delete(mine, other["uuid"])
    conductor_api.server_group_delete(mine, group["uuid"])
    assert conductor_api.server_group_get_all(mine) == []


# --- hints resolved before each scheduling round


def test_resolve_without_hints_sets_empty_keys(sqlite_db, ctxt_factory):
    spec = scheduler_hints.resolve(ctxt_factory(), {"scheduler_hints": {}})
    assert spec["instance_group"] is None
    assert spec["hint_hosts"] == {"same_host": [], "different_host": []}


def test_resolve_hint_hosts_only_of_visible_live_placed_instances(sqlite_db, ctxt_factory):
    mine, theirs = ctxt_factory(project="p1"), ctxt_factory(project="p2")
    h1, h2, h3 = make_node("h1"), make_node("h2"), make_node("h3")
    on_h1, on_h2, gone = (make_instance(mine) for _ in range(3))
    unplaced, other_project = make_instance(mine), make_instance(theirs)
    for inst, node in ((on_h1, h1), (on_h2, h2), (gone, h3), (other_project, h3)):
        claims.claim(inst["uuid"], node["id"], node["host"], node["host"], TINY)
    with engine.transaction() as conn:
        instances.soft_delete(gone["uuid"], conn)
    hints = {"same_host": on_h1["uuid"],  # one uuid, as Nova also accepts
             "different_host": [on_h2["uuid"], gone["uuid"], unplaced["uuid"],
                                other_project["uuid"], "00000000-0000-0000-0000-000000000000"]}
    spec = scheduler_hints.resolve(mine, {"scheduler_hints": hints})
    assert spec["hint_hosts"] == {"same_host": ["h1"], "different_host": ["h2"]}
    admin_spec = scheduler_hints.resolve(ctxt_factory(admin=True), {"scheduler_hints": hints})
    assert admin_spec["hint_hosts"]["different_host"] == ["h2", "h3"]


def test_resolve_group_is_fresh_and_none_once_deleted(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    h1 = make_node("h1")
    group = db_groups.create(ctxt, "web", "anti-affinity")
    spec = {"scheduler_hints": {"group": group["uuid"]}}
    assert scheduler_hints.resolve(ctxt, spec)["instance_group"] == {
        "uuid": group["uuid"], "name": "web", "policy": "anti-affinity", "rules": {},
        "members": [], "hosts": []}
    [inst] = instances.create(ctxt, [_row(ctxt)], group_uuid=group["uuid"])
    claims.claim(inst["uuid"], h1["id"], "h1", "h1", TINY)
    resolved = scheduler_hints.resolve(ctxt, spec)["instance_group"]
    assert resolved["members"] == [inst["uuid"]] and resolved["hosts"] == ["h1"]
    db_groups.delete(ctxt, group["uuid"])
    assert scheduler_hints.resolve(ctxt, spec)["instance_group"] is None


def _row(ctxt) -> dict:
    from tests.unit.db.helpers import FLAVOR

    return {"display_name": "vm", "project_id": ctxt.project_id, "user_id": ctxt.user_id,
            "image_ref": None, "flavor": FLAVOR, "vcpus": 1, "memory_mb": 512,
            "root_gb": 1, "ephemeral_gb": 0, "vm_state": "building",
            "task_state": "scheduling", "power_state": 0, "metadata": {},
            "config_drive": ""}


# --- create and build


def test_create_with_group_hint_adds_every_instance_as_member(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "anti-affinity")
    created, spec = _create(conductor, ctxt, count=3, hints={"group": group["uuid"]})
    assert db_groups.get(ctxt, group["uuid"])["members"] == [i["uuid"] for i in created]
    assert spec["scheduler_hints"] == {"group": group["uuid"]}


@pytest.mark.parametrize("whose", ["missing", "other project"])
def test_create_with_unusable_group_hint_is_400_and_writes_nothing(conductor, ctxt_factory,
                                                                    whose):
    group_uuid = "3f1b1c7e-2d0a-4bb8-9a55-0c6d8f0e9b21"
    if whose == "other project":
        group_uuid = db_groups.create(ctxt_factory(project="p2"), "theirs", "affinity")["uuid"]
    with pytest.raises(exception.InstanceGroupNotFoundForBuild) as info:
        _create(conductor, ctxt_factory(project="p1"), count=2, hints={"group": group_uuid})
    assert info.value.code == 400
    assert info.value.format_message() == f"Instance group {group_uuid} could not be found."
    assert _count(models.instances) == 0 and _count(models.instance_actions) == 0
    assert _count(models.instance_group_members) == 0


def test_every_scheduling_round_gets_the_group_fresh(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    n1, n2 = make_node("h1"), make_node("h2")
    group = db_groups.create(ctxt, "web", "anti-affinity")
    [first], spec1 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    [second], spec2 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    scheduler = conductor.scheduler_api
    scheduler.answers += [{"selections": [[_selection(n1)]]},
                          {"selections": [[_selection(n2)]]}]
    conductor.build_instances(ctxt, [first["uuid"]], spec1)
    conductor.build_instances(ctxt, [second["uuid"]], spec2)
    (seen1, _), (seen2, _) = scheduler.calls
    assert seen1["instance_group"]["hosts"] == []
    assert seen1["instance_group"]["members"] == [first["uuid"], second["uuid"]]
    assert seen2["instance_group"]["hosts"] == ["h1"]  # the first member's claim
    assert seen2["hint_hosts"] == {"same_host": [], "different_host": []}
    assert [b[0] for b in conductor.compute_api.builds] == ["h1", "h2"]


def test_claim_keeps_anti_affinity_when_the_scheduler_does_not(conductor, ctxt_factory):
    """A scheduler without the group filters picks h1 for both members: the
    second's claim is refused there and it takes its alternate."""
    ctxt = ctxt_factory()
    n1, n2 = make_node("h1"), make_node("h2")
    group = db_groups.create(ctxt, "web", "anti-affinity")
    [first], spec1 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    [second], spec2 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    conductor.scheduler_api.answers += [
        {"selections": [[_selection(n1)]]},
        {"selections": [[_selection(n1), _selection(n2)]]}]
    conductor.build_instances(ctxt, [first["uuid"]], spec1)
    conductor.build_instances(ctxt, [second["uuid"]], spec2)
    assert instances.get(ctxt, second["uuid"])["host"] == "h2"
    assert [b[0] for b in conductor.compute_api.builds] == ["h1", "h2"]


def test_member_with_no_host_left_ends_in_error(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    n1 = make_node("h1")
    group = db_groups.create(ctxt, "web", "anti-affinity")
    [first], spec1 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    [second], spec2 = _create(conductor, ctxt, hints={"group": group["uuid"]})
    conductor.scheduler_api.answers += [{"selections": [[_selection(n1)]]}] + [
        {"selections": [[_selection(n1)]]} for _ in range(10)]
    conductor.build_instances(ctxt, [first["uuid"]], spec1)
    conductor.build_instances(ctxt, [second["uuid"]], spec2)
    shown = instances.get(ctxt, second["uuid"])
    assert shown["vm_state"] == "error" and shown["host"] is None
    assert shown["fault"]["message"].startswith("No valid host was found.")
    assert [b[0] for b in conductor.compute_api.builds] == ["h1"]
    # every round after a refused claim asked again, with the group read fresh
    assert all(spec["instance_group"]["hosts"] == ["h1"]
               for spec, _ in conductor.scheduler_api.calls[1:])
