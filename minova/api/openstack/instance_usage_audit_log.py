"""``/os-instance_usage_audit_log``: how each compute host's usage audit of the
last completed period went (admins).

Nova's compute hosts run a periodic usage audit and record it per host and
period (its ``task_log`` table); this API sums those records for the last
period completed before now, or before ``/{timestamp}``. minova's computes
run no usage audit yet, so there are no records: every compute host (the
disabled ones too, as Nova counts them) is "not run". ``task_logs`` is the
one place such records would come in (the audit report is built from them
exactly as Nova builds it), so an audit task only has to supply them.
"""

import datetime

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.schemas import instance_usage_audit_log as schema
from minova.compute.host_api import HostAPI
from minova.objects import audit_period
from minova.policies import instance_usage_audit_log as iual_policies

COMPUTE_BINARY = "minova-compute"


def audit_report(begin: datetime.datetime, end: datetime.datetime, hosts: set[str],
                 task_logs: list[dict]) -> dict:
    """Nova's audit report of one period from its per-host task records
    (``host``, ``state``, ``task_items``, ``errors``, ``message``)."""
    done = {log["host"] for log in task_logs if log["state"] == "DONE"}
    running = {log["host"] for log in task_logs if log["state"] == "RUNNING"}
    missing = hosts - {log["host"] for log in task_logs}
    total_errors = sum(log["errors"] for log in task_logs)
    done_text = "ALL" if len(done) == len(hosts) else f"{len(done)} of {len(hosts)}"
    return {
        "period_beginning": str(begin),
        "period_ending": str(end),
        "num_hosts": len(hosts),
        "num_hosts_done": len(done),
        "num_hosts_running": len(running),
        "num_hosts_not_run": len(missing),
        "hosts_not_run": sorted(missing),
        "total_instances": sum(log["task_items"] for log in task_logs),
        "total_errors": total_errors,
        "overall_status": f"{done_text} hosts done. {total_errors} errors.",
        "log": {log["host"]: {"state": log["state"], "instances": log["task_items"],
                              "errors": log["errors"], "message": log["message"]}
                for log in task_logs},
    }


class InstanceUsageAuditLogController:
    """Controller of ``/os-instance_usage_audit_log``."""

    def __init__(self, host_api: HostAPI) -> None:
        self.host_api = host_api

    def task_logs(self, req: wsgi.Request, begin: datetime.datetime,
                  end: datetime.datetime) -> list[dict]:
        """The compute hosts' audit records of the period: none, as minova's
        computes run no usage audit yet."""
        return []

    def _report(self, req: wsgi.Request, before: datetime.datetime | None = None) -> dict:
        begin, end = audit_period.last_completed_month(before)
        services = self.host_api.service_get_all(req.context, binary=COMPUTE_BINARY)
        return audit_report(begin, end, {service["host"] for service in services},
                            self.task_logs(req, begin, end))

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        """The audit of the last period completed before now."""
        policy.authorize(req.context, iual_policies.BASE_POLICY_NAME % "list", {})
        return {"instance_usage_audit_logs": self._report(req)}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        """The audit of the last period completed before ``id``
        (``%Y-%m-%d %H:%M:%S[.%f]``)."""
        policy.authorize(req.context, iual_policies.BASE_POLICY_NAME % "show", {})
        fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in id else "%Y-%m-%d %H:%M:%S"
        try:
            before = datetime.datetime.strptime(id, fmt)
        except ValueError:
            raise webob.exc.HTTPBadRequest(
                explanation=f"Invalid timestamp for date {id}") from None
        return {"instance_usage_audit_log": self._report(req, before)}
