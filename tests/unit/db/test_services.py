"""Service records and compute nodes: registration, heartbeats, inventory generations."""

import pytest

from minova import exception
from minova.db import services
from tests.unit.db.helpers import make_node


def test_register_is_idempotent_per_host_and_binary(sqlite_db):
    first = services.service_register("h1", "minova-compute", "compute")
    again = services.service_register("h1", "minova-compute", "compute")
    other = services.service_register("h1", "minova-scheduler", "scheduler")
    assert first["id"] == again["id"] != other["id"]


def test_heartbeat_counts_and_unknown_service_fails(sqlite_db):
    svc = services.service_register("h1", "minova-compute", "compute")
    services.service_heartbeat(svc["id"])
    assert services.service_get_all(host="h1")[0]["report_count"] == 1
    with pytest.raises(exception.ServiceNotFound):
        services.service_heartbeat(9999)


def test_inventory_change_bumps_generation_and_same_report_does_not(sqlite_db):
    node = make_node(vcpus=4)
    same = make_node(vcpus=4)
    assert same["generation"] == node["generation"]
    changed = make_node(vcpus=8)
    assert changed["generation"] == node["generation"] + 1 and changed["vcpus"] == 8
    [(row, svc)] = services.compute_nodes_with_services()
    assert svc["host"] == "host1" and row["id"] == node["id"]
