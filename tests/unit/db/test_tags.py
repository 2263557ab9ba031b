"""Tag rows: written at create, carried by instance reads, filtered on, gone with the instance."""

import pytest

from minova.db import instances, tags
from minova.db.engine import transaction
from tests.unit.db.helpers import FLAVOR, make_instance


def _create_with_tags(ctxt, name, tag_list):
    return instances.create(ctxt, [{
        "display_name": name, "project_id": ctxt.project_id, "user_id": ctxt.user_id,
        "image_ref": None, "flavor": dict(FLAVOR), "vcpus": 1, "memory_mb": 512,
        "root_gb": 1, "ephemeral_gb": 0, "vm_state": "building", "task_state": "scheduling",
        "power_state": 0, "metadata": {}, "config_drive": "", "tags": tag_list}])[0]


def test_create_writes_tags_once_each_and_reads_carry_them(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _create_with_tags(ctxt, "vm", ["web", "blue", "web"])
    assert inst["tags"] == ["blue", "web"]
    assert instances.get(ctxt, inst["uuid"])["tags"] == ["blue", "web"]
    assert instances.get_all(ctxt)[0]["tags"] == ["blue", "web"]
    assert make_instance(ctxt)["tags"] == []
    assert instances.get_all(ctxt)[0]["tags"] == []


def test_soft_delete_drops_the_tags(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _create_with_tags(ctxt, "vm", ["a", "b"])
    keep = _create_with_tags(ctxt, "other", ["a"])
    with transaction() as conn:
        assert instances.soft_delete(inst["uuid"], conn) is True
        assert tags.get_by_instances(conn, [inst["uuid"], keep["uuid"]]) == {
            keep["uuid"]: ["a"]}


def test_tags_are_case_sensitive(sqlite_db, ctxt_factory):
    inst = _create_with_tags(ctxt_factory(), "vm", ["Web", "web"])
    assert inst["tags"] == ["Web", "web"]


@pytest.mark.parametrize("filters, expected", [
    ({"tags": ["a"]}, {"ab", "a"}),
    ({"tags": ["a", "b"]}, {"ab"}),
    ({"tags-any": ["b", "c"]}, {"ab", "bc"}),
    ({"not-tags": ["a", "b"]}, {"a", "bc", "none"}),
    ({"not-tags-any": ["a", "c"]}, {"none"}),
    ({"tags": ["b"], "not-tags-any": ["c"]}, {"ab"}),
    ({"tags": [""]}, set()),
])
def test_list_tag_filters(sqlite_db, ctxt_factory, filters, expected):
    ctxt = ctxt_factory()
    for name, tag_list in (("ab", ["a", "b"]), ("a", ["a"]), ("bc", ["b", "c"]),
                           ("none", [])):
        _create_with_tags(ctxt, name, tag_list)
    _create_with_tags(ctxt_factory(project="p2"), "elsewhere", ["a", "b"])
    found = instances.get_all(ctxt, filters)
    assert {i["display_name"] for i in found} == expected


def test_tag_filters_with_pagination(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    made = [_create_with_tags(ctxt, f"vm{i}", ["x"] if i % 2 else [])["uuid"]
            for i in range(6)]
    page = instances.get_all(ctxt, {"tags": ["x"]}, limit=2)
    rest = instances.get_all(ctxt, {"tags": ["x"]}, limit=2, marker=page[-1]["uuid"])
    assert {i["uuid"] for i in page + rest} == set(made[1::2])
