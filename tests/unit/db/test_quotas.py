"""Quota limits, counting and checks (minova.db.quotas) on SQLite."""

import datetime

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from minova import exception
from minova.db import (
    engine,
    instances,
    models,
    quotas,
    server_attributes,
    server_groups,
    tenant_usage,
)
from minova.db import keypairs as db_keypairs
from tests.unit.db.helpers import FLAVOR, make_instance

CONF = cfg.CONF
BIG = dict(FLAVOR, vcpus=8, memory_mb=16384)


def _count(ctxt) -> dict:
    with engine.get_engine().connect() as conn:
        return quotas.count_instances(conn, ctxt.project_id)


def _check(project_id, flavor, min_count, max_count) -> int:
    with engine.transaction() as conn:
        quotas.lock_project(conn, project_id)
        return quotas.check_instances(conn, project_id, flavor, min_count, max_count)


def test_defaults_are_novas(sqlite_db):
    assert quotas.defaults() == {
        "instances": 10, "cores": 20, "ram": 51200, "metadata_items": 128,
        "injected_files": 5, "injected_file_content_bytes": 10240,
        "injected_file_path_bytes": 255, "key_pairs": 100, "server_groups": 10,
        "server_group_members": 10, "fixed_ips": -1, "floating_ips": -1,
        "security_groups": -1, "security_group_rules": -1}


def test_defaults_follow_the_options(sqlite_db):
    CONF.set_override("instances", 3, group="quota")
    assert quotas.get_limits("p1")["instances"] == 3


def test_overrides_are_per_project_and_deleted_back_to_defaults(sqlite_db):
    limits = quotas.set_limits("p1", {"instances": 2, "cores": -1})
    assert limits["instances"] == 2 and limits["cores"] == -1 and limits["ram"] == 51200
    assert quotas.set_limits("p1", {"instances": 5})["instances"] == 5  # an update
    assert quotas.get_limits("p2")["instances"] == 10
    with engine.get_engine().connect() as conn:
        rows = conn.execute(sa.select(models.quotas.c.resource)
                            .where(models.quotas.c.project_id == "p1")).all()
    assert sorted(r.resource for r in rows) == ["cores", "instances"]
    quotas.delete_limits("p1")
    assert quotas.get_limits("p1") == quotas.defaults()


def test_instances_are_counted_until_deleted(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    first = make_instance(ctxt)
    make_instance(ctxt, flavor=BIG)
    make_instance(ctxt_factory(project="p2"))
    assert _count(ctxt) == {"instances": 2, "cores": 9, "ram": 16896}
    with engine.transaction() as conn:
        instances.soft_delete(first["uuid"], conn)
    assert _count(ctxt) == {"instances": 1, "cores": 8, "ram": 16384}
    usage = quotas.usages(ctxt.project_id)
    assert usage["instances"] == 1 and usage["key_pairs"] == 0


def test_check_instances_all_fit(sqlite_db, ctxt_factory):
    assert _check("p1", FLAVOR, 1, 10) == 10


def test_check_instances_reduces_max_count_to_what_fits(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for _ in range(7):
        make_instance(ctxt)
    assert _check(ctxt.project_id, FLAVOR, 2, 5) == 3


def test_check_instances_refuses_below_min_count_with_novas_message(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for _ in range(10):
        make_instance(ctxt)
    with pytest.raises(exception.TooManyInstances) as exc:
        _check(ctxt.project_id, FLAVOR, 1, 1)
    assert exc.value.code == 403
    assert exc.value.format_message() == (
        "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances")


def test_check_instances_names_every_resource_over(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    make_instance(ctxt, flavor=BIG)
    make_instance(ctxt, flavor=BIG)
    with pytest.raises(exception.TooManyInstances) as exc:
        _check(ctxt.project_id, BIG, 1, 2)
    assert exc.value.format_message() == (
        "Quota exceeded for cores, ram: Requested 16, 32768, but already used 16, 32768 "
        "of 20, 51200 cores, ram")
    quotas.set_limits(ctxt.project_id, {"ram": 20000})
    with pytest.raises(exception.TooManyInstances) as exc:
        _check(ctxt.project_id, BIG, 1, 1)
    assert exc.value.format_message() == (
        "Quota exceeded for cores, ram: Requested 8, 16384, but already used 16, 32768 "
        "of 20, 20000 cores, ram")


def test_check_instances_shows_a_min_max_request(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for _ in range(9):
        make_instance(ctxt)
    with pytest.raises(exception.TooManyInstances) as exc:
        _check(ctxt.project_id, FLAVOR, 2, 3)
    assert exc.value.format_message() == (
        "Quota exceeded for instances: Requested 2-3, but already used 9 of 10 instances")


def test_unlimited_is_never_over(sqlite_db, ctxt_factory):
    quotas.set_limits("p1", {"instances": -1, "cores": -1, "ram": -1})
    assert _check("p1", BIG, 1, 1000) == 1000


def test_recheck_refuses_only_over_the_limit(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for _ in range(3):
        make_instance(ctxt)
    quotas.set_limits(ctxt.project_id, {"instances": 3})
    with engine.get_engine().connect() as conn:
        quotas.recheck_instances(conn, ctxt.project_id, FLAVOR, 1)  # at the limit: fine
    quotas.set_limits(ctxt.project_id, {"instances": 2})
    with engine.get_engine().connect() as conn, pytest.raises(exception.TooManyInstances) as e:
        quotas.recheck_instances(conn, ctxt.project_id, FLAVOR, 1)
    assert e.value.format_message() == (
        "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances")


def test_create_with_fit_inserts_only_what_fits(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    rows = [dict(display_name=f"vm{i}", project_id=ctxt.project_id, user_id=ctxt.user_id,
                 flavor=FLAVOR, vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0,
                 vm_state="building", task_state="scheduling", power_state=0, metadata={},
                 config_drive="") for i in range(4)]
    created = instances.create(ctxt, rows, fit=lambda conn, n: 2)
    assert [i["display_name"] for i in created] == ["vm0", "vm1"]
    assert _count(ctxt)["instances"] == 2


def test_server_groups_quota(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    quotas.set_limits(ctxt.project_id, {"server_groups": 1})
    server_groups.create(ctxt, "a", "affinity")
    with pytest.raises(exception.QuotaError) as exc:
        server_groups.create(ctxt, "b", "affinity")
    assert exc.value.code == 403
    assert exc.value.format_message() == "Quota exceeded, too many server groups."
    assert len(server_groups.get_all(ctxt)) == 1
    server_groups.create(ctxt_factory(project="p2"), "c", "affinity")  # another project


def test_server_group_members_quota(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    quotas.set_limits(ctxt.project_id, {"server_group_members": 2})
    group = server_groups.create(ctxt, "a", "anti-affinity")
    row = dict(project_id=ctxt.project_id, user_id=ctxt.user_id, flavor=FLAVOR, vcpus=1,
               memory_mb=512, root_gb=1, ephemeral_gb=0, vm_state="building",
               task_state="scheduling", power_state=0, metadata={}, config_drive="")
    instances.create(ctxt, [dict(row, display_name="a")], group_uuid=group["uuid"])
    with pytest.raises(exception.QuotaError) as exc:
        instances.create(ctxt, [dict(row, display_name=n) for n in "bc"],
                         group_uuid=group["uuid"])
    assert exc.value.format_message() == "Quota exceeded, too many servers in group"
    assert _count(ctxt)["instances"] == 1  # the refused create wrote nothing
    instances.create(ctxt, [dict(row, display_name="b")], group_uuid=group["uuid"])
    assert len(server_groups.get(ctxt, group["uuid"])["members"]) == 2


def test_metadata_items_quota(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    inst = make_instance(ctxt, vm_state="active", task_state=None)
    quotas.set_limits(ctxt.project_id, {"metadata_items": 2})
    server_attributes.update_metadata(ctxt, inst["uuid"], {"a": "1", "b": "2"})
    with pytest.raises(exception.MetadataLimitExceeded) as exc:
        server_attributes.update_metadata(ctxt, inst["uuid"], {"c": "3"})
    assert exc.value.format_message() == "Maximum number of metadata items exceeds 2"
    assert instances.get(ctxt, inst["uuid"])["metadata"] == {"a": "1", "b": "2"}


def test_key_pairs_quota_counts_the_users_keypairs(sqlite_db):
    quotas.set_limits("p1", {"key_pairs": 1})
    db_keypairs.create("u1", "k1", "ssh-rsa AAA", "fp", project_id="p1")
    with pytest.raises(exception.KeypairLimitExceeded) as exc:
        db_keypairs.create("u1", "k2", "ssh-rsa AAA", "fp", project_id="p1")
    assert exc.value.code == 403
    db_keypairs.create("u2", "k1", "ssh-rsa AAA", "fp", project_id="p1")  # another user


def _launched(ctxt, name, launched, terminated=None, deleted=False):
    inst = make_instance(ctxt, name=name, vm_state="active", task_state=None)
    values = {"launched_at": launched, "terminated_at": terminated}
    with engine.transaction() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == inst["uuid"])
                     .values(deleted=inst["id"] if deleted else 0, **values))
    return inst


def test_tenant_usage_window_and_paging(sqlite_db, ctxt_factory):
    t0 = datetime.datetime(2026, 1, 1)
    hour = datetime.timedelta(hours=1)
    p1, p2 = ctxt_factory(project="p1"), ctxt_factory(project="p2")
    running = _launched(p1, "running", t0 + hour)
    gone = _launched(p1, "gone", t0, terminated=t0 + 2 * hour, deleted=True)
    _launched(p1, "before", t0 - 5 * hour, terminated=t0 - 4 * hour, deleted=True)
    _launched(p1, "after", t0 + 10 * hour)
    make_instance(p1, name="never-launched")
    other = _launched(p2, "other", t0)
    found = tenant_usage.active_in_window(t0, t0 + 5 * hour)
    assert [i["uuid"] for i in found] == sorted([running["uuid"], gone["uuid"]]) + [
        other["uuid"]]
    assert [i["uuid"] for i in tenant_usage.active_in_window(
        t0, t0 + 5 * hour, project_id="p2")] == [other["uuid"]]
    first = tenant_usage.active_in_window(t0, t0 + 5 * hour, limit=2)
    rest = tenant_usage.active_in_window(t0, t0 + 5 * hour, marker=first[-1]["uuid"])
    assert [i["uuid"] for i in first + rest] == [i["uuid"] for i in found]
    with pytest.raises(exception.MarkerNotFound):
        tenant_usage.active_in_window(t0, t0 + 5 * hour, marker="nope")
