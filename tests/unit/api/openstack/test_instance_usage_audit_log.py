"""``/os-instance_usage_audit_log`` (admins): minova's computes run no usage audit."""

import datetime

import pytest

from minova.api.openstack import instance_usage_audit_log as iual

from .. import fakes

BASE = "/v2.1/os-instance_usage_audit_log"


def test_index_reports_every_compute_host_not_run(client):
    resp = client.get(BASE, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    log = resp.json["instance_usage_audit_logs"]
    assert log["hosts_not_run"] == ["compute1"]  # disabled, still counted (as Nova)
    assert (log["num_hosts"], log["num_hosts_done"], log["num_hosts_not_run"],
            log["num_hosts_running"], log["total_instances"], log["total_errors"]) == (
        1, 0, 1, 0, 0, 0)
    assert log["overall_status"] == "0 of 1 hosts done. 0 errors."
    assert log["log"] == {}
    assert client.host_api.calls[-1] == (
        "service_get_all", {"binary": "minova-compute", "host": None})


@pytest.mark.parametrize("before, begin, end", [
    ("2026-03-05 10:00:00", "2026-02-01 00:00:00", "2026-03-01 00:00:00"),
    ("2026-03-01 00:00:00.000001", "2026-02-01 00:00:00", "2026-03-01 00:00:00"),
    ("2026-03-01 00:00:00", "2026-01-01 00:00:00", "2026-02-01 00:00:00"),
])
def test_show_reports_the_period_before_a_time(client, before, begin, end):
    resp = client.get(f"{BASE}/{before}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    log = resp.json["instance_usage_audit_log"]
    assert (log["period_beginning"], log["period_ending"]) == (begin, end)


@pytest.mark.parametrize("before", ["yesterday", "2026-13-01 00:00:00", "2026-03-01"])
def test_bad_timestamp_is_400(client, before):
    resp = client.get(f"{BASE}/{before}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == f"Invalid timestamp for date {before}"


@pytest.mark.parametrize("path", ["", "/2026-03-05 10:00:00"])
def test_members_are_refused(client, path):
    assert client.get(BASE + path).status_int == 403


def test_report_from_task_records_is_novas():
    """What an audit task's records would give: Nova's sums and status line."""
    logs = [{"host": "a", "state": "DONE", "task_items": 3, "errors": 1, "message": "ok"},
            {"host": "b", "state": "RUNNING", "task_items": 2, "errors": 0, "message": ""}]
    report = iual.audit_report(datetime.datetime(2026, 1, 1), datetime.datetime(2026, 2, 1),
                               {"a", "b", "c"}, logs)
    assert report["overall_status"] == "1 of 3 hosts done. 1 errors."
    assert (report["num_hosts_done"], report["num_hosts_running"],
            report["hosts_not_run"], report["total_instances"]) == (1, 1, ["c"], 5)
    assert report["log"]["a"] == {"state": "DONE", "instances": 3, "errors": 1,
                                  "message": "ok"}
    done = iual.audit_report(datetime.datetime(2026, 1, 1), datetime.datetime(2026, 2, 1),
                             {"a"}, logs[:1])
    assert done["overall_status"] == "ALL hosts done. 1 errors."
