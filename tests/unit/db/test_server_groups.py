"""Server groups in the database: scoping, members, and what deleting ends."""

import pytest
import sqlalchemy as sa

from minova import exception
from minova.db import claims, engine, instances, models
from minova.db import server_groups as db_groups
from tests.unit.db.helpers import FLAVOR, make_instance, make_node

TINY = {"vcpus": 1, "memory_mb": 512, "disk_gb": 1}


def _member_rows() -> list[tuple]:
    with engine.get_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(models.instance_group_members.c.group_id,
                      models.instance_group_members.c.instance_uuid))]


def _boot_into(ctxt, group_uuid, count=1) -> list[dict]:
    row = {"display_name": "vm", "project_id": ctxt.project_id, "user_id": ctxt.user_id,
           "image_ref": None, "flavor": FLAVOR, "vcpus": 1, "memory_mb": 512, "root_gb": 1,
           "ephemeral_gb": 0, "vm_state": "building", "task_state": "scheduling",
           "power_state": 0, "metadata": {}, "config_drive": ""}
    return instances.create(ctxt, [dict(row) for _ in range(count)], group_uuid=group_uuid)


def test_create_and_get_with_defaults(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "anti-affinity", {"max_server_per_host": 2})
    assert group["name"] == "web" and group["policy"] == "anti-affinity"
    assert group["rules"] == {"max_server_per_host": 2}
    assert (group["project_id"], group["user_id"]) == ("p1", "u1")
    assert group["members"] == []
    assert db_groups.get(ctxt, group["uuid"]) == group
    assert db_groups.create(ctxt, "db", "affinity")["rules"] == {}


def test_another_projects_group_is_not_found_unless_admin(sqlite_db, ctxt_factory):
    group = db_groups.create(ctxt_factory(project="p1"), "web", "affinity")
    with pytest.raises(exception.InstanceGroupNotFound):
        db_groups.get(ctxt_factory(project="p2"), group["uuid"])
    with pytest.raises(exception.InstanceGroupNotFound):
        db_groups.delete(ctxt_factory(project="p2"), group["uuid"])
    assert db_groups.get(ctxt_factory(admin=True), group["uuid"])["uuid"] == group["uuid"]
    with pytest.raises(exception.InstanceGroupNotFound):
        db_groups.get(ctxt_factory(), "no-such-group")


def test_list_own_project_or_all_for_admin_with_paging(sqlite_db, ctxt_factory):
    p1, p2 = ctxt_factory(project="p1"), ctxt_factory(project="p2")
    names = []
    for i in range(3):
        names.append(db_groups.create(p1, f"g{i}", "affinity")["name"])
    db_groups.create(p2, "other", "affinity")
    assert [g["name"] for g in db_groups.get_all(p1)] == names
    assert [g["name"] for g in db_groups.get_all(p1, all_projects=True)] == names
    admin = ctxt_factory(project="p1", admin=True)
    assert [g["name"] for g in db_groups.get_all(admin)] == names
    assert [g["name"] for g in db_groups.get_all(admin, all_projects=True)] == names + ["other"]
    assert [g["name"] for g in db_groups.get_all(p1, limit=1, offset=1)] == ["g1"]
    assert db_groups.get_all(p1, offset=5) == []


def test_boot_into_group_adds_members_in_the_create(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "anti-affinity")
    created = _boot_into(ctxt, group["uuid"], count=2)
    assert db_groups.get(ctxt, group["uuid"])["members"] == [i["uuid"] for i in created]


def test_boot_into_invisible_group_writes_nothing(sqlite_db, ctxt_factory):
    group = db_groups.create(ctxt_factory(project="p2"), "theirs", "affinity")
    for group_uuid in (group["uuid"], "7e1e7ed1-8e0f-4f5e-9d39-6b3d5b4c0a11"):
        with pytest.raises(exception.InstanceGroupNotFoundForBuild) as info:
            _boot_into(ctxt_factory(project="p1"), group_uuid)
        assert info.value.code == 400
        assert info.value.format_message() == (
            f"Instance group {group_uuid} could not be found.")
    assert instances.get_all(ctxt_factory(admin=True)) == []
    assert _member_rows() == []


def test_deleting_an_instance_ends_its_membership(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "anti-affinity")
    first, second = _boot_into(ctxt, group["uuid"], count=2)
    with engine.transaction() as conn:
        assert instances.soft_delete(first["uuid"], conn)
    assert db_groups.get(ctxt, group["uuid"])["members"] == [second["uuid"]]
    assert _member_rows() == [(group["id"], second["uuid"])]


def test_delete_removes_group_and_members_but_not_instances(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "affinity")
    [inst] = _boot_into(ctxt, group["uuid"])
    db_groups.delete(ctxt, group["uuid"])
    with pytest.raises(exception.InstanceGroupNotFound):
        db_groups.get(ctxt, group["uuid"])
    assert _member_rows() == []
    assert instances.get(ctxt, inst["uuid"])["vm_state"] == "building"
    with pytest.raises(exception.InstanceGroupNotFound):
        db_groups.delete(ctxt, group["uuid"])


def test_for_scheduling_lists_one_host_per_placed_member(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    nodes = [make_node("h1"), make_node("h2")]
    group = db_groups.create(ctxt, "web", "anti-affinity", {"max_server_per_host": 2})
    placed = _boot_into(ctxt, group["uuid"], count=4)
    for inst, node in zip(placed[:3], [nodes[0], nodes[0], nodes[1]]):
        claims.claim(inst["uuid"], node["id"], node["host"], node["host"], TINY)
    spec_group = db_groups.for_scheduling(group["uuid"])
    assert spec_group == {
        "uuid": group["uuid"], "name": "web", "policy": "anti-affinity",
        "rules": {"max_server_per_host": 2}, "members": [i["uuid"] for i in placed],
        "hosts": ["h1", "h1", "h2"]}
    assert db_groups.for_scheduling("gone") is None


def test_member_instance_helpers_ignore_non_members(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    loner = make_instance(ctxt)
    group = db_groups.create(ctxt, "web", "affinity")
    with engine.transaction() as conn:
        assert db_groups.group_uuid_of(conn, loner["uuid"]) is None
        assert db_groups.lock_for_claim(conn, "no-such-group", loner["uuid"]) is None
        assert db_groups.lock_for_claim(conn, group["uuid"], loner["uuid"]) is None
    [member] = _boot_into(ctxt, group["uuid"])
    with engine.transaction() as conn:
        assert db_groups.group_uuid_of(conn, member["uuid"]) == group["uuid"]
        locked = db_groups.lock_for_claim(conn, group["uuid"], member["uuid"])
    assert locked == {"id": group["id"], "uuid": group["uuid"], "policy": "affinity",
                      "rules": {}}


def test_uuids_for_instance(sqlite_db, ctxt_factory):
    """API 2.71: the groups a server is in, as its caller may see them."""
    ctxt = ctxt_factory()
    group = db_groups.create(ctxt, "web", "affinity")
    [member] = _boot_into(ctxt, group["uuid"])
    [loner] = _boot_into(ctxt, None)
    assert db_groups.uuids_for_instance(ctxt, member["uuid"]) == [group["uuid"]]
    assert db_groups.uuids_for_instance(ctxt, loner["uuid"]) == []
    other = ctxt_factory(project="p2")
    assert db_groups.uuids_for_instance(other, member["uuid"]) == []
