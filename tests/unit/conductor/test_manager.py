"""The conductor's database endpoints: service state, host states, destroy."""

import datetime

import sqlalchemy as sa

from minova.conductor import manager
from minova.db import claims, instances, models
from tests.unit.db.helpers import make_instance, make_node


def test_service_shows_down_after_service_down_time(sqlite_db, ctxt_factory):
    make_node("h1")
    cond = manager.ConductorManager("c")
    assert cond.service_get_all(ctxt_factory(admin=True))[0]["state"] == "up"
    old = datetime.datetime.utcnow() - datetime.timedelta(seconds=3600)
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.services).values(last_seen_up=old))
    [svc] = cond.service_get_all(ctxt_factory(admin=True))
    assert svc["state"] == "down" and svc["zone"] == "nova"
    assert cond.get_host_states(ctxt_factory(admin=True))["hosts"][0]["service_up"] is False


def test_host_states_carry_usage_and_service_flags(sqlite_db, ctxt_factory):
    node = make_node("h1", vcpus=4)
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1", {"vcpus": 1, "memory_mb": 512,
                                                         "disk_gb": 1})
    [state] = manager.ConductorManager("c").get_host_states(ctxt_factory())["hosts"]
    assert state["compute_node_id"] == node["id"] and state["nodename"] == "h1"
    assert state["vcpus_used"] == 1 and state["service_up"] is True
    assert state["service_disabled"] is False


def test_instance_destroy_frees_allocation_and_hides_instance(sqlite_db, ctxt_factory):
    node = make_node("h1")
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)
    claims.claim(inst["uuid"], node["id"], "h1", "h1", {"vcpus": 1, "memory_mb": 512,
                                                         "disk_gb": 1})
    manager.ConductorManager("c").instance_destroy(ctxt, inst["uuid"], "h1")
    assert claims.get_for_node(node["id"]) == []
    assert instances.get_all(ctxt, {}) == []


def test_compute_node_get_rejects_non_integer_ids(sqlite_db, ctxt_factory):
    import pytest

    from minova import exception
    with pytest.raises(exception.HypervisorNotFound):
        manager.ConductorManager("c").compute_node_get(ctxt_factory(admin=True), "abc")


def test_compute_node_get_by_id_or_uuid_with_its_services_uuid(sqlite_db, ctxt_factory):
    node = make_node("h1")
    cond = manager.ConductorManager("c")
    ctxt = ctxt_factory(admin=True)
    by_id = cond.compute_node_get(ctxt, node["id"])
    by_uuid = cond.compute_node_get(ctxt, node["uuid"])
    assert by_id == by_uuid and by_uuid["uuid"] == node["uuid"]
    [service] = cond.service_get_all(ctxt)
    assert by_uuid["service"]["uuid"] == service["uuid"]
    assert cond.compute_node_get_all(ctxt)[0]["service"]["uuid"] == service["uuid"]

    import pytest

    from minova import exception
    with pytest.raises(exception.HypervisorNotFound):
        cond.compute_node_get(ctxt, "00000000-0000-0000-0000-0000000000ff")


def test_instance_get_read_deleted(sqlite_db, ctxt_factory):
    import pytest

    from minova import exception
    ctxt = ctxt_factory()
    inst = make_instance(ctxt)
    cond = manager.ConductorManager("c")
    cond.instance_destroy(ctxt, inst["uuid"], "h1")
    with pytest.raises(exception.InstanceNotFound):
        cond.instance_get(ctxt, inst["uuid"])
    assert cond.instance_get(ctxt, inst["uuid"], read_deleted=True)["vm_state"] == "deleted"
    with pytest.raises(exception.InstanceNotFound):  # still scoped to its project
        cond.instance_get(ctxt_factory(project="other"), inst["uuid"], read_deleted=True)
