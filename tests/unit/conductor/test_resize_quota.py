"""A resize's growth against the quota (Nova's _check_quota_for_upsize):
403 TooManyInstances with nothing recorded when the extra cores or ram do
not fit; a migration or a downsize is never checked (SQLite, fake
scheduler/compute)."""

import pytest

from minova import exception
from minova.db import instances as db_instances
from minova.db import quotas as db_quotas
from minova.db import server_migrations as db_migrations
from minova.db import user_quotas as db_user_quotas
from tests.unit.conductor import test_migrate
from tests.unit.conductor.test_migrate import _migrate, _placed
from tests.unit.db.helpers import make_node


@pytest.fixture
def compute_api():
    return test_migrate.MovingCompute()


@pytest.fixture
def nodes(sqlite_db):
    return {h: make_node(h, vcpus=8, memory_mb=8192, local_gb=100) for h in ("h1", "h2")}


def _refused(conductor, ctxt, inst, flavor_ref):
    with pytest.raises(exception.TooManyInstances) as caught:
        conductor.migrate_server(ctxt, inst["uuid"], flavor_ref=flavor_ref)
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["task_state"], after["flavor"]["flavorid"]) == (None, "1")
    assert db_migrations.latest_for_instance(inst["uuid"], db_migrations.UNFINISHED
                                             + ("error",)) is None
    return caught.value.format_message()


def test_growth_over_the_ram_quota_is_refused(conductor, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)  # m1.tiny: 1 core, 512 MiB
    db_quotas.set_limits(ctxt.project_id, {"ram": 1024})
    message = _refused(conductor, ctxt, inst, "2")  # m1.small: 2048 MiB, +1536
    assert message == ("Quota exceeded for ram: Requested 1536, but already used 512 of "
                       "1024 ram")


def test_growth_over_the_cores_quota_is_refused(conductor, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    db_quotas.set_limits(ctxt.project_id, {"cores": 1})
    message = _refused(conductor, ctxt, inst, "3")  # m1.medium: 2 cores, 4096 MiB
    assert message.startswith("Quota exceeded for cores: Requested 1, but already used 1 "
                              "of 1 cores")


def test_a_users_own_limit_refuses_too(conductor, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    db_user_quotas.set_limits(ctxt.project_id, inst["user_id"], {"ram": 1024})
    assert "ram" in _refused(conductor, ctxt, inst, "2")


def test_growth_within_the_quota_starts(conductor, scheduler_api, nodes, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    db_quotas.set_limits(ctxt.project_id, {"ram": 2048, "cores": 1})
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes, flavor_ref="2")
    assert migration["migration_type"] == "resize"


def test_a_migration_is_not_checked_even_over_the_quota(conductor, scheduler_api, nodes,
                                                        ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, nodes)
    db_quotas.set_limits(ctxt.project_id, {"ram": 256, "cores": 0})  # already over
    _, migration = _migrate(conductor, scheduler_api, ctxt, inst, nodes)
    assert migration["migration_type"] == "migration"
