"""The scheduler's host states as the database answers them: capability sets,
failed builds and service state, whole and incremental."""

import json

from minova.db import compute_nodes as db_compute_nodes
from minova.db import host_states as db_host_states
from minova.db import services
from tests.unit.db.helpers import X86, make_node, report


def test_disabled_service_reaches_the_scheduler_host_states(sqlite_db):
    make_node()
    full = db_host_states.host_states(None, 60)
    services.service_update({"disabled": True, "disabled_reason": "drain"},
                            host="host1", binary="minova-compute")
    since = {"ids": [[h["compute_node_id"]] * 2 for h in full["hosts"]],
             "generation_sum": full["generation_sum"], "max_updated": None}
    answer = db_host_states.host_states(since, 60)
    node_id = full["hosts"][0]["compute_node_id"]
    assert answer["services"]["disabled"] == [[node_id, "drain"]]


def test_host_states_send_each_capability_set_once(sqlite_db):
    report("h1")
    report("h2")
    arm = report("h3", cpu_info=json.dumps({"arch": "aarch64"}),
                 supported_instances=[["aarch64", "kvm", "hvm"]])
    answer = db_host_states.host_states(None, 60)
    by_host = {h["host"]: h for h in answer["hosts"]}
    sets = answer["capability_sets"]
    assert len(sets) == 2
    assert by_host["h1"]["capability_set"] == by_host["h2"]["capability_set"]
    x86_set = sets[by_host["h1"]["capability_set"]]
    assert x86_set == {"hypervisor_type": "QEMU", "hypervisor_version": 7002000,
                       "cpu_info": {"arch": "x86_64", "model": "EPYC"},
                       "supported_instances": X86}
    assert sets[by_host["h3"]["capability_set"]]["supported_instances"] == [
        ["aarch64", "kvm", "hvm"]]
    assert arm["id"] == by_host["h3"]["compute_node_id"]


def test_host_states_carry_failed_builds_only_where_there_are_some(sqlite_db):
    report("h1")
    report("h2")
    db_compute_nodes.compute_node_build_failed("h2", "h2")
    by_host = {h["host"]: h for h in db_host_states.host_states(None, 60)["hosts"]}
    assert "failed_builds" not in by_host["h1"]
    assert by_host["h2"]["failed_builds"] == 1


def test_a_failed_build_reaches_the_incremental_answer(sqlite_db):
    report("h1")
    report("h2")
    full = db_host_states.host_states(None, 60)
    nodes = full["hosts"]
    since = {"ids": [[nodes[0]["compute_node_id"], nodes[-1]["compute_node_id"]]],
             "generation_sum": full["generation_sum"],
             "max_updated": max(h["updated_at"] for h in nodes),
             "recent": [[h["compute_node_id"], h["generation"]] for h in nodes]}
    db_compute_nodes.compute_node_build_failed("h2", "h2")
    answer = db_host_states.host_states(since, 60)
    [changed] = answer["hosts"]
    assert changed["host"] == "h2" and changed["failed_builds"] == 1
    assert answer["capability_sets"][changed["capability_set"]]["hypervisor_type"] == "QEMU"


def test_unreadable_reports_become_empty_values(sqlite_db):
    report("h1", cpu_info="not json")
    [caps] = db_host_states.host_states(None, 60)["capability_sets"]
    assert caps["cpu_info"] == {} and caps["supported_instances"] == X86
