"""Response schemas of ``/os-instance_usage_audit_log`` (no request bodies)."""

from minova.api.schemas import response_types as rt

_log = rt.strict({
    "hosts_not_run": {"type": "array", "items": {"type": "string"}},
    # host -> how its audit of the period went
    "log": {"type": "object", "additionalProperties": rt.strict({
        "state": {"type": "string"},
        "instances": rt.non_negative_integer,
        "errors": rt.non_negative_integer,
        "message": {"type": "string"},
    })},
    "num_hosts": rt.non_negative_integer,
    "num_hosts_done": rt.non_negative_integer,
    "num_hosts_not_run": rt.non_negative_integer,
    "num_hosts_running": rt.non_negative_integer,
    "overall_status": {"type": "string"},
    "period_beginning": {"type": "string"},
    "period_ending": {"type": "string"},
    "total_errors": rt.non_negative_integer,
    "total_instances": rt.non_negative_integer,
})

index_response = rt.strict({"instance_usage_audit_logs": _log})
show_response = rt.strict({"instance_usage_audit_log": _log})
