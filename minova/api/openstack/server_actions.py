"""``POST /servers/{id}/action``: stop, start, reboot, pause, unpause, suspend,
resume and os-getConsoleOutput (and addSecurityGroup / removeSecurityGroup,
minova.api.openstack.security_group_actions).

The body's single key names the action, as in Nova. Each action checks
policy on the server's project, then the compute API checks the server's
state (409 ``conflictingRequest`` when the action is not allowed now) and
casts to the host that holds it; the answer is 202 with no body, except
for the console output (200).
"""

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import actions, security_group_actions
from minova.api.openstack.servers import ServersController
from minova.api.schemas import server_actions as schema


class ServerActionsController:
    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self._servers = ServersController(compute_api)
        self._dispatch = {
            "os-stop": self._stop,
            "os-start": self._start,
            "reboot": self._reboot,
            "pause": self._pause,
            "unpause": self._unpause,
            "suspend": self._suspend,
            "resume": self._resume,
            "os-getConsoleOutput": self._get_console_output,
        }
        self._dispatch.update(
            security_group_actions.SecurityGroupActions(compute_api).handlers())

    def action(self, req: wsgi.Request, id: str, body=None):
        handler = actions.handler_for(self._dispatch, body)
        result = handler(req, id, body=body)
        return wsgi.ResponseObject(result, code=getattr(handler, "wsgi_code", 200))

    def _instance(self, req: wsgi.Request, id: str, rule: str) -> dict:
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, rule, {"project_id": instance["project_id"],
                                             "user_id": instance["user_id"]})
        return instance

    @wsgi.response(202)
    @validation.schema(schema.stop)
    def _stop(self, req, id, body):
        self.compute_api.stop(req.context,
                              self._instance(req, id, "os_compute_api:servers:stop"))

    @wsgi.response(202)
    @validation.schema(schema.start)
    def _start(self, req, id, body):
        self.compute_api.start(req.context,
                               self._instance(req, id, "os_compute_api:servers:start"))

    @wsgi.response(202)
    @validation.schema(schema.reboot)
    def _reboot(self, req, id, body):
        instance = self._instance(req, id, "os_compute_api:servers:reboot")
        self.compute_api.reboot(req.context, instance, body["reboot"]["type"].upper())

    @wsgi.response(202)
    @validation.schema(schema.pause)
    def _pause(self, req, id, body):
        self.compute_api.pause(req.context,
                               self._instance(req, id, "os_compute_api:os-pause-server:pause"))

    @wsgi.response(202)
    @validation.schema(schema.unpause)
    def _unpause(self, req, id, body):
        self.compute_api.unpause(
            req.context, self._instance(req, id, "os_compute_api:os-pause-server:unpause"))

    @wsgi.response(202)
    @validation.schema(schema.suspend)
    def _suspend(self, req, id, body):
        self.compute_api.suspend(
            req.context, self._instance(req, id, "os_compute_api:os-suspend-server:suspend"))

    @wsgi.response(202)
    @validation.schema(schema.resume)
    def _resume(self, req, id, body):
        self.compute_api.resume(
            req.context, self._instance(req, id, "os_compute_api:os-suspend-server:resume"))

    @validation.schema(schema.get_console_output)
    @validation.response_body_schema(schema.get_console_output_response)
    def _get_console_output(self, req, id, body):
        instance = self._instance(req, id, "os_compute_api:os-console-output")
        length = (body["os-getConsoleOutput"] or {}).get("length")
        length = None if length is None else int(length)
        try:
            output = self.compute_api.get_console_output(req.context, instance, length)
        except exception.InstanceNotFound:
            raise exception.ConsoleNotAvailable() from None
        return {"output": output}
