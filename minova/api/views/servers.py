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


def _image(request: wsgi.Request, instance: dict):
    image_ref = instance.get("image_ref")
    if not image_ref:
        return ""
    image_id = str(image_ref).rstrip("/").rsplit("/", 1)[-1]
    image = {"id": image_id, "links": links.bookmark_links(request, "images", image_id)}
    if request.is_microversion("2.98"):
        # The server's copy, made at create: what the image said then, not now
        # ({} for a server created before minova kept one).
        image["properties"] = dict(instance.get("image_properties") or {})
    return image


def _flavor(request: wsgi.Request, instance: dict, show_extra_specs: bool) -> dict:
    """A link to the flavor; from 2.47 the instance's copy of it, which stays
    what the server was built with even if the flavor changes or goes."""
    flavor = instance.get("flavor") or {}
    if "flavorid" not in flavor:
        return {}
    if request.is_microversion("2.47"):
        embedded = {
            "vcpus": flavor["vcpus"],
            "ram": flavor["memory_mb"],
            "disk": flavor["root_gb"],
            "ephemeral": flavor.get("ephemeral_gb", 0),
            "swap": flavor.get("swap", 0),
            "original_name": flavor["name"],
        }
        if show_extra_specs:
            embedded["extra_specs"] = dict(flavor.get("extra_specs") or {})
        return embedded
    flavor_id = str(flavor["flavorid"])
    return {"id": flavor_id, "links": links.bookmark_links(request, "flavors", flavor_id)}


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
    if show_extra_specs is None:
        show_extra_specs = show_flavor_extra_specs(request)
    ip_v4 = instance.get("access_ip_v4")
    ip_v6 = instance.get("access_ip_v6")
    server = {
        "id": instance["uuid"],
        "name": instance["display_name"],
        "status": status(instance),
        "tenant_id": instance.get("project_id") or "",
        "user_id": instance.get("user_id") or "",
        "metadata": instance.get("metadata") or {},
        "hostId": host_id(instance.get("host"), instance.get("project_id")),
        "image": _image(request, instance),
        "flavor": _flavor(request, instance, show_extra_specs),
        "created": times.isotime(instance.get("created_at")),
        "updated": times.isotime(instance.get("updated_at")),
        "addresses": {},
        "accessIPv4": str(ip_v4) if ip_v4 is not None else "",
        "accessIPv6": str(ip_v6) if ip_v6 is not None else "",
        "links": links.resource_links(request, COLLECTION, instance["uuid"]),
        "OS-DCF:diskConfig": _disk_config(instance),
        "OS-EXT-AZ:availability_zone": instance.get("availability_zone") or "",
        "config_drive": instance.get("config_drive") or "",
        "key_name": instance.get("key_name"),
        "OS-SRV-USG:launched_at": times.perfect_time(instance.get("launched_at")),
        "OS-SRV-USG:terminated_at": times.perfect_time(instance.get("terminated_at")),
        "security_groups": list(_DEFAULT_SECURITY_GROUPS),
        "OS-EXT-STS:task_state": instance.get("task_state"),
        "OS-EXT-STS:vm_state": instance.get("vm_state"),
        "OS-EXT-STS:power_state": instance.get("power_state"),
        "os-extended-volumes:volumes_attached": [],
    }
    if server["status"] in _FAULT_STATUSES:
        fault = _fault(request, instance)
        if fault:
            server["fault"] = fault
    if server["status"] in _PROGRESS_STATUSES:
        server["progress"] = instance.get("progress") or 0
    if show_extended_attr is None:
        show_extended_attr = show_extended_attributes(request)
    if show_extended_attr:
        server["OS-EXT-SRV-ATTR:host"] = instance.get("host")
        server["OS-EXT-SRV-ATTR:instance_name"] = instance_name(instance)
        server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = instance.get("node")
        if request.is_microversion("2.3"):
            for key, value in _EXTENDED_ATTRIBUTES_V23:
                server[key] = value(instance)
    if host_statuses is not None:
        server["host_status"] = host_statuses.get(instance["uuid"], "")
    if request.is_microversion("2.9"):
        # minova has no lock action: nobody ever holds a lock.
        server["locked"] = bool(instance.get("locked_by"))
    if request.is_microversion("2.19"):
        server["description"] = instance.get("description")
    if request.is_microversion("2.26"):
        server["tags"] = list(instance.get("tags") or [])
    if request.is_microversion("2.63"):
        certs = instance.get("trusted_certs")
        server["trusted_image_certificates"] = list(certs) if certs else None
    if server_groups is not None and request.is_microversion(SERVER_GROUPS_MIN_VERSION):
        server["server_groups"] = list(server_groups)
    if request.is_microversion("2.73"):
        # minova has no lock action, so no lock and no reason for one.
        server["locked_reason"] = None
    if request.is_microversion("2.90") and not show_extended_attr:
        # From 2.90 the hostname is every user's to see, as users may set it.
        server["OS-EXT-SRV-ATTR:hostname"] = _hostname(instance)
    if request.is_microversion("2.96"):
        server["pinned_availability_zone"] = instance.get("pinned_availability_zone")
    if request.is_microversion("2.100"):
        # As Nova's request spec keeps them: every value a list.
        server["scheduler_hints"] = {
            key: value if isinstance(value, list) else [value]
            for key, value in (instance.get("scheduler_hints") or {}).items()}
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


def index(request: wsgi.Request, instances: list[dict]) -> dict:
    return _list(request, [basic(request, inst) for inst in instances], instances, COLLECTION)


def detail(request: wsgi.Request, instances: list[dict],
           host_statuses: dict[str, str] | None = None) -> dict:
    show_extended_attr = show_extended_attributes(request)
    show_extra_specs = show_flavor_extra_specs(request)
    servers = [show(request, inst, show_extended_attr, host_statuses, show_extra_specs)
               for inst in instances]
    return _list(request, servers, instances, COLLECTION + "/detail")


def _list(request: wsgi.Request, servers: list[dict], instances: list[dict],
          collection: str) -> dict:
    body = {"servers": servers}
    next_links = links.collection_links(request, instances, collection)
    if next_links:
        body["servers_links"] = next_links
    return body
