"""``/os-simple-tenant-usage``, over the real conductor endpoint on SQLite."""

import datetime

import pytest
import sqlalchemy as sa

from minova.conductor import quotas
from minova.context import RequestContext
from minova.db import engine, models
from tests.unit.db.helpers import make_instance

from .. import fakes

BASE = "/v2.1/os-simple-tenant-usage"
T0 = datetime.datetime(2026, 1, 1)
HOUR = datetime.timedelta(hours=1)
PERIOD = "start=2026-01-01T00:00:00&end=2026-01-01T10:00:00"


@pytest.fixture
def client(sqlite_db):
    conductor = fakes.EndpointConductor(quotas.QuotaManager("test"), "quota_", "tenant_usage")
    return fakes.Client(conductor_api=conductor)


def _launched(project, name, launched, terminated=None) -> dict:
    inst = make_instance(RequestContext(user_id="u", project_id=project), name=name,
                         vm_state="active", task_state=None)
    with engine.transaction() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == inst["uuid"])
                     .values(launched_at=launched, terminated_at=terminated,
                             deleted=inst["id"] if terminated else 0,
                             vm_state="deleted" if terminated else "active"))
    return inst


def test_show_sums_the_hours_in_the_period(client):
    running = _launched(fakes.PROJECT, "running", T0 + 2 * HOUR)
    gone = _launched(fakes.PROJECT, "gone", T0 - HOUR, terminated=T0 + 3 * HOUR)
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}")
    assert resp.status_int == 200
    usage = resp.json["tenant_usage"]
    assert usage["tenant_id"] == fakes.PROJECT
    assert usage["start"] == "2026-01-01T00:00:00.000000"
    assert usage["stop"] == "2026-01-01T10:00:00.000000"
    assert usage["total_hours"] == pytest.approx(8 + 3)
    assert usage["total_vcpus_usage"] == pytest.approx(11)
    assert usage["total_memory_mb_usage"] == pytest.approx(512 * 11)
    assert usage["total_local_gb_usage"] == pytest.approx(11)
    by_id = {s["instance_id"]: s for s in usage["server_usages"]}
    assert by_id[running["uuid"]]["state"] == "active"
    assert by_id[running["uuid"]]["ended_at"] is None
    assert by_id[gone["uuid"]]["state"] == "terminated"
    assert by_id[gone["uuid"]]["uptime"] == 4 * 3600
    assert by_id[gone["uuid"]]["flavor"] == "m1.tiny"


def test_show_of_a_project_without_usage_is_empty(client):
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}")
    assert resp.status_int == 200 and resp.json == {"tenant_usage": {}}


def test_show_of_another_project_is_forbidden(client):
    assert client.get(f"{BASE}/{fakes.OTHER_PROJECT}?{PERIOD}").status_int == 403


def test_index_is_for_admins_and_lists_every_project(client):
    _launched(fakes.PROJECT, "a", T0)
    _launched(fakes.OTHER_PROJECT, "b", T0)
    assert client.get(f"{BASE}?{PERIOD}").status_int == 403
    resp = client.get(f"{BASE}?{PERIOD}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    usages = resp.json["tenant_usages"]
    assert sorted(u["tenant_id"] for u in usages) == sorted([fakes.PROJECT,
                                                             fakes.OTHER_PROJECT])
    assert all("server_usages" not in u for u in usages)
    detailed = client.get(f"{BASE}?{PERIOD}&detailed=1", token=fakes.ADMIN_TOKEN).json
    assert all(len(u["server_usages"]) == 1 for u in detailed["tenant_usages"])


@pytest.mark.parametrize("query, message", [
    ("start=yesterday", "Invalid datetime string: Datetime is in invalid format"),
    ("start=2026-01-02T00:00:00&end=2026-01-01T00:00:00",
     "Invalid start time. The start time cannot occur after the end time."),
])
def test_bad_periods_are_400(client, query, message):
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{query}")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message


def test_paging_from_240(client):
    for name in "abc":
        _launched(fakes.PROJECT, name, T0)
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}&limit=2",
                      headers=fakes.microversion("2.39"))
    assert len(resp.json["tenant_usage"]["server_usages"]) == 3  # no paging before
    assert "tenant_usage_links" not in resp.json
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}&limit=2",
                      headers=fakes.microversion("2.40"))
    first = resp.json["tenant_usage"]["server_usages"]
    assert len(first) == 2
    [link] = resp.json["tenant_usage_links"]
    assert link["rel"] == "next" and f"marker={first[-1]['instance_id']}" in link["href"]
    assert f"/os-simple-tenant-usage/{fakes.PROJECT}?" in link["href"]
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}&marker={first[-1]['instance_id']}",
                      headers=fakes.microversion("2.40"))
    assert len(resp.json["tenant_usage"]["server_usages"]) == 1
    assert "tenant_usage_links" not in resp.json
    resp = client.get(f"{BASE}?{PERIOD}&limit=1",
                      headers=fakes.microversion("2.40"), token=fakes.ADMIN_TOKEN)
    assert resp.json["tenant_usages_links"][0]["rel"] == "next"
    resp = client.get(f"{BASE}/{fakes.PROJECT}?{PERIOD}&marker=nope",
                      headers=fakes.microversion("2.40"))
    assert resp.status_int == 400


def test_unknown_query_parameters_from_275(client, latest):
    path = f"{BASE}/{fakes.PROJECT}?{PERIOD}&detailed=1"  # detailed is the index's only
    assert client.get(path, headers=fakes.microversion("2.74")).status_int == 200
    assert client.get(path, headers=fakes.microversion("2.75")).status_int == 400
