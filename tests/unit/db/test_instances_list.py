"""The server list query (instances.get_all): filters, sorting, marker paging.

The ``check_*`` scenarios take a context factory and run against whatever
engine is current; tests/functional/test_listing_backends.py runs the same
ones on MariaDB and PostgreSQL. Each uses a project of its own, so they can
share one database.
"""

import datetime
import uuid

import pytest
import sqlalchemy as sa

from minova import exception
from minova.db import flavors, instances, models
from minova.db import tags as db_tags
from minova.db.engine import transaction
from tests.unit.db.helpers import FLAVOR, make_instance

T0 = datetime.datetime(2026, 11, 21, 6, 0, 0)


def _project() -> str:
    return "p-" + uuid.uuid4().hex[:8]


def _set(instance: dict, **values) -> None:
    with transaction() as conn:
        conn.execute(sa.update(models.instances)
                     .where(models.instances.c.uuid == instance["uuid"]).values(**values))


def _delete(instance: dict) -> None:
    with transaction() as conn:
        assert instances.soft_delete(instance["uuid"], conn)


def _names(found: list[dict]) -> list[str]:
    return [i["display_name"] for i in found]


def _walk(ctxt, limit: int, **kwargs) -> list[str]:
    """Every page of ``limit``, following the last uuid as the marker."""
    seen, marker = [], None
    for _ in range(100):
        page = instances.get_all(ctxt, {}, limit=limit, marker=marker, **kwargs)
        seen += _names(page)
        if len(page) < limit:
            return seen
        marker = page[-1]["uuid"]
    raise AssertionError("paging did not end")


def check_name_is_a_regex(ctxt_factory) -> None:
    ctxt = ctxt_factory(project=_project())
    for name in ("web-1", "web-2", "db-1", "cache"):
        make_instance(ctxt, name=name)

    def names(pattern):
        return sorted(_names(instances.get_all(ctxt, {"display_name": pattern})))

    assert names("^web") == ["web-1", "web-2"]
    assert names("-1$") == ["db-1", "web-1"]
    assert names("b-[0-9]") == ["db-1", "web-1", "web-2"]
    assert names("^ca.he$") == ["cache"]
    assert names("nothing") == []


def check_regex_on_other_columns(ctxt_factory) -> None:
    """Nova matches every other column as a regex too, numbers and times as text."""
    ctxt = ctxt_factory(project=_project())
    a = make_instance(ctxt, name="a")
    b = make_instance(ctxt, name="b")
    make_instance(ctxt, name="c")
    _set(a, power_state=1, key_name="alice-key", reservation_id="r-aaa",
         launched_at=T0, availability_zone="zone-1")
    _set(b, power_state=4, key_name="bob-key", reservation_id="r-bbb",
         launched_at=T0 + datetime.timedelta(days=1), availability_zone="zone-2")

    def names(filters):
        return sorted(_names(instances.get_all(ctxt, filters)))

    assert names({"power_state": "^1$"}) == ["a"]
    assert names({"key_name": "key$"}) == ["a", "b"]  # NULL matches nothing
    assert names({"reservation_id": "bbb"}) == ["b"]
    assert names({"launched_at": "^2026-11-22"}) == ["b"]
    assert names({"availability_zone": "zone-1", "key_name": "alice"}) == ["a"]
    assert names({"availability_zone": "zone-1", "key_name": "bob"}) == []


def check_regex_with_limit_and_marker(ctxt_factory) -> None:
    """Matched outside the database: the page is still the first ``limit``
    matches in list order, and the marker pages on from there."""
    ctxt = ctxt_factory(project=_project())
    for i in range(6):
        make_instance(ctxt, name=f"web-{i}" if i % 2 else f"db-{i}")
    first = instances.get_all(ctxt, {"display_name": "^web"}, limit=2, sort_keys=["display_name"],
                              sort_dirs=["asc"])
    assert _names(first) == ["web-1", "web-3"]
    rest = instances.get_all(ctxt, {"display_name": "^web"}, limit=2, marker=first[-1]["uuid"],
                             sort_keys=["display_name"], sort_dirs=["asc"])
    assert _names(rest) == ["web-5"]
    only = instances.get_all(ctxt, {"display_name": "^db-0$"}, columns=["display_name"])
    assert only == [{"uuid": only[0]["uuid"], "display_name": "db-0"}]


def check_pathological_regex_answers(ctxt_factory) -> None:
    """``^(a+)+$`` backtracks exponentially in the databases' engines; matched
    in linear time it just answers."""
    ctxt = ctxt_factory(project=_project())
    make_instance(ctxt, name="a" * 40 + "!")
    make_instance(ctxt, name="a" * 40)
    assert _names(instances.get_all(ctxt, {"display_name": "^(a+)+$"})) == ["a" * 40]


def check_exact_filters(ctxt_factory) -> None:
    ctxt = ctxt_factory(project=_project())
    a = make_instance(ctxt, name="a", vm_state="active", task_state=None)
    b = make_instance(ctxt, name="b", vm_state="active", task_state="rebooting")
    make_instance(ctxt, name="c", vm_state="error", task_state=None)
    _set(a, host="h1", image_ref="img-1")
    _set(b, host="h2", image_ref="img-1")

    def names(filters):
        return sorted(_names(instances.get_all(ctxt, filters)))

    assert names({"vm_state": ["active"]}) == ["a", "b"]
    assert names({"vm_state": ["active", "error"]}) == ["a", "b", "c"]
    assert names({"vm_state": ["active"], "task_state": ["rebooting"]}) == ["b"]
    assert names({"host": "h1"}) == ["a"]
    assert names({"host": "h"}) == []  # exact, not a regex
    assert names({"image_ref": "img-1"}) == ["a", "b"]
    assert names({"uuid": a["uuid"]}) == ["a"]


def check_flavor_filter(ctxt_factory) -> None:
    ctxt = ctxt_factory(project=_project())
    small_id, big_id = uuid.uuid4().hex, uuid.uuid4().hex
    for flavorid in (small_id, big_id):
        flavors.flavor_create({"flavorid": flavorid, "name": flavorid, "vcpus": 1,
                               "memory_mb": 512, "root_gb": 1, "ephemeral_gb": 0,
                               "swap": 0, "rxtx_factor": 1.0, "is_public": True,
                               "disabled": False})
    make_instance(ctxt, name="small", flavor=dict(FLAVOR, flavorid=small_id))
    make_instance(ctxt, name="big", flavor=dict(FLAVOR, flavorid=big_id))
    make_instance(ctxt, name="gone", flavor=dict(FLAVOR, flavorid="gone-" + small_id))

    assert _names(instances.get_all(ctxt, {"flavorid": small_id})) == ["small"]
    assert _names(instances.get_all(ctxt, {"flavorid": big_id})) == ["big"]
    # A flavor that does not exist (any more) matches nothing, as Nova's FlavorNotFound.
    assert instances.get_all(ctxt, {"flavorid": "gone-" + small_id}) == []


def check_changes_since_lists_deleted_servers(ctxt_factory) -> None:
    ctxt = ctxt_factory(project=_project())
    old = make_instance(ctxt, name="old")
    new = make_instance(ctxt, name="new")
    gone = make_instance(ctxt, name="gone")
    _delete(gone)
    _set(old, updated_at=T0)
    _set(new, updated_at=T0 + datetime.timedelta(hours=2))
    _set(gone, updated_at=T0 + datetime.timedelta(hours=3))

    def names(filters):
        return sorted(_names(instances.get_all(ctxt, filters)))

    since = (T0 + datetime.timedelta(hours=1)).isoformat()
    before = (T0 + datetime.timedelta(hours=2)).isoformat()
    assert names({}) == ["new", "old"]
    assert names({"changes-since": since}) == ["gone", "new"]
    assert names({"changes-since": T0.isoformat()}) == ["gone", "new", "old"]  # inclusive
    assert names({"changes-before": before}) == ["new", "old"]  # inclusive
    assert names({"changes-since": since, "changes-before": before}) == ["new"]
    assert names({"changes-since": since, "deleted": False}) == ["new"]
    assert names({"deleted": True}) == ["gone"]
    deleted = instances.get_all(ctxt, {"changes-since": since, "vm_state": ["deleted"]})
    assert [(i["display_name"], i["vm_state"]) for i in deleted] == [("gone", "deleted")]


def check_default_order_and_paging(ctxt_factory) -> None:
    """Newest first, ties on created_at broken by id: pages repeat and skip nothing."""
    ctxt = ctxt_factory(project=_project())
    made = [make_instance(ctxt, name=f"vm{i}") for i in range(7)]
    for inst in made[2:5]:
        _set(inst, created_at=T0)  # three with the same created_at
    everything = _names(instances.get_all(ctxt, {}))
    assert len(everything) == 7
    assert everything[-3:] == ["vm4", "vm3", "vm2"]  # same time: higher id first
    for limit in (1, 2, 3, 7, 10):
        assert _walk(ctxt, limit) == everything


def check_sort_keys_with_nulls(ctxt_factory) -> None:
    """NULL is the smallest value on every backend, and paging agrees with the order."""
    ctxt = ctxt_factory(project=_project())
    made = [make_instance(ctxt, name=f"vm{i}") for i in range(6)]
    for inst, key in zip(made, ["b", None, "a", None, "b", "c"]):
        _set(inst, key_name=key)
    asc = _names(instances.get_all(ctxt, {}, sort_keys=["key_name"], sort_dirs=["asc"]))
    # key asc, then created_at and id asc (the first key's direction)
    assert asc == ["vm1", "vm3", "vm2", "vm0", "vm4", "vm5"]
    desc = _names(instances.get_all(ctxt, {}, sort_keys=["key_name"], sort_dirs=["desc"]))
    assert desc == ["vm5", "vm4", "vm0", "vm2", "vm3", "vm1"]
    for limit in (1, 2, 4):
        assert _walk(ctxt, limit, sort_keys=["key_name"], sort_dirs=["asc"]) == asc
        assert _walk(ctxt, limit, sort_keys=["key_name"], sort_dirs=["desc"]) == desc
    two = _names(instances.get_all(ctxt, {}, sort_keys=["key_name", "display_name"],
                                   sort_dirs=["asc", "desc"]))
    assert two == ["vm3", "vm1", "vm2", "vm4", "vm0", "vm5"]
    assert _walk(ctxt, 2, sort_keys=["key_name", "display_name"],
                 sort_dirs=["asc", "desc"]) == two


def check_marker_may_be_deleted_meanwhile(ctxt_factory) -> None:
    ctxt = ctxt_factory(project=_project())
    for i in range(5):
        make_instance(ctxt, name=f"vm{i}")
    first = instances.get_all(ctxt, {}, limit=2)
    assert _names(first) == ["vm4", "vm3"]
    _delete(first[-1])
    rest = instances.get_all(ctxt, {}, limit=10, marker=first[-1]["uuid"])
    assert _names(rest) == ["vm2", "vm1", "vm0"]


def check_columns_are_the_full_rows_part(ctxt_factory) -> None:
    """With ``columns``, each instance is the full row's dict cut to those
    (and ``uuid``): same values, same timestamp strings, same JSON; faults
    and tags only when named."""
    ctxt = ctxt_factory(project=_project())
    failed = make_instance(ctxt, name="failed")
    make_instance(ctxt, name="tagged")
    assert instances.set_error(failed["uuid"], "boom", "trace", "host1")
    tagged = instances.get_all(ctxt, {"display_name": "^tagged$"})[0]
    with transaction() as conn:
        db_tags.add(conn, tagged["uuid"], ["blue", "red"])
    _set(tagged, launched_at=datetime.datetime(2026, 11, 21, 6, 0, 0),
         metadata={"role": "web"})
    full = instances.get_all(ctxt, {})
    assert {i["display_name"] for i in full} == {"failed", "tagged"}
    some = ["display_name", "launched_at", "created_at", "flavor", "metadata", "vm_state"]
    for columns in (some, some + ["fault"], some + ["tags"], some + ["fault", "tags"],
                    ["uuid"], ["display_name"]):
        cut = instances.get_all(ctxt, {}, columns=columns)
        keep = {"uuid", *columns}
        assert cut == [{k: v for k, v in i.items() if k in keep} for i in full], columns
    for columns in (["flavor.flavorid"], ["flavor.flavorid", "flavor"]):
        cut = instances.get_all(ctxt, {}, columns=columns)
        assert [i["flavor"] for i in cut] == [
            {"flavorid": i["flavor"]["flavorid"]} if columns == ["flavor.flavorid"]
            else i["flavor"] for i in full]
    [with_fault] = [i for i in instances.get_all(ctxt, {}, columns=["fault"])
                    if i["fault"]]
    assert with_fault["uuid"] == failed["uuid"] and with_fault["fault"]["message"] == "boom"


SCENARIOS = [
    check_columns_are_the_full_rows_part,
    check_name_is_a_regex, check_regex_on_other_columns, check_regex_with_limit_and_marker,
    check_pathological_regex_answers, check_exact_filters,
    check_flavor_filter, check_changes_since_lists_deleted_servers,
    check_default_order_and_paging, check_sort_keys_with_nulls,
    check_marker_may_be_deleted_meanwhile,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__[len("check_"):])
def test_scenario_on_sqlite(sqlite_db, ctxt_factory, scenario):
    scenario(ctxt_factory)


def test_regex_is_searched_as_nova_does_on_sqlite(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for name in ("web-1", "db-1", "cache"):
        make_instance(ctxt, name=name)
    found = instances.get_all(ctxt, {"display_name": r"^(web|db)-\d$"})
    assert sorted(_names(found)) == ["db-1", "web-1"]


def test_other_projects_marker_is_not_found(sqlite_db, ctxt_factory):
    theirs = make_instance(ctxt_factory(project="p2"))
    with pytest.raises(exception.MarkerNotFound):
        instances.get_all(ctxt_factory(project="p1"), {}, marker=theirs["uuid"])


def test_limit_zero_is_empty(sqlite_db, ctxt_factory):
    make_instance(ctxt_factory())
    assert instances.get_all(ctxt_factory(), {}, limit=0) == []


def test_members_see_only_their_project_whatever_the_filter(sqlite_db, ctxt_factory):
    make_instance(ctxt_factory(project="p2"), name="theirs")
    mine = ctxt_factory(project="p1")
    assert instances.get_all(mine, {"project_id": "p2", "changes-since": T0.isoformat()}) == []


def test_unknown_columns_are_refused(sqlite_db, ctxt_factory):
    make_instance(ctxt_factory())
    with pytest.raises(exception.InvalidInput):
        instances.get_all(ctxt_factory(), {}, columns=["uuid", "no_such_column"])


def test_columns_none_is_every_column_with_fault_and_tags(sqlite_db, ctxt_factory):
    make_instance(ctxt_factory())
    [found] = instances.get_all(ctxt_factory(), {}, columns=None)
    assert set(found) == {c.name for c in models.instances.columns} | {"fault", "tags"}


def test_a_snapshot_without_a_flavor_id_is_cut_to_nothing(sqlite_db, ctxt_factory):
    """As the view shows it: no flavor id, no flavor (``{}``)."""
    snapshot = {"name": "odd", "vcpus": 1, "memory_mb": 64, "root_gb": 1}
    make_instance(ctxt_factory(), flavor=snapshot)
    [found] = instances.get_all(ctxt_factory(), {}, columns=["flavor.flavorid"])
    assert found == {"uuid": found["uuid"], "flavor": {}}


def test_a_list_below_247_reads_the_flavor_id_not_the_snapshot(sqlite_db, ctxt_factory):
    """The database extracts the id (instance_columns.FLAVOR_ID): the snapshot's
    other keys are neither read nor sent; a null snapshot is no flavor."""
    make_instance(ctxt_factory(), name="whole")
    nothing = make_instance(ctxt_factory(), name="none")
    _set(nothing, flavor=None)
    found = {i["display_name"]: i for i in instances.get_all(
        ctxt_factory(), {}, columns=["display_name", "flavor.flavorid"])}
    assert found["whole"]["flavor"] == {"flavorid": FLAVOR["flavorid"]}
    assert found["none"]["flavor"] == {}
