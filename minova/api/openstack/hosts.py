"""``/os-hosts``: Nova's deprecated hosts API, served up to 2.42 (a 404 from 2.43).

The list is the hosts of the enabled services (``service`` is the
service's topic, ``zone`` its availability zone; ``zone`` filters); a show
is a compute host's resources: its totals, what it uses now, the sum of
its servers' flavors and that sum per project. Enabling, disabling or
maintaining a host and its power actions are a hypervisor driver's in Nova;
minova's drivers (as Nova's libvirt driver) implement none, so for a known
compute host they are Nova's 501, for an unknown one a 404.
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.schemas import hosts as schema
from minova.compute.host_api import HostAPI
from minova.policies import hosts as hosts_policies

MAX_VERSION = "2.42"


def _check_served(req: wsgi.Request) -> None:
    if not req.is_microversion("2.1", MAX_VERSION):
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")


def _resource(host: str, project: str, cpu: int, memory_mb: int, disk_gb: int) -> dict:
    return {"resource": {"host": host, "project": project, "cpu": cpu,
                         "memory_mb": memory_mb, "disk_gb": disk_gb}}


class HostController:
    """Controller of ``/os-hosts``."""

    def __init__(self, host_api: HostAPI) -> None:
        self.host_api = host_api

    def _authorize(self, req: wsgi.Request, rule: str) -> None:
        _check_served(req)
        policy.authorize(req.context, hosts_policies.POLICY_NAME % rule, {})

    @validation.response_body_schema(schema.index_response, "2.1", MAX_VERSION)
    def index(self, req: wsgi.Request) -> dict:
        """The hosts of the enabled services (``zone``: of that zone only)."""
        self._authorize(req, "list")
        zone = req.GET.get("zone")
        hosts = [{"host_name": service["host"], "service": service["topic"],
                  "zone": service.get("zone") or "internal"}
                 for service in self.host_api.service_get_all(req.context)
                 if not service.get("disabled")]
        if zone:
            hosts = [host for host in hosts if host["zone"] == zone]
        return {"hosts": hosts}

    @validation.response_body_schema(schema.show_response, "2.1", MAX_VERSION)
    def show(self, req: wsgi.Request, id: str) -> dict:
        """A compute host's totals, use now, and its servers' sums (all, per project)."""
        self._authorize(req, "show")
        nodes = [node for node in self.host_api.compute_node_get_all(req.context)
                 if node["host"] == id]
        if not nodes:
            raise webob.exc.HTTPNotFound(explanation=f"Compute host {id} could not be found.")
        node = nodes[0]
        instances = self.host_api.instance_get_all_by_host(req.context, id)
        resources = [
            _resource(id, "(total)", node["vcpus"], node["memory_mb"], node["local_gb"]),
            _resource(id, "(used_now)", node["vcpus_used"], node["memory_mb_used"],
                      node["local_gb_used"]),
            _resource(id, "(used_max)", *_sums(instances)),
        ]
        projects: dict[str, list[dict]] = {}
        for instance in instances:
            projects.setdefault(instance["project_id"], []).append(instance)
        resources += [_resource(id, project, *_sums(owned))
                      for project, owned in projects.items()]
        return {"host": resources}

    def _known_compute_host(self, req: wsgi.Request, host: str) -> None:
        if not self.host_api.service_get_all(req.context, binary="minova-compute", host=host):
            raise webob.exc.HTTPNotFound(explanation=f"Host {host} could not be found.")

    @validation.schema(schema.update, "2.1", MAX_VERSION)
    @validation.response_body_schema(schema.update_response, "2.1", MAX_VERSION)
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """Enable/disable a host or its maintenance mode: not a feature of
        minova's drivers (501 for a known compute host)."""
        self._authorize(req, "update")
        self._known_compute_host(req, id)
        raise _not_supported()

    def _power_action(self, req: wsgi.Request, host: str, rule: str) -> dict:
        self._authorize(req, rule)
        self._known_compute_host(req, host)
        raise _not_supported()

    @validation.response_body_schema(schema.power_action_response, "2.1", MAX_VERSION)
    def startup(self, req: wsgi.Request, id: str) -> dict:
        """Power a host up: not a feature of minova's drivers."""
        return self._power_action(req, id, "start")

    @validation.response_body_schema(schema.power_action_response, "2.1", MAX_VERSION)
    def shutdown(self, req: wsgi.Request, id: str) -> dict:
        """Shut a host down: not a feature of minova's drivers."""
        return self._power_action(req, id, "shutdown")

    @validation.response_body_schema(schema.power_action_response, "2.1", MAX_VERSION)
    def reboot(self, req: wsgi.Request, id: str) -> dict:
        """Reboot a host: not a feature of minova's drivers."""
        return self._power_action(req, id, "reboot")


def _sums(instances: list[dict]) -> tuple[int, int, int]:
    return (sum(i["vcpus"] for i in instances), sum(i["memory_mb"] for i in instances),
            sum(i["root_gb"] + i["ephemeral_gb"] for i in instances))


def _not_supported() -> webob.exc.HTTPNotImplemented:
    return webob.exc.HTTPNotImplemented(
        explanation="The requested functionality is not supported.")
