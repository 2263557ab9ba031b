"""Exclusions: the hosts a request rules out by name, before any filter runs.

Not filters an operator configures but part of the request itself (its
``ignore_hosts``, an admin's ``requested_destination``, the hosts a
reschedule already failed on), so they always apply, first, and each one
that removes hosts is recorded in the decision like a filter.
"""

from minova.scheduler import filters as base_filters
from minova.scheduler.host_manager import HostState


def exclude_hosts(hosts: list[HostState], request_spec: dict,
                  max_names: int) -> tuple[list[HostState], list]:
    """Drop the hosts this request must not use, before any filter runs.

    ``ignore_hosts`` are host names; ``requested_destination`` (``{"host",
    "node"}``, either may be None) the one host/node an admin asked for;
    ``retry.hosts`` are the [host, node] pairs a build of this request
    already failed on (Nova's RetryFilter).
    Returns the remaining hosts and a filter record for each exclusion that
    removed something, so a decision shows why those hosts never competed;
    a record names at most ``max_names`` of them (see make_record).
    """
    records = []
    ignore = set(request_spec.get("ignore_hosts") or ())
    if ignore:
        kept = [h for h in hosts if h.host not in ignore]
        if len(kept) != len(hosts):
            records.append(base_filters.make_record("IgnoreHosts", hosts, kept, max_names))
        hosts = kept
    destination = request_spec.get("requested_destination") or {}
    if destination:
        # API 2.74: an admin named the host and/or node; only it competes.
        kept = [h for h in hosts
                if destination.get("host") in (None, h.host)
                and destination.get("node") in (None, h.nodename)]
        if len(kept) != len(hosts):
            records.append(base_filters.make_record("RequestedDestination", hosts, kept, max_names))
        hosts = kept
    retry = request_spec.get("retry") or {}
    tried = {(host, node) for host, node in retry.get("hosts") or ()}
    if tried:
        kept = [h for h in hosts if (h.host, h.nodename) not in tried]
        if len(kept) != len(hosts):
            records.append(base_filters.make_record("RetryFilter", hosts, kept, max_names))
        hosts = kept
    return hosts, records
