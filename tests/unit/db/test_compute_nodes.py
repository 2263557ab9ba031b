"""Compute nodes: inventory generations, what computes report about themselves,
and each node's failed builds in a row."""

import sqlalchemy as sa

from minova.db import claims, models
from minova.db import compute_nodes as db_compute_nodes
from minova.db.engine import get_engine
from tests.unit.db.helpers import X86, make_instance, make_node, report


def node_row(node_id: int):
    with get_engine().connect() as conn:
        return conn.execute(sa.select(models.compute_nodes).where(
            models.compute_nodes.c.id == node_id)).one()


def test_inventory_change_bumps_generation_and_same_report_does_not(sqlite_db):
    node = make_node(vcpus=4)
    same = make_node(vcpus=4)
    assert same["generation"] == node["generation"]
    changed = make_node(vcpus=8)
    assert changed["generation"] == node["generation"] + 1 and changed["vcpus"] == 8
    [(row, svc)] = db_compute_nodes.compute_nodes_with_services()
    assert svc["host"] == "host1" and row["id"] == node["id"]


def test_supported_instances_are_stored_and_a_change_bumps_the_generation(sqlite_db):
    node = report("h1")
    assert node["supported_instances"] == X86
    assert report("h1")["generation"] == node["generation"]
    changed = report("h1", supported_instances=X86[:1])
    assert changed["generation"] == node["generation"] + 1
    assert changed["supported_instances"] == X86[:1]


def test_a_failed_build_counts_and_bumps_the_generation(sqlite_db):
    node, other = make_node("h1"), make_node("h2")
    db_compute_nodes.compute_node_build_failed("h1", "h1")
    db_compute_nodes.compute_node_build_failed("h1", "h1")
    row = node_row(node["id"])
    assert row.failed_builds == 2 and row.generation == node["generation"] + 2
    assert row.updated_at.isoformat() > node["updated_at"]
    assert node_row(other["id"]).failed_builds == 0
    assert node_row(other["id"]).generation == other["generation"]


def test_a_successful_build_resets_its_nodes_count(sqlite_db, ctxt_factory):
    node, other = make_node("h1"), make_node("h2")
    for host in ("h1", "h2"):
        db_compute_nodes.compute_node_build_failed(host, host)
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1",
                 {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    before = node_row(node["id"]).generation
    db_compute_nodes.compute_node_build_succeeded("h1", inst["uuid"])
    assert node_row(node["id"]).failed_builds == 0
    assert node_row(node["id"]).generation == before + 1
    assert node_row(other["id"]).failed_builds == 1


def test_success_on_a_node_without_failures_writes_nothing(sqlite_db, ctxt_factory):
    node = make_node("h1")
    inst = make_instance(ctxt_factory())
    claims.claim(inst["uuid"], node["id"], "h1", "h1",
                 {"vcpus": 1, "memory_mb": 512, "disk_gb": 1})
    before = node_row(node["id"])
    db_compute_nodes.compute_node_build_succeeded("h1", inst["uuid"])
    after = node_row(node["id"])
    assert (after.generation, after.updated_at) == (before.generation, before.updated_at)
