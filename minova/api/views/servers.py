"""Nova's v2.1 server views (create, index, detail/show).

The input is the instance dict the compute API returns (the columns of
``instances`` plus ``fault``). minova has no networking or volumes yet, so
``addresses`` is ``{}``, ``os-extended-volumes:volumes_attached`` is ``[]``
and ``security_groups`` is the ``default`` group.
"""

import hashlib

from minova import policy
from minova.api import wsgi
from minova.api.views import links, times
from minova.objects import states
from minova.policies import extended_server_attributes as esa_policies

COLLECTION = "servers"

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
    return {"id": image_id, "links": links.bookmark_links(request, "images", image_id)}


def _flavor(request: wsgi.Request, instance: dict) -> dict:
    flavor = instance.get("flavor") or {}
    if "flavorid" not in flavor:
        return {}
    flavor_id = str(flavor["flavorid"])
    return {"id": flavor_id, "links": links.bookmark_links(request, "flavors", flavor_id)}


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


def show(request: wsgi.Request, instance: dict,
         show_extended_attr: bool | None = None) -> dict:
    """The full v2.1 view of one server (the element of ``/servers/detail``)."""
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
        "flavor": _flavor(request, instance),
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
    return server


def index(request: wsgi.Request, instances: list[dict]) -> dict:
    return _list(request, [basic(request, inst) for inst in instances], instances, COLLECTION)


def detail(request: wsgi.Request, instances: list[dict]) -> dict:
    show_extended_attr = show_extended_attributes(request)
    servers = [show(request, inst, show_extended_attr) for inst in instances]
    return _list(request, servers, instances, COLLECTION + "/detail")


def _list(request: wsgi.Request, servers: list[dict], instances: list[dict],
          collection: str) -> dict:
    body = {"servers": servers}
    next_links = links.collection_links(request, instances, collection)
    if next_links:
        body["servers_links"] = next_links
    return body
