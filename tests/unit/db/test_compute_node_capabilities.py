"""What computes report about themselves, and each node's failed builds in a row,
as stored and as the scheduler's host states carry them."""

import json

import sqlalchemy as sa

from minova.db import claims, models, services
from tests.unit.db.helpers import make_instance, make_node

X86 = [["x86_64", "qemu", "hvm"], ["x86_64", "kvm", "hvm"]]


def report(host: str, **values) -> dict:
    """A compute's inventory report for ``host`` (one node named like the host)."""
    service = services.service_register(host, "minova-compute", "compute")
    resources = {
        "hypervisor_type": "QEMU", "hypervisor_version": 7002000,
        "cpu_info": json.dumps({"arch": "x86_64", "model": "EPYC"}), "host_ip": "127.0.0.1",
        "availability_zone": "nova", "vcpus": 4, "memory_mb": 4096, "local_gb": 100,
        "cpu_allocation_ratio": 1.0, "ram_allocation_ratio": 1.0, "disk_allocation_ratio": 1.0,
        "reserved_host_memory_mb": 0, "reserved_host_disk_mb": 0, "reserved_host_cpus": 0,
        "supported_instances": X86}
    resources.update(values)
    return services.compute_node_update(service["id"], host, host, resources)


def node_row(node_id: int):
    with services.get_engine().connect() as conn:
        return conn.execute(sa.select(models.compute_nodes).where(
            models.compute_nodes.c.id == node_id)).one()


def test_supported_instances_are_stored_and_a_change_bumps_the_generation(sqlite_db):
    node = report("h1")
    assert node["supported_instances"] == X86
    assert report("h1")["generation"] == node["generation"]
    changed = report("h1", supported_instances=X86[:1])
    assert changed["generation"] == node["generation"] + 1
    assert changed["supported_instances"] == X86[:1]


def test_a_failed_build_counts_and_bumps_the_generation(sqlite_db):
    node, other = make_node("h1"), make_node("h2")
    services.compute_node_build_failed("h1", "h1")
    services.compute_node_build_failed("h1", "h1")
    row = node_row(node["id"])
    assert row.failed_builds == 2 and row.generation == node["generation"] + 2
    assert row.updated_at.isoformat() > node["updated_at"]
    assert node_row(other["id"]).failed_builds == 0
    assert node_row(other["id"]).generation == other["generation"]


def test_a_successful_build_resets_its_nodes_count(sqlite_db, ctxt_factory):
    node, other = make_node("h1"), make_node("h2")
    for host in ("h1", "h2"):
        services.compute_node_build_failed(host, host)
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1",
                 {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    before = node_row(node["id"]).generation
    services.compute_node_build_succeeded("h1", inst["uuid"])
    assert node_row(node["id"]).failed_builds == 0
    assert node_row(node["id"]).generation == before + 1
    assert node_row(other["id"]).failed_builds == 1


def test_success_on_a_node_without_failures_writes_nothing(sqlite_db, ctxt_factory):
    node = make_node("h1")
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1",
                 {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    before = node_row(node["id"])
    services.compute_node_build_succeeded("h1", inst["uuid"])
    after = node_row(node["id"])
    assert (after.generation, after.updated_at) == (before.generation, before.updated_at)


def test_host_states_send_each_capability_set_once(sqlite_db):
    report("h1")
    report("h2")
    arm = report("h3", cpu_info=json.dumps({"arch": "aarch64"}),
                 supported_instances=[["aarch64", "kvm", "hvm"]])
    answer = services.host_states(None, 60)
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
    services.compute_node_build_failed("h2", "h2")
    by_host = {h["host"]: h for h in services.host_states(None, 60)["hosts"]}
    assert "failed_builds" not in by_host["h1"]
    assert by_host["h2"]["failed_builds"] == 1


def test_a_failed_build_reaches_the_incremental_answer(sqlite_db):
    report("h1")
    report("h2")
    full = services.host_states(None, 60)
    nodes = full["hosts"]
    since = {"ids": [[nodes[0]["compute_node_id"], nodes[-1]["compute_node_id"]]],
             "generation_sum": full["generation_sum"],
             "max_updated": max(h["updated_at"] for h in nodes),
             "recent": [[h["compute_node_id"], h["generation"]] for h in nodes]}
    services.compute_node_build_failed("h2", "h2")
    answer = services.host_states(since, 60)
    [changed] = answer["hosts"]
    assert changed["host"] == "h2" and changed["failed_builds"] == 1
    assert answer["capability_sets"][changed["capability_set"]]["hypervisor_type"] == "QEMU"


def test_unreadable_reports_become_empty_values(sqlite_db):
    report("h1", cpu_info="not json")
    [caps] = services.host_states(None, 60)["capability_sets"]
    assert caps["cpu_info"] == {} and caps["supported_instances"] == X86
