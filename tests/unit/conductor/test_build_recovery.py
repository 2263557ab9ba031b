"""Build recovery: builds whose conductor or compute stopped driving them
are taken over by exactly one conductor (SQLite, fake scheduler/compute)."""

import datetime

import oslo_messaging as messaging
import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import build_recovery
from minova.db import claims, engine, instances, models, orphan_builds
from minova.db.rows import utcnow
from tests.unit.conductor.fakes import selection
from tests.unit.db.helpers import make_node

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
LONG_AGO = datetime.timedelta(seconds=600)


@pytest.fixture
def recovery(conductor):
    return build_recovery.BuildRecovery("cond2", conductor.builder)


def _create(conductor, ctxt, count=1):
    """Record a request as the api does (with a reservation id), without building it."""
    found, _spec = conductor.create_instances(
        ctxt, base={"display_name": "vm", "flavor_ref": "1", "image_ref": IMAGE,
                    "reservation_id": "r-test0001"},
        count=count, request_spec={"availability_zone": None, "scheduler_hints": {}}
    ).values()
    return found


def _age(uuid, by=LONG_AGO):
    with engine.transaction() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == uuid)
                     .values(updated_at=utcnow() - by))


def _service(host, building, seen_ago=0.0):
    with engine.transaction() as conn:
        conn.execute(sa.update(models.services).where(models.services.c.host == host).values(
            building=building,
            last_seen_up=utcnow() - datetime.timedelta(seconds=seen_ago)))


def _claim_and_cast(conductor, ctxt, node):
    [inst] = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append({"selections": [[selection(node)]]})
    conductor.builder.build(ctxt, [{"uuid": inst["uuid"]}],
                            _spec_of(inst), None)
    assert instances.get(ctxt, inst["uuid"])["task_state"] == "spawning"
    return inst


def _spec_of(inst):
    from minova.db import request_specs
    return request_specs.get_for_instance(inst["uuid"], inst["reservation_id"])


def test_a_build_left_in_scheduling_is_scheduled_again(conductor, recovery, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    old, new = _create(conductor, ctxt), _create(conductor, ctxt)
    _age(old[0]["uuid"])
    conductor.scheduler_api.answers.append({"selections": [[selection(node)]]})
    counts = recovery.run()
    assert counts["rescheduled"] == 1
    # scheduled from the spec kept at create: its flavor and image
    [(spec, uuids)] = conductor.scheduler_api.calls
    assert uuids == [old[0]["uuid"]] and spec["image"]["id"] == IMAGE
    assert spec["flavor"]["flavorid"] == "1"
    assert [(h, u) for h, u, _ in conductor.compute_api.builds] == [("h1", old[0]["uuid"])]
    assert instances.get(ctxt, old[0]["uuid"])["task_state"] == "spawning"
    assert instances.get(ctxt, new[0]["uuid"])["task_state"] == "scheduling"


def test_only_one_of_two_conductors_takes_a_build(conductor, ctxt_factory):
    [inst] = _create(conductor, ctxt_factory())
    _age(inst["uuid"])
    [read_by_a] = orphan_builds.stale_builds("scheduling", utcnow())
    [read_by_b] = orphan_builds.stale_builds("scheduling", utcnow())
    assert orphan_builds.take(read_by_a, utcnow())
    assert not orphan_builds.take(read_by_b, utcnow())


def test_no_scheduler_answer_leaves_the_build_for_recovery(conductor, recovery,
                                                            ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    [inst] = _create(conductor, ctxt)
    conductor.scheduler_api.answers.append(messaging.MessagingTimeout("no answer"))
    conductor.builder.build(ctxt, [{"uuid": inst["uuid"]}], _spec_of(inst))
    got = instances.get(ctxt, inst["uuid"])
    assert (got["vm_state"], got["task_state"]) == ("building", "scheduling")
    _age(inst["uuid"])
    conductor.scheduler_api.answers.append({"selections": [[selection(node)]]})
    recovery.run()
    assert instances.get(ctxt, inst["uuid"])["task_state"] == "spawning"


def test_a_cast_its_live_host_never_took_is_cast_again(conductor, recovery, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    inst = _claim_and_cast(conductor, ctxt, node)
    _age(inst["uuid"])
    _service("h1", building=[])  # reported after the claim, without it
    assert recovery.run()["recast"] == 1
    assert [h for h, _, _ in conductor.compute_api.builds] == ["h1", "h1"]
    # taken over once: the next pass waits build_ack_timeout again
    assert recovery.run()["recast"] == 0


@pytest.mark.parametrize("building", [["listed"], None])
def test_a_build_its_live_host_holds_or_may_hold_is_left_alone(conductor, recovery,
                                                               ctxt_factory, building):
    ctxt = ctxt_factory()
    inst = _claim_and_cast(conductor, ctxt, make_node("h1"))
    _age(inst["uuid"])
    # listed by the host, or a host too old to list its builds
    _service("h1", building=None if building is None else [inst["uuid"]])
    assert recovery.run() == {"rescheduled": 0, "recast": 0, "failed": 0}
    assert len(conductor.compute_api.builds) == 1


def test_a_build_a_dead_host_never_took_goes_elsewhere(conductor, recovery, ctxt_factory):
    ctxt = ctxt_factory()
    dead, alive = make_node("h1"), make_node("h2")
    inst = _claim_and_cast(conductor, ctxt, dead)
    _age(inst["uuid"])
    _service("h1", building=[], seen_ago=3600)
    conductor.scheduler_api.answers.append({"selections": [[selection(alive)]]})
    assert recovery.run()["rescheduled"] == 1
    [(spec, _)] = conductor.scheduler_api.calls[1:]
    assert ["h1", "h1"] in spec["retry"]["hosts"]  # not chosen again
    got = instances.get(ctxt, inst["uuid"])
    assert (got["host"], got["task_state"]) == ("h2", "spawning")
    assert claims.get_for_node(dead["id"]) == []
    assert len(claims.get_for_node(alive["id"])) == 1


def test_a_build_a_dead_host_had_taken_ends_in_error(conductor, recovery, ctxt_factory):
    ctxt = ctxt_factory()
    node = make_node("h1")
    inst = _claim_and_cast(conductor, ctxt, node)
    _age(inst["uuid"])
    _service("h1", building=[inst["uuid"]], seen_ago=3600)
    assert recovery.run()["failed"] == 1
    got = instances.get(ctxt, inst["uuid"])
    assert got["vm_state"] == "error"
    assert "compute host stopped reporting" in got["fault"]["message"]
    assert "h1" not in got["fault"]["message"]
    assert got["fault"]["details"] == "On compute host h1"
    assert claims.get_for_node(node["id"]) == [] and got["host"] is None
    # the dead host's late report changes nothing
    with pytest.raises(exception.UnexpectedTaskStateError):
        conductor.build_finished(ctxt, inst["uuid"], "h1", 1)


def test_a_late_report_from_a_host_taken_for_dead_does_not_apply(conductor, recovery,
                                                                  ctxt_factory):
    ctxt = ctxt_factory()
    dead, alive = make_node("h1"), make_node("h2")
    inst = _claim_and_cast(conductor, ctxt, dead)
    _age(inst["uuid"])
    _service("h1", building=[], seen_ago=3600)
    conductor.scheduler_api.answers.append({"selections": [[selection(alive)]]})
    recovery.run()
    # h1 was only unreachable: it built the guest after all, and reports
    with pytest.raises(exception.UnexpectedTaskStateError):
        conductor.build_finished(ctxt, inst["uuid"], "h1", 1)
    conductor.builder.build_failed(ctxt, inst["uuid"], "h1", "h1", "boom", None, {}, [], True)
    got = instances.get(ctxt, inst["uuid"])
    assert (got["host"], got["task_state"]) == ("h2", "spawning")
    assert len(claims.get_for_node(alive["id"])) == 1


def test_a_database_outage_mid_build_leaves_the_build_for_recovery(conductor, recovery,
                                                                    ctxt_factory, monkeypatch):
    """Not ERROR "Build failed in the conductor": nothing is wrong with the build."""
    import pymysql
    import sqlalchemy.exc

    from minova.db import claims as db_claims

    ctxt = ctxt_factory()
    node = make_node("h1")
    [inst] = _create(conductor, ctxt)
    lost = sqlalchemy.exc.OperationalError(
        "UPDATE compute_nodes", {}, pymysql.err.OperationalError(2013, "Lost connection"))
    real_claim = db_claims.claim

    def claim_once_unreachable(*args, **kwargs):
        monkeypatch.setattr(db_claims, "claim", real_claim)
        raise lost

    monkeypatch.setattr(db_claims, "claim", claim_once_unreachable)
    conductor.scheduler_api.answers.append({"selections": [[selection(node)]]})
    conductor.builder.build(ctxt, [{"uuid": inst["uuid"]}], _spec_of(inst))
    got = instances.get(ctxt, inst["uuid"])
    assert (got["vm_state"], got["task_state"], got["fault"]) == ("building", "scheduling", None)
    _age(inst["uuid"])
    conductor.scheduler_api.answers.append({"selections": [[selection(node)]]})
    recovery.run()
    assert instances.get(ctxt, inst["uuid"])["task_state"] == "spawning"


def test_recovery_pauses_while_the_database_is_away(recovery, monkeypatch, caplog):
    import pymysql

    def unreachable(*args, **kwargs):
        raise pymysql.err.OperationalError(2003, "Can't connect")

    monkeypatch.setattr(orphan_builds, "stale_builds", unreachable)
    assert recovery.run() == {"rescheduled": 0, "recast": 0, "failed": 0}
    assert "Build recovery on cond2 paused" in caplog.text


def test_no_valid_host_right_after_a_bus_silence_is_not_final(conductor, recovery,
                                                               ctxt_factory, monkeypatch):
    from minova import servicegroup

    ctxt = ctxt_factory()
    [inst] = _create(conductor, ctxt)
    monkeypatch.setattr(servicegroup, "recovering", lambda: True)
    conductor.scheduler_api.answers.append(
        exception.NoValidHost(reason="ComputeFilter removed 3 of 3 hosts"))
    conductor.builder.build(ctxt, [{"uuid": inst["uuid"]}], _spec_of(inst))
    got = instances.get(ctxt, inst["uuid"])
    assert (got["vm_state"], got["task_state"]) == ("building", "scheduling")
