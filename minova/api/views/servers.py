"""Nova's server views (create, index, detail/show), at each microversion.

The input is the instance dict the compute API returns (the columns of
``instances`` plus ``fault``). minova has no networking or volumes yet, so
``addresses`` is ``{}``, ``os-extended-volumes:volumes_attached`` is ``[]``
and ``security_groups`` is the ``default`` group. docs/api.md lists what
each microversion changes here.
"""

import hashlib

from minova import policy
from minova.api import wsgi
from minova.api.views import links, times
from minova.objects import states
from minova.objects.hostname import sanitize_hostname
from minova.policies import extended_server_attributes as esa_policies
from minova.policies import servers as server_policies

COLLECTION = "servers"
SERVER_GROUPS_MIN_VERSION = "2.71"

_PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")
_FAULT_STATUSES = ("ERROR", "DELETED")
_DEFAULT_SECURITY_GROUPS = [{"name": "default"}]


def host_id(host: str | None, project_id: str | None) -> str:
    """An opaque id of the host, per project: same host, same id, for one project only."""
    if not host:
        return ""
    return hashlib.sha224((str(project_id) + host).encode("utf-8")).hexdigest()


def status(instance: dict) -> str:
    if instance.get("deleted"):
        return "DELETED"
    return states.status_from_state(instance.get("vm_state"), instance.get("task_state"))


def instance_name(instance: dict) -> str:
    """The hypervisor's name for the guest (Nova's default instance_name_template)."""
    return f"instance-{instance['id']:08x}"


def _disk_config(instance: dict) -> str:
    return "AUTO" if instance.get("auto_disk_config") else "MANUAL"


def _image(view: "_View", instance: dict):
    image_ref = instance.get("image_ref")
    if not image_ref:
        return ""
    if not view.v2_98:
        return view.image(image_ref)
    image_id = str(image_ref).rstrip("/").rsplit("/", 1)[-1]
    # The server's copy, made at create: what the image said then, not now
    # ({} for a server created before minova kept one).
    return {"id": image_id, "links": view.image_links(image_id),
            "properties": dict(instance.get("image_properties") or {})}


def _flavor(view: "_View", instance: dict) -> dict:
    """A link to the flavor; from 2.47 the instance's copy of it, which stays
    what the server was built with even if the flavor changes or goes."""
    flavor = instance.get("flavor") or {}
    if "flavorid" not in flavor:
        return {}
    if view.v2_47:
        embedded = {
            "vcpus": flavor["vcpus"],
            "ram": flavor["memory_mb"],
            "disk": flavor["root_gb"],
            "ephemeral": flavor.get("ephemeral_gb", 0),
            "swap": flavor.get("swap", 0),
            "original_name": flavor["name"],
        }
        if view.show_extra_specs:
            embedded["extra_specs"] = dict(flavor.get("extra_specs") or {})
        return embedded
    return view.flavor_link(flavor["flavorid"])


def _hostname(instance: dict) -> str:
    """The guest's hostname, fixed at create (derived here for servers created
    before it was stored, or whose name gave no usable hostname)."""
    if instance.get("hostname"):
        return instance["hostname"]
    return sanitize_hostname(instance.get("display_name") or "",
                             default=f"Server-{instance['uuid']}")


def _fault(request: wsgi.Request, instance: dict) -> dict | None:
    fault = instance.get("fault")
    if not fault:
        return None
    fault_dict = {
        "code": fault["code"],
        "created": times.isotime(fault.get("created_at")),
        "message": fault["message"],
    }
    # Details of an internal error (a traceback, say) are for admins only.
    if fault.get("details") and (request.context.is_admin or fault["code"] != 500):
        fault_dict["details"] = fault["details"]
    return fault_dict


def create(request: wsgi.Request, instance: dict, security_groups: list | None) -> dict:
    """The 202 body of ``POST /servers`` (without ``adminPass``)."""
    return {
        "server": {
            "id": instance["uuid"],
            "links": links.resource_links(request, COLLECTION, instance["uuid"]),
            "OS-DCF:diskConfig": _disk_config(instance),
            "security_groups": security_groups or list(_DEFAULT_SECURITY_GROUPS),
        }
    }


def basic(request: wsgi.Request, instance: dict) -> dict:
    return {
        "id": instance["uuid"],
        "name": instance["display_name"],
        "links": links.resource_links(request, COLLECTION, instance["uuid"]),
    }


def show_extended_attributes(request: wsgi.Request) -> bool:
    return policy.authorize(request.context, esa_policies.BASE_POLICY_NAME, {}, fatal=False)


def _own_target(request: wsgi.Request) -> dict:
    return {"project_id": request.context.project_id, "user_id": request.context.user_id}


def show_host_status(request: wsgi.Request) -> bool:
    """Whether servers shown to this request carry ``host_status`` (2.16, admins)."""
    return request.is_microversion("2.16") and policy.authorize(
        request.context, server_policies.SERVERS % "show:host_status",
        _own_target(request), fatal=False)


def show_flavor_extra_specs(request: wsgi.Request) -> bool:
    """Whether the embedded flavor (2.47) carries its extra specs (Nova's own
    rule for it, not the flavor API's, since Nova 25)."""
    return request.is_microversion("2.47") and policy.authorize(
        request.context, server_policies.SERVERS % "show:flavor-extra-specs",
        _own_target(request), fatal=False)


# Nova's extended attributes added at 2.3 (for the EC2 API): the key and
# how minova fills it.
_EXTENDED_ATTRIBUTES_V23 = (
    ("OS-EXT-SRV-ATTR:reservation_id", lambda inst: inst.get("reservation_id")),
    ("OS-EXT-SRV-ATTR:launch_index", lambda inst: inst.get("launch_index") or 0),
    ("OS-EXT-SRV-ATTR:hostname", _hostname),
    ("OS-EXT-SRV-ATTR:kernel_id", lambda inst: inst.get("kernel_id") or ""),
    ("OS-EXT-SRV-ATTR:ramdisk_id", lambda inst: inst.get("ramdisk_id") or ""),
    ("OS-EXT-SRV-ATTR:root_device_name", lambda inst: inst.get("root_device_name")),
    ("OS-EXT-SRV-ATTR:user_data", lambda inst: inst.get("user_data")),
)


class _View:
    """What the full view of every server in one request shares, worked out
    once: the microversion tests, the policy answers, the link prefixes and
    the host ids. A list of 1000 servers asked each of these per server
    (a microversion test parses two version strings) for the same answer.
    """

    def __init__(self, request: wsgi.Request, show_extended_attr: bool | None,
                 show_extra_specs: bool | None) -> None:
        self.request = request
        # The microversions the full view changes at.
        at = request.is_microversion
        self.v2_3, self.v2_9, self.v2_19, self.v2_26 = at("2.3"), at("2.9"), at("2.19"), at("2.26")
        self.v2_47, self.v2_63, self.v2_71 = at("2.47"), at("2.63"), at(SERVER_GROUPS_MIN_VERSION)
        self.v2_73, self.v2_90, self.v2_96 = at("2.73"), at("2.90"), at("2.96")
        self.v2_98, self.v2_100 = at("2.98"), at("2.100")
        self.show_extended_attr = (show_extended_attributes(request)
                                   if show_extended_attr is None else show_extended_attr)
        self.show_extra_specs = (show_flavor_extra_specs(request)
                                 if show_extra_specs is None else show_extra_specs)
        self.is_admin = request.context.is_admin
        self._servers = links.member_prefixes(request, COLLECTION)
        self._bookmarks: dict[str, str] = {}
        self._host_ids: dict[tuple, str] = {}
        self._images: dict[str, dict] = {}
        self._flavors: dict[str, dict] = {}

    def server_links(self, uuid: str) -> list[dict]:
        """links.resource_links of a server, from the prefixes made once."""
        member = str(uuid).strip("/")
        return [{"rel": "self", "href": self._servers[0] + member},
                {"rel": "bookmark", "href": self._servers[1] + member}]

    def _bookmark_links(self, collection: str, identifier: str) -> list[dict]:
        prefix = self._bookmarks.get(collection)
        if prefix is None:
            prefix = self._bookmarks[collection] = links.member_prefixes(
                self.request, collection)[1]
        return [{"rel": "bookmark", "href": prefix + str(identifier).strip("/")}]

    def image_links(self, image_id: str) -> list[dict]:
        return self._bookmark_links("images", image_id)

    def flavor_links(self, flavor_id: str) -> list[dict]:
        return self._bookmark_links("flavors", flavor_id)

    # A list's servers share a few images and flavors: their ``image`` (below
    # 2.98) and ``flavor`` (below 2.47) members are made once per request
    # and the one dict shared by every server that shows it. Safe because a
    # view's body is only encoded, never changed after it is built (the
    # update and rebuild answers change only a server's own keys).

    def image(self, image_ref: str) -> dict:
        """``{"id", "links"}`` of the image a server was built from."""
        found = self._images.get(image_ref)
        if found is None:
            image_id = str(image_ref).rstrip("/").rsplit("/", 1)[-1]
            found = self._images[image_ref] = {"id": image_id,
                                               "links": self.image_links(image_id)}
        return found

    def flavor_link(self, flavor_id) -> dict:
        """``{"id", "links"}`` of a flavor (the server's flavor below 2.47)."""
        found = self._flavors.get(flavor_id)
        if found is None:
            flavor_id_text = str(flavor_id)
            found = self._flavors[flavor_id] = {"id": flavor_id_text,
                                                "links": self.flavor_links(flavor_id_text)}
        return found

    def host_id(self, host: str | None, project_id: str | None) -> str:
        """host_id, hashed once per (host, project): a list has few hosts."""
        key = (host, project_id)
        found = self._host_ids.get(key)
        if found is None:
            found = self._host_ids[key] = host_id(host, project_id)
        return found


def show(request: wsgi.Request, instance: dict,
         show_extended_attr: bool | None = None,
         host_statuses: dict[str, str] | None = None,
         show_extra_specs: bool | None = None,
         server_groups: list[str] | None = None) -> dict:
    """The full view of one server (the element of ``/servers/detail``).

    ``host_statuses`` (instance uuid -> Nova's host_status) is given by a
    controller that may show it (``show_host_status``), ``server_groups``
    (2.71, show and update only) by one that looked them up; the view
    never reaches the services itself.
    """
    view = _View(request, show_extended_attr, show_extra_specs)
    return _show(view, instance, host_statuses, server_groups)


def _show(view: _View, instance: dict, host_statuses: dict[str, str] | None,
          server_groups: list[str] | None) -> dict:
    """``show`` with the request's shared answers given (see _View)."""
    get = instance.get
    uuid = instance["uuid"]
    ip_v4 = get("access_ip_v4")
    ip_v6 = get("access_ip_v6")
    server_status = status(instance)
    server = {
        "id": uuid,
        "name": instance["display_name"],
        "status": server_status,
        "tenant_id": get("project_id") or "",
        "user_id": get("user_id") or "",
        "metadata": get("metadata") or {},
        "hostId": view.host_id(get("host"), get("project_id")),
        "image": _image(view, instance),
        "flavor": _flavor(view, instance),
        "created": times.isotime(get("created_at")),
        "updated": times.isotime(get("updated_at")),
        "addresses": {},
        "accessIPv4": str(ip_v4) if ip_v4 is not None else "",
        "accessIPv6": str(ip_v6) if ip_v6 is not None else "",
        "links": view.server_links(uuid),
        "OS-DCF:diskConfig": _disk_config(instance),
        "OS-EXT-AZ:availability_zone": get("availability_zone") or "",
        "config_drive": get("config_drive") or "",
        "key_name": get("key_name"),
        "OS-SRV-USG:launched_at": times.perfect_time(get("launched_at")),
        "OS-SRV-USG:terminated_at": times.perfect_time(get("terminated_at")),
        "security_groups": list(_DEFAULT_SECURITY_GROUPS),
        "OS-EXT-STS:task_state": get("task_state"),
        "OS-EXT-STS:vm_state": get("vm_state"),
        "OS-EXT-STS:power_state": get("power_state"),
        "os-extended-volumes:volumes_attached": [],
    }
    if server_status in _FAULT_STATUSES:
        fault = _fault(view.request, instance)
        if fault:
            server["fault"] = fault
    if server_status in _PROGRESS_STATUSES:
        server["progress"] = get("progress") or 0
    if view.show_extended_attr:
        server["OS-EXT-SRV-ATTR:host"] = get("host")
        server["OS-EXT-SRV-ATTR:instance_name"] = instance_name(instance)
        server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = get("node")
        if view.v2_3:
            for key, value in _EXTENDED_ATTRIBUTES_V23:
                server[key] = value(instance)
    if host_statuses is not None:
        server["host_status"] = host_statuses.get(uuid, "")
    if view.v2_9:
        server["locked"] = bool(get("locked"))
    if view.v2_19:
        server["description"] = get("description")
    if view.v2_26:
        server["tags"] = list(get("tags") or [])
    if view.v2_63:
        certs = get("trusted_certs")
        server["trusted_image_certificates"] = list(certs) if certs else None
    if server_groups is not None and view.v2_71:
        server["server_groups"] = list(server_groups)
    if view.v2_73:
        server["locked_reason"] = get("locked_reason") if get("locked") else None
    if view.v2_90 and not view.show_extended_attr:
        # From 2.90 the hostname is every user's to see, as users may set it.
        server["OS-EXT-SRV-ATTR:hostname"] = _hostname(instance)
    if view.v2_96:
        server["pinned_availability_zone"] = get("pinned_availability_zone")
    if view.v2_100:
        # As Nova's request spec keeps them: every value a list.
        server["scheduler_hints"] = {
            key: value if isinstance(value, list) else [value]
            for key, value in (get("scheduler_hints") or {}).items()}
    return server


# What the answer to PUT /servers/{id} leaves out of the full view before
# 2.75 (Nova shows only the core attributes there).
_NOT_IN_UPDATE = (
    "OS-EXT-AZ:availability_zone", "config_drive", "key_name", "OS-SRV-USG:launched_at",
    "OS-SRV-USG:terminated_at", "security_groups", "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state", "OS-EXT-STS:power_state", "os-extended-volumes:volumes_attached",
)


def update(request: wsgi.Request, instance: dict,
           server_groups: list[str] | None = None,
           host_statuses: dict[str, str] | None = None) -> dict:
    """The 200 body of ``PUT /servers/{id}``: from 2.75 the full view (with
    ``host_status`` for those who may see it), before a subset of it."""
    if request.is_microversion("2.75"):
        return {"server": show(request, instance, host_statuses=host_statuses,
                               server_groups=server_groups)}
    server = show(request, instance, show_extended_attr=False, server_groups=server_groups)
    for key in _NOT_IN_UPDATE:
        server.pop(key, None)
    return {"server": server}


def rebuild(request: wsgi.Request, instance: dict, admin_password: str,
            server_groups: list[str] | None = None,
            host_statuses: dict[str, str] | None = None) -> dict:
    """The 202 body of a ``rebuild`` action, as Nova's: before 2.75 what an
    update answers, with ``key_name`` from 2.54; from 2.75 the full view
    without the extended ``user_data`` (Nova leaves it to the top-level
    ``user_data`` of 2.57); always ``adminPass``."""
    if request.is_microversion("2.75"):
        server = show(request, instance, host_statuses=host_statuses,
                      server_groups=server_groups)
        server.pop("OS-EXT-SRV-ATTR:user_data", None)
    else:
        server = update(request, instance, server_groups)["server"]
        if request.is_microversion("2.54"):
            server["key_name"] = instance.get("key_name")
    server["adminPass"] = admin_password
    if request.is_microversion("2.57"):
        server["user_data"] = instance.get("user_data")
    return {"server": server}


# What the list views read of an instance, for the conductor to send only
# that (the RPC reply's JSON, both ways, costs more than the view): the
# table's columns a view reads, and ``fault`` and ``tags`` (not columns,
# looked up only when asked). ``GET /servers/{id}`` still gets every column.
INDEX_COLUMNS = ("uuid", "display_name")
_DETAIL_COLUMNS = (
    "uuid", "display_name", "deleted", "vm_state", "task_state", "project_id", "user_id",
    "metadata", "host", "image_ref", "created_at", "updated_at", "access_ip_v4",
    "access_ip_v6", "availability_zone", "config_drive", "key_name", "launched_at",
    "terminated_at", "power_state", "progress", "fault",
)
_EXTENDED_COLUMNS = ("id", "node")
_EXTENDED_COLUMNS_V23 = ("reservation_id", "launch_index", "hostname", "kernel_id",
                         "ramdisk_id", "root_device_name", "user_data")
# Below 2.47 a server shows only its flavor's id (a link), from 2.47 its
# snapshot of the flavor.
_FLAVOR_ID_ONLY, _FLAVOR = "flavor.flavorid", "flavor"
# Columns read from a microversion on.
_COLUMNS_AT = (("2.9", "locked"), ("2.19", "description"), ("2.26", "tags"),
               ("2.63", "trusted_certs"), ("2.73", "locked_reason"),
               ("2.96", "pinned_availability_zone"), ("2.98", "image_properties"),
               ("2.100", "scheduler_hints"))


def detail_columns(request: wsgi.Request) -> list[str]:
    """What ``detail`` reads of an instance at this request's microversion
    and rights (the controller also reads ``uuid`` and ``host``)."""
    columns = list(_DETAIL_COLUMNS)
    columns.append(_FLAVOR if request.is_microversion("2.47") else _FLAVOR_ID_ONLY)
    extended = show_extended_attributes(request)
    if extended:
        columns += _EXTENDED_COLUMNS
        if request.is_microversion("2.3"):
            columns += _EXTENDED_COLUMNS_V23
    elif request.is_microversion("2.90"):
        columns.append("hostname")
    columns += [column for version, column in _COLUMNS_AT if request.is_microversion(version)]
    return columns


def index(request: wsgi.Request, instances: list[dict]) -> dict:
    """``basic`` of every server, its links from prefixes joined once."""
    self_prefix, bookmark_prefix = links.member_prefixes(request, COLLECTION)
    servers = []
    for inst in instances:
        member = str(inst["uuid"]).strip("/")
        servers.append({"id": inst["uuid"], "name": inst["display_name"],
                        "links": [{"rel": "self", "href": self_prefix + member},
                                  {"rel": "bookmark", "href": bookmark_prefix + member}]})
    return _list(request, servers, instances, COLLECTION)


def detail(request: wsgi.Request, instances: list[dict],
           host_statuses: dict[str, str] | None = None) -> dict:
    view = _View(request, None, None)
    servers = [_show(view, inst, host_statuses, None) for inst in instances]
    return _list(request, servers, instances, COLLECTION + "/detail")


def _list(request: wsgi.Request, servers: list[dict], instances: list[dict],
          collection: str) -> dict:
    body = {"servers": servers}
    next_links = links.collection_links(request, instances, collection)
    if next_links:
        body["servers_links"] = next_links
    return body
