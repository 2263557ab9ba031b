"""A user's changes to a server: scoping, Nova's states and limits.

Nothing is lost to a race, nothing changes on a refusal.
"""

import concurrent.futures

import pytest

from minova import exception
from minova.db import instances
from minova.db import server_attributes as attrs
from minova.db.engine import transaction
from tests.unit.db.helpers import make_instance


@pytest.fixture
def active(sqlite_db, ctxt_factory):
    inst = make_instance(ctxt_factory(), vm_state="active", task_state=None)
    instances.update(inst["uuid"], {"metadata": {"role": "web"}})
    return inst["uuid"]


def _get(ctxt_factory, uuid):
    return instances.get(ctxt_factory(), uuid)


def test_update_renames_and_describes_in_any_state(sqlite_db, ctxt_factory):
    uuid = make_instance(ctxt_factory())["uuid"]  # building
    updated = attrs.update(ctxt_factory(), uuid, {"display_name": "new", "description": "d",
                                                  "access_ip_v4": "192.0.2.1"})
    assert (updated["display_name"], updated["description"], updated["access_ip_v4"]) == (
        "new", "d", "192.0.2.1")
    assert updated["tags"] == [] and "fault" in updated
    assert attrs.update(ctxt_factory(), uuid, {"description": None})["description"] is None


def test_update_refuses_other_columns(active, ctxt_factory):
    with pytest.raises(exception.InvalidInput):
        attrs.update(ctxt_factory(), active, {"vm_state": "error"})
    assert _get(ctxt_factory, active)["vm_state"] == "active"


@pytest.mark.parametrize("change", [
    lambda c, u: attrs.update(c, u, {"display_name": "mine"}),
    lambda c, u: attrs.update_metadata(c, u, {"k": "v"}),
    lambda c, u: attrs.update_metadata(c, u, {}, delete=True),
    lambda c, u: attrs.delete_metadata_item(c, u, "role"),
    lambda c, u: attrs.add_tag(c, u, "t"),
    lambda c, u: attrs.set_tags(c, u, ["t"]),
    lambda c, u: attrs.delete_tag(c, u, "t"),
    lambda c, u: attrs.delete_all_tags(c, u),
])
def test_another_projects_server_is_not_found_and_unchanged(active, ctxt_factory, change):
    attrs.set_tags(ctxt_factory(), active, ["t"])
    with pytest.raises(exception.InstanceNotFound):
        change(ctxt_factory(project="p2"), active)
    after = _get(ctxt_factory, active)
    assert (after["display_name"], after["metadata"], after["tags"]) == (
        "vm", {"role": "web"}, ["t"])
    # an admin reaches it
    change(ctxt_factory(project="admin", admin=True), active)


def test_deleted_server_is_not_found(active, ctxt_factory):
    with transaction() as conn:
        instances.soft_delete(active, conn)
    with pytest.raises(exception.InstanceNotFound):
        attrs.update_metadata(ctxt_factory(), active, {"k": "v"})
    with pytest.raises(exception.InstanceNotFound):
        attrs.update(ctxt_factory(), active, {"display_name": "x"})


def test_metadata_merge_and_replace(active, ctxt_factory):
    ctxt = ctxt_factory()
    assert attrs.update_metadata(ctxt, active, {"a": "1", "role": "db"}) == {
        "role": "db", "a": "1"}
    assert attrs.update_metadata(ctxt, active, {"b": "2"}, delete=True) == {"b": "2"}
    assert _get(ctxt_factory, active)["metadata"] == {"b": "2"}
    attrs.delete_metadata_item(ctxt, active, "b")
    assert _get(ctxt_factory, active)["metadata"] == {}


def test_metadata_limit_is_128(active, ctxt_factory):
    ctxt = ctxt_factory()
    full = {f"k{i}": "v" for i in range(127)}
    assert len(attrs.update_metadata(ctxt, active, full)) == 128  # with "role"
    with pytest.raises(exception.MetadataLimitExceeded) as err:
        attrs.update_metadata(ctxt, active, {"one": "more"})
    assert err.value.code == 403
    assert len(_get(ctxt_factory, active)["metadata"]) == 128
    # replacing is counted on the result, not added to what was there
    assert attrs.update_metadata(ctxt, active, {"x": "y"}, delete=True) == {"x": "y"}


@pytest.mark.parametrize("vm_state", ["building", "error"])
def test_metadata_and_tag_writes_outside_nova_states_are_409(sqlite_db, ctxt_factory,
                                                            vm_state):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state=vm_state, task_state=None)["uuid"]
    instances.update(uuid, {"metadata": {"role": "web"}})
    for change, action in (
            (lambda: attrs.update_metadata(ctxt, uuid, {"k": "v"}), "update metadata"),
            (lambda: attrs.delete_metadata_item(ctxt, uuid, "role"), "delete metadata"),
            (lambda: attrs.add_tag(ctxt, uuid, "t"), "update tag"),
            (lambda: attrs.set_tags(ctxt, uuid, ["t"]), "update tags"),
            (lambda: attrs.delete_tag(ctxt, uuid, "t"), "delete tag"),
            (lambda: attrs.delete_all_tags(ctxt, uuid), "delete tags")):
        with pytest.raises(exception.InstanceInvalidState) as err:
            change()
        assert err.value.code == 409
        assert err.value.format_message() == (
            f"Cannot '{action}' instance {uuid} while it is in vm_state {vm_state}")
    after = instances.get(ctxt, uuid)
    assert (after["metadata"], after["tags"]) == ({"role": "web"}, [])


@pytest.mark.parametrize("vm_state", ["active", "paused", "suspended", "stopped"])
def test_writes_allowed_in_nova_states_even_during_a_task(sqlite_db, ctxt_factory, vm_state):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt, vm_state=vm_state, task_state="rebooting")["uuid"]
    assert attrs.update_metadata(ctxt, uuid, {"k": "v"}) == {"k": "v"}
    assert attrs.add_tag(ctxt, uuid, "t") is True


def test_missing_metadata_key_is_404_before_the_state_check(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    uuid = make_instance(ctxt)["uuid"]  # building
    with pytest.raises(exception.MetadataItemNotFound):
        attrs.delete_metadata_item(ctxt, uuid, "nope")


def test_tags_add_set_delete(active, ctxt_factory):
    ctxt = ctxt_factory()
    assert attrs.add_tag(ctxt, active, "web") is True
    assert attrs.add_tag(ctxt, active, "web") is False
    assert attrs.set_tags(ctxt, active, ["b", "a", "b"]) == ["a", "b"]
    assert _get(ctxt_factory, active)["tags"] == ["a", "b"]
    attrs.delete_tag(ctxt, active, "a")
    with pytest.raises(exception.InstanceTagNotFound) as err:
        attrs.delete_tag(ctxt, active, "a")
    assert err.value.format_message() == f"Instance {active} has no tag 'a'."
    attrs.delete_all_tags(ctxt, active)
    assert _get(ctxt_factory, active)["tags"] == []


def test_tag_limit_is_50(active, ctxt_factory):
    ctxt = ctxt_factory()
    fifty = [f"t{i:02d}" for i in range(50)]
    assert attrs.set_tags(ctxt, active, fifty) == fifty
    with pytest.raises(exception.TooManyInstanceTags) as err:
        attrs.add_tag(ctxt, active, "one-more")
    assert err.value.code == 400
    # at the limit, even a tag it has is refused (Nova checks the count first)
    with pytest.raises(exception.TooManyInstanceTags):
        attrs.add_tag(ctxt, active, "t00")
    with pytest.raises(exception.TooManyInstanceTags):
        attrs.set_tags(ctxt, active, fifty + ["x"])
    assert _get(ctxt_factory, active)["tags"] == fifty


def test_concurrent_merges_lose_no_key(active, ctxt_factory):
    ctxt = ctxt_factory()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: attrs.update_metadata(ctxt, active, {f"k{i}": "v"}),
                      range(24)))
    assert set(_get(ctxt_factory, active)["metadata"]) == {"role"} | {
        f"k{i}" for i in range(24)}


def test_concurrent_adds_stop_at_the_limit(active, ctxt_factory):
    ctxt = ctxt_factory()
    attrs.set_tags(ctxt, active, [f"t{i}" for i in range(45)])

    def add(i):
        try:
            return attrs.add_tag(ctxt, active, f"new{i}")
        except exception.TooManyInstanceTags:
            return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(add, range(12)))
    assert results.count(True) == 5 and results.count(None) == 7
    assert len(_get(ctxt_factory, active)["tags"]) == 50


def test_update_sets_the_hostname(sqlite_db, ctxt_factory):
    """API 2.90: the hostname changes with PUT /servers/{id}, in any state."""
    uuid = make_instance(ctxt_factory())["uuid"]  # building
    assert attrs.update(ctxt_factory(), uuid, {"hostname": "db-1"})["hostname"] == "db-1"
    assert _get(ctxt_factory, uuid)["hostname"] == "db-1"
