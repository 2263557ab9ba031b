"""``rescue`` / ``unrescue`` server actions (Nova's ``RescueController``).

A rescue answers 200 with the rescue's ``adminPass`` (generated when not
given; an empty object with ``[api] enable_instance_password`` False, as
Nova), an unrescue 202 without a body. The server is RESCUE once its host
booted the rescue image, ACTIVE again after the unrescue. Errors as Nova's:
a locked server or one in the wrong state 409, a rescue image the caller
cannot see 400.
"""

from oslo_config import cfg

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import actions
from minova.api.openstack import servers as servers_api
from minova.api.schemas import rescue as schema
from minova.policies import rescue as rescue_policies

CONF = cfg.CONF


class RescueActions(actions.ServerActions):
    """The two actions, for ``ServerActionsController``'s dispatch table."""

    def handlers(self) -> dict:
        return {"rescue": self._rescue, "unrescue": self._unrescue}

    @validation.schema(schema.rescue)
    @validation.response_body_schema(schema.rescue_response)
    def _rescue(self, req: wsgi.Request, id: str, body: dict) -> dict:
        arguments = body["rescue"] or {}
        # As Nova: a given password is answered as given, even an empty one.
        password = (arguments["adminPass"] if "adminPass" in arguments
                    else servers_api.generate_password())
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, rescue_policies.BASE_POLICY_NAME,
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        self.compute_api.rescue(req.context, instance, rescue_password=password,
                                rescue_image_ref=arguments.get("rescue_image_ref"))
        return {"adminPass": password} if CONF.api.enable_instance_password else {}

    @wsgi.response(202)
    @validation.schema(schema.unrescue)
    def _unrescue(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, rescue_policies.UNRESCUE_POLICY_NAME,
                         {"project_id": instance["project_id"]})
        self.compute_api.unrescue(req.context, instance)
