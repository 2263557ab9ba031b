"""How ``GET /servers`` and ``/servers/detail`` read their query string.

Nova's rules (nova/api/openstack/compute/servers.py ``_get_servers`` and
the compute API's filter mapping), in one place: which filters a user may
give at which microversion (an admin, by ``allow_all_filters``, may give
any), how each becomes a database filter (``minova.db.instances.get_all``),
and the sort keys. What a non-admin gives beyond the allowed list is
dropped silently, as in Nova.
"""

import re

import webob.exc
from oslo_utils import strutils, timeutils

from minova import exception
from minova.api import wsgi
from minova.objects import list_regex, states

# The filters of a non-admin user, by the microversion that opened them
# (Nova's _get_server_search_options). all_tenants is listed so that it
# reaches its own policy check.
USER_SEARCH_OPTIONS = ("reservation_id", "name", "status", "image", "flavor", "ip",
                       "changes-since", "all_tenants")
USER_SEARCH_OPTIONS_BY_VERSION = (
    ("2.5", ("ip6",)),
    ("2.26", ("tags", "tags-any", "not-tags", "not-tags-any")),
    ("2.66", ("changes-before",)),
    ("2.73", ("locked",)),
    ("2.83", ("availability_zone", "config_drive", "key_name", "created_at",
              "launched_at", "terminated_at", "power_state", "task_state", "vm_state",
              "progress", "user_id")),
    ("2.90", ("hostname",)),
)
TAG_SEARCH_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")
PAGING_SORTING_PARAMS = ("sort_key", "sort_dir", "limit", "marker")
# Filters on tables Nova joins: a 400 even for admins, as are "_..." ones.
JOINED_TABLE_QUERY_PARAMS = ("block_device_mapping", "services", "metadata",
                             "system_metadata", "info_cache", "security_groups",
                             "pci_devices")

# Query parameter -> instances column, where the names differ (Nova's
# filter_mapping; other names are the column's own).
_FILTER_COLUMNS = {"name": "display_name", "image": "image_ref", "tenant_id": "project_id",
                   "display_description": "description"}
# Parameters that are not filters of their own, or are handled apart.
_NOT_FILTERS = {"all_tenants", "status", "changes-since", "changes-before", "deleted",
                "soft_deleted", "flavor", "ip", "ip6", "locked", *TAG_SEARCH_FILTERS}

# Nova's sort keys (the query schema's enum); the ignored ones are dropped
# with their direction, the admin-only ones are a 403 for others.
SORT_KEYS = (
    "access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone", "config_drive",
    "created_at", "display_description", "display_name", "host", "hostname", "image_ref",
    "instance_type_id", "kernel_id", "key_name", "launch_index", "launched_at", "locked_by",
    "node", "power_state", "progress", "project_id", "ramdisk_id", "root_device_name",
    "task_state", "terminated_at", "updated_at", "user_id", "uuid", "vm_state",
)
IGNORED_SORT_KEYS = (
    "architecture", "cell_name", "cleaned", "default_ephemeral_device",
    "default_swap_device", "deleted", "deleted_at", "disable_terminate", "ephemeral_gb",
    "ephemeral_key_uuid", "id", "key_data", "launched_on", "locked", "memory_mb", "os_type",
    "reservation_id", "root_gb", "shutdown_terminate", "user_data", "vcpus", "vm_mode",
)
ADMIN_ONLY_SORT_KEYS = ("host", "node")
# Nova's keys for attributes minova does not have (no disk config, flavor
# ids): accepted, and sorted by as if every server had the same.
_ABSENT_SORT_KEYS = ("auto_disk_config", "instance_type_id")
_SORT_COLUMNS = {"display_description": "description"}


class NothingMatches(Exception):
    """The query can match no server (an unknown status before 2.38, an ip filter)."""


def allowed_search_options(req: wsgi.Request) -> tuple[str, ...]:
    """The filters a non-admin may give at this request's microversion."""
    options = USER_SEARCH_OPTIONS
    for version, added in USER_SEARCH_OPTIONS_BY_VERSION:
        if req.is_microversion(version):
            options += added
    return options


# Every query parameter Nova's list schema knows (query_params_v21, 2.66's
# changes-before, 2.73's locked): from 2.75 any other is a 400.
KNOWN_QUERY_PARAMS_V275 = frozenset((
    "user_id", "project_id", "tenant_id", "launch_index", "image_ref", "image", "kernel_id",
    "ramdisk_id", "hostname", "key_name", "power_state", "vm_state", "task_state", "host",
    "node", "flavor", "reservation_id", "launched_at", "terminated_at", "availability_zone",
    "name", "display_name", "description", "display_description", "locked_by", "uuid",
    "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6", "auto_disk_config",
    "progress", "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted", "status",
    "changes-since", "ip", "ip6", "created_at", "limit", "marker", "changes-before",
    "locked", *TAG_SEARCH_FILTERS, *JOINED_TABLE_QUERY_PARAMS,
))


def _check_known_params(req: wsgi.Request) -> None:
    """2.75: an unknown query parameter is a 400 (``_...`` ones are refused apart)."""
    for key in req.GET:
        if key not in KNOWN_QUERY_PARAMS_V275 and not key.startswith("_"):
            raise exception.ValidationError(
                detail="Invalid input for query parameters. Additional properties are "
                f"not allowed ('{key}' was unexpected)")


def search_options(req: wsgi.Request, allow_all_filters: bool) -> dict:
    """The query's filters the caller may use (the last value of a repeated one)."""
    if req.is_microversion("2.75"):
        _check_known_params(req)
    if allow_all_filters:
        options = {k: v for k, v in req.GET.items() if k not in PAGING_SORTING_PARAMS}
    else:
        allowed = allowed_search_options(req)
        options = {k: v for k, v in req.GET.items() if k in allowed}
    if not req.is_microversion("2.66"):
        options.pop("changes-before", None)
    if not req.is_microversion("2.26"):
        for key in TAG_SEARCH_FILTERS:
            options.pop(key, None)
    for key in options:
        if key in JOINED_TABLE_QUERY_PARAMS or key.startswith("_"):
            raise webob.exc.HTTPBadRequest(explanation=f"Invalid filter field: {key}.")
    return options


def is_all_tenants(options: dict) -> bool:
    """Nova's reading of ``all_tenants``: present and empty means yes."""
    if "all_tenants" not in options:
        return False
    value = options["all_tenants"]
    if value == "":
        return True
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as err:
        raise exception.InvalidInput(reason=str(err)) from None


def _parse_time(name: str, value: str):
    """An ISO 8601 time as naive UTC (400 as Nova's schema's 'date-time' format)."""
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise exception.ValidationError(
            detail=f"Invalid input for query parameters {name}. Value: {value}. "
            f"'{value}' is not a 'date-time'") from None


def _check_regex(name: str, value: str) -> None:
    """Nova's 'regex' format (an empty pattern is not one: it would match
    everything), then what minova can match in bounded time (list_regex)."""
    try:
        if not value:
            raise re.error("empty")
        re.compile(value)
    except re.error:
        raise exception.ValidationError(
            detail=f"Invalid input for query parameters {name}. Value: {value}. "
            f"'{value}' is not a 'regex'") from None
    list_regex.check(name, value)


def db_filters(req: wsgi.Request, options: dict) -> dict:
    """The database filters of these search options (project scoping aside).

    Raises NothingMatches when no server can match, so the caller answers
    an empty list without asking the database.
    """
    context = req.context
    filters: dict = {}
    if "status" in req.GET:
        pairs = [pair for status in req.GET.getall("status")
                 for pair in states.states_from_status(status)]
        if not pairs:
            # An unknown status matches nothing; from 2.38 it is a 400.
            if req.is_microversion("2.38"):
                raise webob.exc.HTTPBadRequest(explanation="Invalid status value")
            raise NothingMatches()
        filters["vm_state"] = sorted({vm_state for vm_state, _task in pairs})
        task_states = [task for _vm, task in pairs]
        if "default" not in task_states:
            filters["task_state"] = sorted(set(task_states))

    for key in ("changes-since", "changes-before"):
        if key in options:
            filters[key] = _parse_time(key, options[key])
    if ("changes-since" in filters and "changes-before" in filters
            and filters["changes-before"] < filters["changes-since"]):
        raise webob.exc.HTTPBadRequest(
            explanation="The value of changes-since must be less than or equal to "
            "changes-before.")
    for key in ("changes-since", "changes-before"):
        if key in filters:
            filters[key] = filters[key].isoformat()

    if "deleted" in options:
        # Nova: an invalid value means not deleted.
        filters["deleted"] = strutils.bool_from_string(options["deleted"], default=False)
    if "soft_deleted" in options:
        # With deleted: whether soft-deleted servers are listed too (admins).
        filters["soft_deleted"] = strutils.bool_from_string(options["soft_deleted"],
                                                            default=False)
    if filters.get("vm_state") == [states.DELETED]:
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation="Only administrators may list deleted instances")
        filters["deleted"] = True

    for key in TAG_SEARCH_FILTERS:
        if key in options:
            filters[key] = options[key].split(",")
    if "flavor" in options:
        filters["flavorid"] = options["flavor"]
    if "locked" in options and req.is_microversion("2.73"):
        try:
            filters["locked"] = strutils.bool_from_string(options["locked"], strict=True)
        except ValueError as err:
            raise exception.InvalidInput(reason=str(err)) from None
    if "ip" in options or "ip6" in options:
        # Nova matches the servers' fixed addresses; minova's servers
        # have none, so no server matches.
        raise NothingMatches()

    for key, value in options.items():
        if key in _NOT_FILTERS:
            continue
        column = _FILTER_COLUMNS.get(key, key)
        if column not in ("project_id", "user_id", "image_ref", "vm_state", "task_state",
                          "uuid", "host"):
            _check_regex(key, value)
        filters[column] = value
    return filters


def sort_params(req: wsgi.Request) -> tuple[list[str], list[str]]:
    """The sort keys (as instance columns) and directions of the query.

    Nova's get_sort_params, remove_invalid_sort_keys and the database's
    process_sort_params checks: unknown keys are a 400, ignored keys are
    dropped with their direction, host and node are for admins (403), a
    direction is asc or desc and there are no more directions than keys.
    """
    keys = [key.strip() for key in req.GET.getall("sort_key")] or ["created_at"]
    dirs = [d.strip() for d in req.GET.getall("sort_dir")] or ["desc"]
    # 2.73 makes "locked" a sort key; 2.75 refuses the ignored ones.
    ignored = IGNORED_SORT_KEYS
    if req.is_microversion("2.75"):
        ignored = ("locked",)
    sortable_locked = req.is_microversion("2.73")
    for key in keys:
        if key not in SORT_KEYS and key not in ignored:
            raise exception.ValidationError(
                detail=f"Invalid input for query parameters sort_key. Value: {key}. "
                f"'{key}' is not one of {list(SORT_KEYS + ignored)}")
    for key in list(keys):
        if key == "locked" and sortable_locked:
            continue
        if key in IGNORED_SORT_KEYS or key in _ABSENT_SORT_KEYS:
            index = keys.index(key)
            if len(dirs) > index:
                dirs.pop(index)
            keys.pop(index)
        elif key in ADMIN_ONLY_SORT_KEYS and not req.context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation=f"Only administrators can sort servers by {key}")
    for direction in dirs:
        if direction not in ("asc", "desc"):
            raise exception.InvalidInput(
                reason="Unknown sort direction, must be 'desc' or 'asc'")
    if len(dirs) > len(keys):
        raise exception.InvalidInput(reason="Sort direction size exceeds sort key size")
    return [_SORT_COLUMNS.get(key, key) for key in keys], dirs
