"""``addSecurityGroup`` / ``removeSecurityGroup`` server actions, as Nova answers
them where the networking service knows no such group.

Nova adds a security group to a server's ports through Neutron, looking the
group up by name or id in the caller's project. minova has no networking
service: there are no security groups and servers have no ports, so every
group is not found for the project (Nova's 404 and message), after the
server is found and the policy (Nova's names and defaults) allows it.
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack.servers import ServersController
from minova.api.schemas import security_group_actions as schema
from minova.policies import security_groups as sg_policies


def _not_found(req: wsgi.Request, name: str) -> webob.exc.HTTPNotFound:
    return webob.exc.HTTPNotFound(
        explanation=f"Security group {name} is not found for project "
                    f"{req.context.project_id}")


class SecurityGroupActions:
    """The two actions, for ``ServerActionsController``'s dispatch table."""

    def __init__(self, compute_api) -> None:
        self._servers = ServersController(compute_api)

    def handlers(self) -> dict:
        return {"addSecurityGroup": self._add, "removeSecurityGroup": self._remove}

    def _check(self, req: wsgi.Request, id: str, rule: str, action: str, body: dict) -> str:
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, sg_policies.POLICY_NAME % rule,
                         {"project_id": instance["project_id"]})
        name = body[action]["name"]
        if not name.strip():
            raise webob.exc.HTTPBadRequest(explanation="Security group name cannot be empty")
        return name

    @wsgi.response(202)
    @validation.schema(schema.add_security_group)
    def _add(self, req: wsgi.Request, id: str, body: dict) -> None:
        raise _not_found(req, self._check(req, id, "add", "addSecurityGroup", body))

    @wsgi.response(202)
    @validation.schema(schema.remove_security_group)
    def _remove(self, req: wsgi.Request, id: str, body: dict) -> None:
        raise _not_found(req, self._check(req, id, "remove", "removeSecurityGroup", body))
