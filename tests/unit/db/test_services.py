"""Service records: registration, heartbeats and what an operator may change."""

import pytest

from minova import exception
from minova.db import services


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


def test_service_update_by_host_and_binary_and_by_uuid(sqlite_db):
    svc = services.service_register("h1", "minova-compute", "compute")
    disabled = services.service_update({"disabled": True, "disabled_reason": "drain",
                                        "report_count": 99},
                                       host="h1", binary="minova-compute")
    assert (disabled["disabled"], disabled["disabled_reason"]) == (True, "drain")
    assert disabled["report_count"] == 0  # not an updatable field
    forced = services.service_update({"forced_down": True}, service_uuid=svc["uuid"])
    assert forced["forced_down"] is True and forced["disabled"] is True


def test_service_update_of_unknown_service(sqlite_db):
    services.service_register("h1", "minova-compute", "compute")
    with pytest.raises(exception.HostBinaryNotFound):
        services.service_update({"disabled": True}, host="h2", binary="minova-compute")
    with pytest.raises(exception.ServiceNotFound):
        services.service_update({"disabled": True},
                                service_uuid="00000000-0000-0000-0000-000000000000")
    assert services.service_get_all()[0]["disabled"] is False
