"""Instance records: scoping, compare-and-swap, pagination, faults."""

import pytest

from minova import exception
from minova.db import instances
from tests.unit.db.helpers import make_instance


def test_other_projects_instance_is_not_found(sqlite_db, ctxt_factory):
    inst = make_instance(ctxt_factory(project="p1"))
    with pytest.raises(exception.InstanceNotFound):
        instances.get(ctxt_factory(project="p2"), inst["uuid"])
    assert instances.get(ctxt_factory(admin=True, project="admin"), inst["uuid"])["uuid"] == \
        inst["uuid"]


def test_list_is_scoped_for_members_and_filtered_for_admins(sqlite_db, ctxt_factory):
    make_instance(ctxt_factory(project="p1"), name="a")
    make_instance(ctxt_factory(project="p2"), name="b")
    member = ctxt_factory(project="p1")
    assert [i["display_name"] for i in instances.get_all(member, {"project_id": "p2"})] == ["a"]
    admin = ctxt_factory(project="admin", admin=True)
    assert len(instances.get_all(admin, {})) == 2
    assert [i["display_name"] for i in instances.get_all(admin, {"project_id": "p2"})] == ["b"]


def test_compare_and_swap_has_exactly_one_winner(sqlite_db, ctxt_factory):
    inst = make_instance(ctxt_factory(), task_state=None, vm_state="active")
    instances.update(inst["uuid"], {"task_state": "powering-off"}, expected_task_state=[None])
    with pytest.raises(exception.UnexpectedTaskStateError) as err:
        instances.update(inst["uuid"], {"task_state": "rebooting"}, expected_task_state=[None])
    assert err.value.code == 409
    assert instances.get(ctxt_factory(), inst["uuid"])["task_state"] == "powering-off"


def test_update_of_deleted_instance_is_not_found(sqlite_db, ctxt_factory):
    from minova.db.engine import transaction

    inst = make_instance(ctxt_factory())
    with transaction() as conn:
        assert instances.soft_delete(inst["uuid"], conn) is True
    with pytest.raises(exception.InstanceNotFound):
        instances.update(inst["uuid"], {"progress": 1})
    deleted = instances.get(ctxt_factory(), inst["uuid"], read_deleted=True)
    assert deleted["deleted"] == deleted["id"] and deleted["vm_state"] == "deleted"


def test_marker_pagination_walks_every_instance_once(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    made = {make_instance(ctxt, name=f"vm{i}")["uuid"] for i in range(7)}
    seen, marker = [], None
    while True:
        page = instances.get_all(ctxt, {}, limit=3, marker=marker)
        if not page:
            break
        seen += [i["uuid"] for i in page]
        marker = page[-1]["uuid"]
    assert len(seen) == 7 and set(seen) == made


def test_unknown_marker_is_a_400(sqlite_db, ctxt_factory):
    with pytest.raises(exception.MarkerNotFound) as err:
        instances.get_all(ctxt_factory(), {}, marker="nope")
    assert err.value.code == 400


def test_name_filter_is_a_regex(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for name in ("web-1", "web-2", "db-1"):
        make_instance(ctxt, name=name)
    names = sorted(i["display_name"] for i in instances.get_all(ctxt, {"display_name": "^web"}))
    assert names == ["web-1", "web-2"]
    with pytest.raises(exception.InvalidInput):
        instances.get_all(ctxt, {"display_name": "(("})


def test_set_error_records_fault_shown_with_instance(sqlite_db, ctxt_factory):
    inst = make_instance(ctxt_factory())
    assert instances.set_error(inst["uuid"], "No valid host was found. x", None, "c1",
                               expected_task_state=["scheduling"])
    shown = instances.get(ctxt_factory(), inst["uuid"])
    assert shown["vm_state"] == "error" and shown["task_state"] is None
    assert shown["fault"]["message"] == "No valid host was found. x"
    assert shown["fault"]["code"] == 500
