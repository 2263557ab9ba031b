"""The conductor's build timeout check and its registration on the service."""

import datetime

import sqlalchemy as sa
from oslo_config import cfg

from minova import workers
from minova.cmd import conductor as conductor_cmd
from minova.conductor import build_timeout
from minova.db import instances, models
from minova.db.engine import get_engine
from minova.db.rows import utcnow
from tests.unit.db.helpers import make_instance

CONF = cfg.CONF


def test_check_sets_old_builds_to_error(sqlite_db, ctxt_factory):
    CONF.set_override("instance_build_timeout", 30, group="conductor")
    ctxt = ctxt_factory()
    old, young = make_instance(ctxt, name="old"), make_instance(ctxt, name="young")
    with get_engine().begin() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == old["uuid"])
                     .values(created_at=utcnow() - datetime.timedelta(seconds=31)))

    checker = build_timeout.BuildTimeoutChecker("conductor1")
    assert checker.check_instance_build_time() == [old["uuid"]]
    assert instances.get(ctxt, old["uuid"])["fault"]["message"] == \
        build_timeout.BUILD_TIMEOUT_MESSAGE
    assert instances.get(ctxt, young["uuid"])["vm_state"] == "building"


def test_check_does_nothing_when_disabled(sqlite_db, ctxt_factory):
    CONF.set_override("instance_build_timeout", 0, group="conductor")
    inst = make_instance(ctxt_factory())
    with get_engine().begin() as conn:
        conn.execute(sa.update(models.instances).values(
            created_at=utcnow() - datetime.timedelta(days=1)))
    assert build_timeout.BuildTimeoutChecker("c").check_instance_build_time() == []
    assert instances.get(ctxt_factory(), inst["uuid"])["vm_state"] == "building"


def test_conductor_service_runs_the_check_at_the_interval():
    CONF.set_override("build_timeout_check_interval", 7, group="conductor")
    service = conductor_cmd.create_service("conductor1")
    [(interval, task)] = [(i, t) for i, t in service.periodic_tasks
                          if getattr(t, "__self__", None).__class__.__name__
                          == "BuildTimeoutChecker"]
    assert interval == 7
    assert task.__func__ is build_timeout.BuildTimeoutChecker.check_instance_build_time


def test_only_the_first_worker_runs_the_check(monkeypatch):
    monkeypatch.setattr(workers, "_worker_index", 1)
    assert build_timeout.periodic_tasks("conductor1") == []
    monkeypatch.setattr(workers, "_worker_index", 0)
    assert len(build_timeout.periodic_tasks("conductor1")) == 1


def test_disabled_check_is_not_registered():
    CONF.set_override("instance_build_timeout", 0, group="conductor")
    assert build_timeout.periodic_tasks("conductor1") == []
