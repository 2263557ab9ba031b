"""The query parameters each list (or show) reads, for the document.

minova checks query parameters in code, not with schemas; this is what
those checks accept, by (controller class, action). The unit tests of the
document keep the names honest against the controllers' tests.
"""

_LIMIT = {"name": "limit", "schema": {"type": "integer", "minimum": 0},
          "description": "Most items to return (capped at [api] max_limit)."}
_MARKER = {"name": "marker", "schema": {"type": "string"},
           "description": "The id of the last item already seen."}
_SORT_DIR = {"name": "sort_dir", "schema": {"type": "string", "enum": ["asc", "desc"]}}


def _string(name: str, description: str = "") -> dict:
    param = {"name": name, "schema": {"type": "string"}}
    if description:
        param["description"] = description
    return param


def _integer(name: str) -> dict:
    return {"name": name, "schema": {"type": "integer", "minimum": 0}}


_BOOLEAN = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", "on", "off"]}
_BOOLEAN_STRICT = {"type": "string", "enum": ["true", "false"]}
_USER_ID = _string("user_id", "Another user's (admins).")

_CHANGES = [
    {"name": "changes-since", "schema": {"type": "string"},
     "description": "An ISO 8601 time: what changed at or after it."},
    {"name": "changes-before", "schema": {"type": "string"},
     "description": "An ISO 8601 time: what changed at or before it (2.66)."},
]

_SERVER_LIST = [
    _string("name", "A regular expression on the server name."),
    _string("status", "A server status (ACTIVE, SHUTOFF, ...); unknown ones are a 400."),
    {"name": "all_tenants", "schema": _BOOLEAN,
     "description": "Every project's servers (admins)."},
    _string("project_id", "With all_tenants: one project's servers (admins)."),
    _string("tenant_id", "The same as project_id."),
    _string("host", "Servers on one host (admins)."),
    _string("image", "Servers booted from this image id."),
    _string("flavor", "Servers built with this flavor id."),
    _string("reservation_id", "A regular expression on the reservation id."),
    {"name": "changes-since", "schema": {"type": "string", "format": "date-time"},
     "description": "Servers changed at or after this time, deleted ones included."},
    {"name": "changes-before", "schema": {"type": "string", "format": "date-time"},
     "description": "Servers changed at or before this time (2.66), deleted ones included."},
    _string("ip"),
    _string("ip6"),
    _string("tags", "Comma-separated: servers with all of these tags."),
    _string("tags-any", "Comma-separated: servers with any of these tags."),
    _string("not-tags", "Comma-separated: servers without all of these tags."),
    _string("not-tags-any", "Comma-separated: servers without any of these tags."),
    _string("availability_zone"), _string("user_id"), _string("image"), _string("flavor"),
    {"name": "locked", "schema": _BOOLEAN_STRICT, "description": "Locked servers (2.73)."},
    *_CHANGES,
    _LIMIT, _MARKER, _string("sort_key"), _SORT_DIR,
]

_FLAVOR_LIST = [
    _LIMIT, _MARKER, _string("sort_key"), _SORT_DIR,
    {"name": "is_public", "schema": {"type": "string"},
     "description": "Admins: true, false or none (all)."},
    _integer("minRam"), _integer("minDisk"),
]

_IMAGE_LIST = [_string("name"), _string("status"), _integer("minRam"), _integer("minDisk"),
               _LIMIT, _MARKER]

_WITH_SERVERS = {"name": "with_servers", "schema": _BOOLEAN,
                 "description": "List the servers on each hypervisor."}
_HYPERVISOR_LIST = [
    _LIMIT, _MARKER,
    {"name": "hypervisor_hostname_pattern",
     "schema": {"type": "string", "pattern": "^[a-zA-Z0-9-._]{1,255}$"},
     "description": "Hypervisors whose hostname contains this (SQL LIKE)."},
    _WITH_SERVERS,
]

QUERY_PARAMETERS: dict[tuple[str, str], list[dict]] = {
    ("ServersController", "index"): _SERVER_LIST,
    ("ServersController", "detail"): _SERVER_LIST,
    ("FlavorsController", "index"): _FLAVOR_LIST,
    ("FlavorsController", "detail"): _FLAVOR_LIST,
    ("ImagesController", "index"): _IMAGE_LIST,
    ("ImagesController", "detail"): _IMAGE_LIST,
    ("HypervisorsController", "index"): _HYPERVISOR_LIST,
    ("HypervisorsController", "detail"): _HYPERVISOR_LIST,
    ("HypervisorsController", "show"): [_WITH_SERVERS],
    ("ServicesController", "index"): [_string("binary"), _string("host")],
    ("HostController", "index"): [_string("zone", "Hosts of this availability zone.")],
    ("MigrationsController", "index"): [
        _string("status"), _string("host"), _string("source_compute"),
        _string("instance_uuid"), _string("migration_type"), _string("hidden"),
        _LIMIT, _MARKER, *_CHANGES, _string("user_id"), _string("project_id")],
    ("InstanceActionsController", "index"): [_LIMIT, _MARKER, *_CHANGES],
    ("KeypairController", "index"): [_USER_ID, _LIMIT, _MARKER],
    ("KeypairController", "show"): [_USER_ID],
    ("KeypairController", "delete"): [_USER_ID],
    ("LimitsController", "index"): [_string("tenant_id", "Another project's (admins).")],
    ("SimpleTenantUsageController", "index"): [
        _string("start", "An ISO 8601 time."), _string("end", "An ISO 8601 time."),
        {"name": "detailed", "schema": {"type": "string", "enum": ["0", "1"]}},
        _LIMIT, _MARKER],
    ("SimpleTenantUsageController", "show"): [
        _string("start", "An ISO 8601 time."), _string("end", "An ISO 8601 time."),
        _LIMIT, _MARKER],
    ("ServerGroupsController", "index"): [
        {"name": "all_projects", "schema": _BOOLEAN,
         "description": "Every project's groups (admins)."},
        _integer("limit"), _integer("offset"),
    ],
}


def query_parameters(controller_class: str, action: str) -> list[dict]:
    """OpenAPI parameter objects of the query string of one operation."""
    return [dict(param, **{"in": "query", "required": False})
            for param in QUERY_PARAMETERS.get((controller_class, action), [])]
