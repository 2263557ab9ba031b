"""Quotas in the conductor: at create, at the recheck before a build, and the
quota endpoints (RPC 1.8; 1.12: per-user quotas and quota classes), on SQLite."""

import pytest
from oslo_config import cfg

from minova import exception
from minova import rpc as minova_rpc
from minova.conductor import quotas, rpcapi
from minova.db import instances
from minova.db import quotas as db_quotas
from tests import fake_bus
from tests.unit.db.helpers import make_instance

CONF = cfg.CONF
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


class NoScheduler:
    def __init__(self):
        self.calls = []

    def select_destinations(self, ctxt, spec, uuids):
        self.calls.append(list(uuids))
        raise exception.NoValidHost(reason="no hosts in this test")


@pytest.fixture
def scheduler_api():
    """The ``conductor`` fixture's scheduler (conftest.py)."""
    return NoScheduler()


@pytest.fixture
def compute_api():
    """The ``conductor`` fixture's compute: no build here gets as far as a host."""
    return object()


def _create(conductor, ctxt, count=1, min_count=None, flavor_ref="1", metadata=None):
    return conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": flavor_ref, "image_ref": IMAGE,
                    "metadata": metadata or {}},
        count=count, request_spec={"availability_zone": None, "scheduler_hints": {},
                                   "min_count": min_count or count})


def _live(ctxt) -> list[dict]:
    return instances.get_all(ctxt, {"project_id": ctxt.project_id})


def test_create_refuses_over_the_instances_quota_and_writes_nothing(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    db_quotas.set_limits(ctxt.project_id, {"instances": 2})
    _create(conductor, ctxt, count=2)
    with pytest.raises(exception.TooManyInstances) as exc:
        _create(conductor, ctxt)
    assert exc.value.code == 403
    assert exc.value.format_message() == (
        "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances")
    assert len(_live(ctxt)) == 2
    _create(conductor, ctxt_factory(project="p2"))  # another project is not affected


def test_multi_create_gets_what_fits_when_at_least_min_count(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    db_quotas.set_limits(ctxt.project_id, {"instances": 3})
    result = _create(conductor, ctxt, count=5, min_count=2)
    assert len(result["instances"]) == 3
    assert result["request_spec"]["num_instances"] == 3
    assert result["request_spec"]["min_count"] == 2
    with pytest.raises(exception.TooManyInstances):
        _create(conductor, ctxt, count=2, min_count=1)


def test_cores_quota_refuses_a_big_flavor(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    with pytest.raises(exception.TooManyInstances) as exc:
        _create(conductor, ctxt, count=3, flavor_ref="5")  # 3 x 8 vCPUs > 20
    assert exc.value.format_message().startswith("Quota exceeded for cores")
    assert _live(ctxt) == []


def test_metadata_items_quota_at_create(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    db_quotas.set_limits(ctxt.project_id, {"metadata_items": 1})
    with pytest.raises(exception.MetadataLimitExceeded):
        _create(conductor, ctxt, metadata={"a": "1", "b": "2"})
    assert _live(ctxt) == []


def test_recheck_fails_the_build_when_the_limit_was_lowered(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    result = _create(conductor, ctxt, count=2)
    db_quotas.set_limits(ctxt.project_id, {"instances": 1})
    conductor.build_instances(ctxt, [i["uuid"] for i in result["instances"]],
                              result["request_spec"])
    assert conductor.scheduler_api.calls == []  # never scheduled
    for inst in result["instances"]:
        shown = instances.get(ctxt, inst["uuid"])
        assert shown["vm_state"] == "error" and shown["task_state"] is None
        assert shown["fault"]["message"] == (
            "Quota exceeded for instances: Requested 2, but already used 1 of 1 instances")


def test_recheck_that_fails_ends_in_error_not_in_build(conductor, ctxt_factory, monkeypatch):
    ctxt = ctxt_factory()
    result = _create(conductor, ctxt)

    def database_gone(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(quotas, "recheck", database_gone)
    conductor.build_instances(ctxt, [result["instances"][0]["uuid"]], result["request_spec"])
    shown = instances.get(ctxt, result["instances"][0]["uuid"])
    assert shown["vm_state"] == "error"
    assert shown["fault"]["message"] == (
        "Build failed in the conductor: RuntimeError: database went away")
    assert conductor.scheduler_api.calls == []


def test_recheck_passes_within_the_limit_or_when_off(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    result = _create(conductor, ctxt)
    conductor.build_instances(ctxt, [result["instances"][0]["uuid"]], result["request_spec"])
    assert len(conductor.scheduler_api.calls) == 1  # went on to scheduling
    CONF.set_override("recheck_quota", False, group="quota")
    result = _create(conductor, ctxt)
    db_quotas.set_limits(ctxt.project_id, {"instances": 1})
    conductor.build_instances(ctxt, [result["instances"][0]["uuid"]], result["request_spec"])
    assert len(conductor.scheduler_api.calls) == 2


def test_quota_update_refuses_a_limit_below_usage_unless_forced(sqlite_db, ctxt_factory):
    ctxt = ctxt_factory()
    for _ in range(3):
        make_instance(ctxt)
    manager = quotas.QuotaManager("test")
    with pytest.raises(exception.Invalid) as exc:
        manager.quota_update(ctxt, ctxt.project_id, {"instances": 2, "cores": 50})
    assert exc.value.code == 400
    assert exc.value.format_message() == (
        "Quota limit 2 for instances must be greater than or equal to already used and "
        "reserved 3.")
    assert db_quotas.get_limits(ctxt.project_id)["cores"] == 20  # nothing was written
    assert manager.quota_update(ctxt, ctxt.project_id, {"instances": -1})["instances"] == -1
    limits = manager.quota_update(ctxt, ctxt.project_id, {"instances": 2}, force=True)
    assert limits["instances"] == 2


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "quota-test", [quotas.QuotaManager()]):
        yield rpcapi.ConductorAPI()


def test_quota_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    admin = ctxt_factory(admin=True)
    make_instance(ctxt_factory(project="p1"))
    assert conductor_api.quota_defaults(admin)["instances"] == 10
    assert conductor_api.quota_update(admin, "p1", {"instances": 4})["instances"] == 4
    got = conductor_api.quota_get(admin, "p1", usages=True)
    assert got["limits"]["instances"] == 4 and got["in_use"]["instances"] == 1
    assert "in_use" not in conductor_api.quota_get(admin, "p1")
    with pytest.raises(exception.Invalid):  # crosses RPC as itself
        conductor_api.quota_update(admin, "p1", {"instances": 0})
    conductor_api.quota_delete(admin, "p1")
    assert conductor_api.quota_get(admin, "p1")["limits"]["instances"] == 10
    assert conductor_api.tenant_usage_instances(
        admin, "2026-01-01T00:00:00", "2026-01-02T00:00:00") == []


def test_user_and_class_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    """RPC 1.12."""
    admin = ctxt_factory(admin=True)
    make_instance(ctxt_factory(project="p1", user="u1"))
    assert conductor_api.quota_update(admin, "p1", {"instances": 3},
                                      user_id="u1")["instances"] == 3
    got = conductor_api.quota_get(admin, "p1", usages=True, user_id="u1")
    assert got["limits"]["instances"] == 3 and got["in_use"]["instances"] == 1
    assert conductor_api.quota_get(admin, "p1")["limits"]["instances"] == 10
    conductor_api.quota_delete(admin, "p1", user_id="u1")
    assert conductor_api.quota_get(admin, "p1", user_id="u1")["limits"]["instances"] == 10
    assert conductor_api.quota_class_get(admin, "default")["cores"] == 20
    assert conductor_api.quota_class_update(admin, "default", {"cores": 30})["cores"] == 30
    # the default class's limits are every project's defaults
    assert conductor_api.quota_defaults(admin)["cores"] == 30
    assert conductor_api.quota_get(admin, "p9")["limits"]["cores"] == 30
    assert conductor_api.quota_class_get(admin, "gold")["cores"] == 20


def test_user_quotas_are_sent_only_at_1_12(sqlite_db, ctxt_factory):
    capped = rpcapi.ConductorAPI.__new__(rpcapi.ConductorAPI)
    capped.client = minova_rpc.get_client(rpcapi.TOPIC, version="1.0", version_cap="1.11")
    with pytest.raises(exception.Invalid):
        capped.quota_get(ctxt_factory(admin=True), "p1", user_id="u1")
    with pytest.raises(exception.Invalid):
        capped.quota_class_get(ctxt_factory(admin=True), "default")


def test_user_limit_bounds(sqlite_db, ctxt_factory):
    """Nova's: at least what the user uses, at most what the project has left
    for its users plus the user's own; the project's at least what its users
    were given."""
    manager = quotas.QuotaManager("test")
    ctxt = ctxt_factory(project="p1", user="u1")
    make_instance(ctxt)
    make_instance(ctxt)
    manager.quota_update(ctxt, "p1", {"instances": 10})
    with pytest.raises(exception.Invalid) as exc:
        manager.quota_update(ctxt, "p1", {"instances": 1}, user_id="u1")
    assert exc.value.format_message() == (
        "Quota limit 1 for instances must be greater than or equal to already used and "
        "reserved 2.")
    manager.quota_update(ctxt, "p1", {"instances": 6}, user_id="u1")
    with pytest.raises(exception.Invalid) as exc:
        manager.quota_update(ctxt, "p1", {"instances": 5}, user_id="u2")
    assert exc.value.format_message() == (
        "Quota limit 5 for instances must be less than or equal to 4.")
    with pytest.raises(exception.Invalid):
        manager.quota_update(ctxt, "p1", {"instances": -1}, user_id="u2")
    assert manager.quota_update(ctxt, "p1", {"instances": 10},
                                user_id="u1")["instances"] == 10  # its own 6 counts
    with pytest.raises(exception.Invalid) as exc:
        manager.quota_update(ctxt, "p1", {"instances": 8})
    assert "must be greater than or equal to already used and reserved 10" in (
        exc.value.format_message())
    assert manager.quota_update(ctxt, "p1", {"instances": 3}, user_id="u2",
                                force=True)["instances"] == 3
    manager.quota_delete(ctxt, "p1")  # the project's users' limits go too
    assert manager.quota_get(ctxt, "p1", user_id="u1")["limits"]["instances"] == 10


def test_a_users_own_instances_limit_is_enforced_at_create(conductor, ctxt_factory):
    manager = quotas.QuotaManager("test")
    alice, bob = ctxt_factory(user="alice"), ctxt_factory(user="bob")
    manager.quota_update(alice, alice.project_id, {"instances": 1}, user_id="alice")
    _create(conductor, alice)
    with pytest.raises(exception.TooManyInstances) as exc:
        _create(conductor, alice)
    assert exc.value.format_message() == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
    _create(conductor, bob)  # bob has the project's limit
    assert len(_live(alice)) == 2


def test_keypair_create_counts_against_the_callers_project(sqlite_db, ctxt_factory):
    from minova.conductor import keypairs

    ctxt = ctxt_factory()
    db_quotas.set_limits(ctxt.project_id, {"key_pairs": 1})
    manager = keypairs.KeypairManager("test")
    manager.keypair_create(ctxt, ctxt.user_id, "k1")
    with pytest.raises(exception.KeypairLimitExceeded):
        manager.keypair_create(ctxt, ctxt.user_id, "k2")
