"""``/os-simple-tenant-usage``: what projects used over a period (Nova's usage report).

For each instance launched before the period ends and not terminated
before it starts: the hours it ran within the period, times its flavor's
vCPUs, RAM and disk, summed per project. ``start``/``end`` default to now,
``end`` is capped at now; ``detailed=1`` lists each server in the
all-projects report. From 2.40 the report pages by instance (``limit``,
``marker``: the last ``instance_id`` seen) with a ``next`` link; before,
it holds at most ``[api] max_limit`` instances. From 2.75 an unknown
query parameter is a 400.
"""

import datetime

import webob.exc
from oslo_config import cfg
from oslo_utils import timeutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query
from minova.api.schemas import simple_tenant_usage as schema
from minova.api.views import links
from minova.compute.quota_api import QuotaAPI
from minova.policies import simple_tenant_usage as stu_policies

CONF = cfg.CONF

PAGINATION_MICROVERSION = "2.40"
COLLECTION = "os-simple-tenant-usage"

_INPUT_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f")
# How Nova's JSON shows a datetime (oslo's to_primitive).
_OUTPUT_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def utcnow() -> datetime.datetime:
    return timeutils.utcnow().replace(tzinfo=None)


def _parse_datetime(value: str | None) -> datetime.datetime:
    if not value:
        return utcnow()
    for fmt in _INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise webob.exc.HTTPBadRequest(
        explanation="Invalid datetime string: Datetime is in invalid format")


def _period(req: wsgi.Request) -> tuple[datetime.datetime, datetime.datetime]:
    start = _parse_datetime(req.GET.get("start"))
    stop = _parse_datetime(req.GET.get("end"))
    if not start < stop:
        raise webob.exc.HTTPBadRequest(
            explanation="Invalid start time. The start time cannot occur after the end time.")
    return start, min(stop, utcnow())


def _time(value: str | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromisoformat(value)


def _hours(launched_at, terminated_at, start, stop) -> float:
    """Nova's ``_hours_for``: the part of [start, stop] the instance existed in."""
    if launched_at is None or (terminated_at and terminated_at < start) or launched_at > stop:
        return 0
    end = min(stop, terminated_at) if terminated_at else stop
    return (end - max(launched_at, start)).total_seconds() / 3600.0


def _usages(instances: list[dict], start, stop, detailed: bool) -> tuple[list, list]:
    """Per-project summaries (in the order the projects come) and every server's usage."""
    summaries: dict[str, dict] = {}
    server_usages = []
    now = utcnow()
    for instance in instances:
        launched_at, ended_at = _time(instance["launched_at"]), _time(instance["terminated_at"])
        flavor = instance.get("flavor") or {}
        info = {
            "hours": _hours(launched_at, ended_at, start, stop),
            "flavor": flavor.get("name", ""),
            "instance_id": instance["uuid"],
            "name": instance["display_name"],
            "tenant_id": instance["project_id"],
            "memory_mb": flavor.get("memory_mb", instance["memory_mb"]),
            "local_gb": (flavor.get("root_gb", instance["root_gb"])
                         + flavor.get("ephemeral_gb", instance["ephemeral_gb"])),
            "vcpus": flavor.get("vcpus", instance["vcpus"]),
            "started_at": launched_at.strftime(_OUTPUT_FORMAT),
            "ended_at": ended_at.strftime(_OUTPUT_FORMAT) if ended_at else None,
            "state": "terminated" if ended_at else instance["vm_state"],
            "uptime": int(((ended_at or now) - launched_at).total_seconds()),
        }
        summary = summaries.get(info["tenant_id"])
        if summary is None:
            summary = summaries[info["tenant_id"]] = {
                "tenant_id": info["tenant_id"], "total_local_gb_usage": 0,
                "total_vcpus_usage": 0, "total_memory_mb_usage": 0, "total_hours": 0,
                "start": start.strftime(_OUTPUT_FORMAT), "stop": stop.strftime(_OUTPUT_FORMAT)}
            if detailed:
                summary["server_usages"] = []
        summary["total_local_gb_usage"] += info["local_gb"] * info["hours"]
        summary["total_vcpus_usage"] += info["vcpus"] * info["hours"]
        summary["total_memory_mb_usage"] += info["memory_mb"] * info["hours"]
        summary["total_hours"] += info["hours"]
        server_usages.append(info)
        if detailed:
            summary["server_usages"].append(info)
    return list(summaries.values()), server_usages


class SimpleTenantUsageController:
    """Controller of ``/os-simple-tenant-usage``."""

    def __init__(self, quota_api: QuotaAPI) -> None:
        self.quota_api = quota_api

    def _instances(self, req: wsgi.Request, start, stop, project_id=None) -> list[dict]:
        paged = req.is_microversion(PAGINATION_MICROVERSION)
        if paged:
            limit, marker = pagination.get_limit_and_marker(req)
        else:
            limit, marker = CONF.api.max_limit, None
        try:
            return self.quota_api.get_instances_in_period(
                req.context, start, stop, project_id=project_id, limit=limit, marker=marker)
        except exception.MarkerNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message()) from None

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        """Every project's usage (admins)."""
        query.check_known(req, ("start", "end", "detailed", "limit", "marker"))
        policy.authorize(req.context, stu_policies.POLICY_ROOT % "list", {})
        start, stop = _period(req)
        detailed = req.GET.get("detailed", "0") == "1"
        instances = self._instances(req, start, stop)
        usages, server_usages = _usages(instances, start, stop, detailed)
        result = {"tenant_usages": usages}
        if req.is_microversion(PAGINATION_MICROVERSION):
            next_links = links.collection_links(req, server_usages, COLLECTION, "instance_id")
            if next_links:
                result["tenant_usages_links"] = next_links
        return result

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        """One project's usage, with every server's."""
        query.check_known(req, ("start", "end", "limit", "marker"))
        policy.authorize(req.context, stu_policies.POLICY_ROOT % "show", {"project_id": id})
        start, stop = _period(req)
        instances = self._instances(req, start, stop, project_id=id)
        usages, server_usages = _usages(instances, start, stop, detailed=True)
        result = {"tenant_usage": usages[0] if usages else {}}
        if req.is_microversion(PAGINATION_MICROVERSION):
            next_links = links.collection_links(req, server_usages, f"{COLLECTION}/{id}",
                                                "instance_id")
            if next_links:
                result["tenant_usage_links"] = next_links
        return result
