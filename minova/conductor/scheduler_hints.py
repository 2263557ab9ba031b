"""What the scheduler needs of the database to honour placement hints.

The scheduler holds no instances and no groups, so before every
``select_destinations`` (the first scheduling round and every reschedule)
the conductor turns the request's hints into plain data, fresh from the
database (docs/architecture.md "request spec"):

* ``instance_group``: the server group the ``group`` hint names, with its
  live members and one host per member that has one (None without a hint,
  or once the group is deleted);
* ``hint_hosts``: the hosts of the instances ``same_host`` /
  ``different_host`` name, as far as the caller may see them and they are
  not deleted. A uuid that names nothing resolves to nothing, as in Nova,
  whose filters then simply find no host of it.
"""

from minova.context import RequestContext
from minova.db import instances as db_instances
from minova.db import server_groups as db_server_groups
from minova.db.engine import get_engine

HOST_HINTS = ("same_host", "different_host")


def _uuids(value) -> list[str]:
    """A hint's instance uuids: Nova accepts one uuid or a list of them."""
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if v]


def resolve(ctxt: RequestContext, spec: dict) -> dict:
    """Fill ``spec["instance_group"]`` and ``spec["hint_hosts"]``; returns ``spec``.

    Called again before each scheduling round, so a reschedule sees the
    members placed (or deleted) since the last one.
    """
    hints = spec.get("scheduler_hints") or {}
    group_uuid = hints.get("group")
    if isinstance(group_uuid, list):  # Nova unwraps a one-element list
        group_uuid = group_uuid[0] if group_uuid else None
    if not group_uuid and not any(hints.get(name) for name in HOST_HINTS):
        spec["instance_group"], spec["hint_hosts"] = None, {name: [] for name in HOST_HINTS}
        return spec  # most requests: nothing to read
    with get_engine().connect() as conn:
        spec["instance_group"] = (db_server_groups.for_scheduling(str(group_uuid), conn)
                                  if group_uuid else None)
        spec["hint_hosts"] = {
            name: db_instances.hosts_of(ctxt, _uuids(hints.get(name)), conn)
            for name in HOST_HINTS}
    return spec
