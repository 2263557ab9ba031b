"""The conductor's part of a cold migration or resize, on a real SQLite
database: the checks (400/409, nothing changed), the record and the claim,
every report of the compute hosts, confirm, revert, the failures, a delete
mid-move; the hosts' usage exact after each (the scheduler and compute
clients are recording fakes)."""

import pytest
import sqlalchemy as sa

from minova import exception
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import instances as db_instances
from minova.db import models
from minova.db import server_migrations as db_migrations
from minova.db.engine import get_engine
from tests.unit.conductor import fakes
from tests.unit.db.helpers import make_instance, make_node


class MovingCompute(fakes.FakeCompute):
    moves_allowed = True

    def __init__(self):
        super().__init__()
        self.casts = []

    def can_move(self):
        return self.moves_allowed

    def prep_resize(self, ctxt, host, instance, migration, flavor):
        self.casts.append(("prep_resize", host, migration["uuid"], flavor["flavorid"]))

    def confirm_resize(self, ctxt, host, instance, migration):
        self.casts.append(("confirm_resize", host, migration["uuid"]))

    def revert_resize(self, ctxt, host, instance, migration):
        self.casts.append(("revert_resize", host, migration["uuid"]))


@pytest.fixture
def compute_api():
    return MovingCompute()


@pytest.fixture
def nodes(sqlite_db):
    return {h: make_node(h, vcpus=8, memory_mb=8192, local_gb=100) for h in ("h1", "h2")}


def _placed(ctxt, nodes, vm_state="active"):
    """An instance (m1.tiny) claimed on h1, idle in ``vm_state``."""
    inst = make_instance(ctxt)
    db_claims.claim(inst["uuid"], nodes["h1"]["id"], "h1", "h1",
                    {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    db_instances.update(inst["uuid"], {"vm_state": vm_state, "task_state": None,
                                       "power_state": 1 if vm_state == "active" else 4})
    return db_instances.get(ctxt, inst["uuid"])


def _usage() -> dict:
    n = models.compute_nodes.c
    with get_engine().connect() as conn:
        return {r.host: (r.vcpus_used, r.memory_mb_used, r.running_vms)
                for r in conn.execute(sa.select(n.host, n.vcpus_used, n.memory_mb_used,
                                                n.running_vms))}


def _allocations() -> dict:
    a, n = models.allocations.c, models.compute_nodes.c
    with get_engine().connect() as conn:
        return {r.instance_uuid: (r.host, r.memory_mb) for r in conn.execute(
            sa.select(a.instance_uuid, n.host, a.memory_mb).join(
                models.compute_nodes, n.id == a.compute_node_id))}


def _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref=None, host=None):
    scheduler_api.answers.append({"selections": [[fakes.selection(nodes["h2"])]],
                                  "decisions": [{"winner": "h2"}]})
    answered = conductor.migrate_server(ctxt, inst["uuid"], flavor_ref=flavor_ref, host=host)
    migration = db_migrations.latest_for_instance(inst["uuid"], db_migrations.UNFINISHED
                                                  + ("error",))
    return answered, migration


def _to_verify_resize(conductor, ctxt, migration):
    conductor.move_step(ctxt, migration["uuid"], "h1", "resize_prep", "resize_migrating",
                        "migrating")
    conductor.move_step(ctxt, migration["uuid"], "h1", "resize_migrating",
                        "resize_migrated", "post-migrating", power_state=4)
    conductor.move_step(ctxt, migration["uuid"], "h2", "resize_migrated", "resize_finish")
    conductor.move_finished(ctxt, migration["uuid"], "h2", 1)


def test_migrate_records_claims_and_casts_to_the_destination(
        conductor, scheduler_api, compute_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    answered, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    assert answered["task_state"] == "resize_prep"
    [(spec, uuids)] = scheduler_api.calls
    assert spec["ignore_hosts"] == ["h1"] and uuids == [inst["uuid"]]
    assert (migration["status"], migration["migration_type"], migration["source_compute"],
            migration["dest_compute"]) == ("pre-migrating", "migration", "h1", "h2")
    assert compute_api.casts == [("prep_resize", "h2", migration["uuid"], "1")]
    # The source's allocation is the migration's, the destination's the instance's.
    assert _allocations() == {migration["uuid"]: ("h1", 512), inst["uuid"]: ("h2", 512)}
    assert _usage() == {"h1": (1, 512, 1), "h2": (1, 512, 1)}
    events = db_actions.action_get_by_request_id(inst["uuid"], ctxt.request_id)["events"]
    assert [(e["event"], e["result"]) for e in events] == [
        ("conductor_migrate_server", "Success")]


def test_resize_then_confirm_frees_the_source(conductor, scheduler_api, compute_api, nodes,
                                              ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref="2")
    assert migration["migration_type"] == "resize"
    assert _allocations()[inst["uuid"]] == ("h2", 2048)
    _to_verify_resize(conductor, ctxt, migration)
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["host"], after["memory_mb"],
            after["flavor"]["flavorid"]) == ("resized", None, "h2", 2048, "2")
    conductor.confirm_resize(ctxt, inst["uuid"])
    assert compute_api.casts[-1] == ("confirm_resize", "h1", migration["uuid"])
    conductor.confirm_finished(ctxt, migration["uuid"], "h1", power_state=1)
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"]) == ("active", None)
    assert db_migrations.get(migration["uuid"])["status"] == "confirmed"
    assert _allocations() == {inst["uuid"]: ("h2", 2048)}
    assert _usage() == {"h1": (0, 0, 0), "h2": (1, 2048, 1)}


def test_resize_then_revert_gives_the_source_back(conductor, scheduler_api, compute_api,
                                                  nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes, vm_state="stopped")
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref="2")
    _to_verify_resize(conductor, ctxt, migration)
    conductor.revert_resize(ctxt, inst["uuid"])
    assert compute_api.casts[-1] == ("revert_resize", "h2", migration["uuid"])
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] == "resize_reverting"
    conductor.revert_finished(ctxt, migration["uuid"], "h1", 4)
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["host"], after["memory_mb"],
            after["flavor"]["flavorid"]) == ("stopped", None, "h1", 512, "1")
    assert db_migrations.get(migration["uuid"])["status"] == "reverted"
    assert _allocations() == {inst["uuid"]: ("h1", 512)}
    assert _usage() == {"h1": (1, 512, 1), "h2": (0, 0, 0)}
    # A second report (its answer lost) changes nothing.
    conductor.revert_finished(ctxt, migration["uuid"], "h1", 4)
    assert _usage() == {"h1": (1, 512, 1), "h2": (0, 0, 0)}


def test_confirm_and_revert_race_one_wins(conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    _to_verify_resize(conductor, ctxt, migration)
    conductor.confirm_resize(ctxt, inst["uuid"])
    with pytest.raises(exception.InstanceInvalidState) as raised:
        conductor.revert_resize(ctxt, inst["uuid"])
    assert raised.value.code == 409
    assert db_migrations.get(migration["uuid"])["status"] == "confirming"


@pytest.mark.parametrize("flavor_ref,host,error", [
    ("1", None, exception.CannotResizeToSameFlavor),
    ("nope", None, exception.FlavorNotFoundForBuild),
    (None, "h1", exception.CannotMigrateToSameHost),
    (None, "nowhere", exception.MigrationHostNotFound),
])
def test_bad_requests_are_400_and_change_nothing(conductor, nodes, ctxt_factory, flavor_ref,
                                                 host, error):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    with pytest.raises(error) as raised:
        conductor.migrate_server(ctxt, inst["uuid"], flavor_ref=flavor_ref, host=host)
    assert raised.value.code == 400
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None
    assert db_migrations.latest_for_instance(inst["uuid"], ("pre-migrating",)) is None


def test_a_smaller_disk_is_400(conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref="3")
    _to_verify_resize(conductor, ctxt, migration)
    conductor.confirm_resize(ctxt, inst["uuid"])
    conductor.confirm_finished(ctxt, migration["uuid"], "h1", power_state=1)
    with pytest.raises(exception.CannotResizeDisk):
        conductor.migrate_server(ctxt, inst["uuid"], flavor_ref="2")


@pytest.mark.parametrize("vm_state", ["paused", "error", "resized"])
def test_wrong_state_is_409(conductor, nodes, ctxt_factory, vm_state):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes, vm_state=vm_state)
    with pytest.raises(exception.InstanceInvalidState) as raised:
        conductor.migrate_server(ctxt, inst["uuid"])
    assert raised.value.code == 409
    with pytest.raises(exception.InstanceInvalidState):
        conductor.confirm_resize(ctxt, inst["uuid"])  # no finished migration


def test_computes_capped_below_1_9_refuse_the_move(conductor, compute_api, nodes,
                                                   ctxt_factory):
    compute_api.moves_allowed = False
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    with pytest.raises(exception.InstanceInvalidState):
        conductor.migrate_server(ctxt, inst["uuid"])
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_no_valid_host_leaves_the_server_on_its_source(conductor, scheduler_api, compute_api,
                                                       nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    scheduler_api.answers.append(exception.NoValidHost(reason="CoreFilter removed 1 of 1"))
    conductor.migrate_server(ctxt, inst["uuid"], flavor_ref="2")
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["host"]) == ("active", None, "h1")
    faults = models.instance_faults.c
    with get_engine().connect() as conn:
        messages = [r.message for r in conn.execute(sa.select(faults.message).where(
            faults.instance_uuid == inst["uuid"]))]
    assert len(messages) == 1 and "No valid host" in messages[0]
    assert db_migrations.latest_for_instance(inst["uuid"], ("error",)) is not None
    assert compute_api.casts == []
    assert _allocations() == {inst["uuid"]: ("h1", 512)}
    assert _usage() == {"h1": (1, 512, 1), "h2": (0, 0, 0)}


def test_a_full_destination_is_no_valid_host(conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    scheduler_api.answers.append({"selections": [[fakes.selection(nodes["h2"])]],
                                  "decisions": []})
    conductor.migrate_server(ctxt, inst["uuid"], flavor_ref="5")  # 16 GiB: no room on h2
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["flavor"]["flavorid"]) == (
        "active", None, "1")
    assert _allocations() == {inst["uuid"]: ("h1", 512)}


def test_a_failure_after_the_guest_left_is_error_on_the_source(
        conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref="2")
    conductor.move_step(ctxt, migration["uuid"], "h1", "resize_prep", "resize_migrating",
                        "migrating")
    conductor.move_step(ctxt, migration["uuid"], "h1", "resize_migrating",
                        "resize_migrated", "post-migrating")
    conductor.move_failed(ctxt, migration["uuid"], "h2", "disk lost", None,
                          "compute_finish_resize")
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["host"]) == ("error", None, "h1")
    assert after["fault"]["message"] == "disk lost"
    assert db_migrations.get(migration["uuid"])["status"] == "error"
    assert _allocations() == {inst["uuid"]: ("h1", 512)}
    assert _usage() == {"h1": (1, 512, 1), "h2": (0, 0, 0)}


def test_a_failure_before_the_guest_left_is_the_server_as_before(
        conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    conductor.move_failed(ctxt, migration["uuid"], "h2", "cannot prepare", None,
                          "compute_prep_resize")
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["host"]) == ("active", None, "h1")
    assert _allocations() == {inst["uuid"]: ("h1", 512)}


def test_a_delete_in_verify_resize_frees_both_hosts(conductor, scheduler_api, nodes,
                                                    ctxt_factory):
    from minova.conductor import manager
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    _to_verify_resize(conductor, ctxt, migration)
    manager.ConductorManager("cond1").instance_destroy(ctxt, inst["uuid"], "h2")
    assert _allocations() == {}
    assert _usage() == {"h1": (0, 0, 0), "h2": (0, 0, 0)}


def test_unconfirmed_moves_are_found_for_the_auto_confirm(conductor, scheduler_api, nodes,
                                                          ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    _to_verify_resize(conductor, ctxt, migration)
    assert conductor.migrations_unconfirmed(ctxt, "h2", 3600) == []
    found = conductor.migrations_unconfirmed(ctxt, "h2", 0)
    assert [m["uuid"] for m in found] == [migration["uuid"]]
    assert "old_flavor" not in found[0]
    assert conductor.migrations_unconfirmed(ctxt, "h1", 0) == []


def test_migration_list_filters_and_pages(conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    first = _placed(ctxt, nodes)
    second = _placed(ctxt, nodes)
    _migrate(conductor, scheduler_api, ctxt, first, nodes)
    _migrate(conductor, scheduler_api, ctxt, second, nodes, flavor_ref="2")
    everything = conductor.migration_get_all(ctxt, {})
    assert [m["instance_uuid"] for m in everything] == [second["uuid"], first["uuid"]]
    assert [m["instance_uuid"] for m in conductor.migration_get_all(
        ctxt, {"migration_type": "migration"})] == [first["uuid"]]
    assert len(conductor.migration_get_all(ctxt, {"host": "h2"})) == 2
    assert conductor.migration_get_all(ctxt, {"source_compute": "h2"}) == []
    page = conductor.migration_get_all(ctxt, {}, limit=1, marker=everything[0]["uuid"])
    assert [m["uuid"] for m in page] == [everything[1]["uuid"]]
    with pytest.raises(exception.MarkerNotFound):
        conductor.migration_get_all(ctxt, {}, marker="nope")
