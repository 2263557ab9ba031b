"""``POST /servers/{id}/action``: stop, start, reboot, pause, unpause, suspend,
resume, rebuild, os-getConsoleOutput, lock, unlock, os-resetState, the deferred
delete's restore and forceDelete, and trigger_crash_dump (2.17) (and
addSecurityGroup / removeSecurityGroup, minova.api.openstack.security_group_actions;
rescue / unrescue, minova.api.openstack.rescue_actions; createImage, shelve,
shelveOffload, unshelve, minova.api.openstack.snapshot_shelve_actions).

The body's single key names the action, as in Nova. Each action checks
policy on the server's project, then the compute API checks the server's
state (409 ``conflictingRequest`` when the action is not allowed now) and
casts to the host that holds it; the answer is 202 with no body, except
for the console output (200), the rebuild (202 with the server) and the
rescue (200 with its adminPass).
"""

import webob.exc
from oslo_utils import strutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import (
    actions,
    rescue_actions,
    security_group_actions,
    server_moves,
    snapshot_shelve_actions,
)
from minova.api.openstack import servers as servers_api
from minova.api.schemas import server_actions as schema
from minova.api.views import servers as servers_view
from minova.objects import states
from minova.policies import servers as server_policies

SERVERS = server_policies.SERVERS

# rebuild body field -> instance column it sets.
_REBUILD_FIELDS = (("name", "display_name"), ("metadata", "metadata"),
                   ("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6"))


class ServerActionsController(actions.ServerActions):
    def __init__(self, compute_api) -> None:
        super().__init__(compute_api)
        self._dispatch = {
            "os-stop": self._stop,
            "os-start": self._start,
            "reboot": self._reboot,
            "pause": self._pause,
            "unpause": self._unpause,
            "suspend": self._suspend,
            "resume": self._resume,
            "rebuild": self._rebuild,
            "os-getConsoleOutput": self._get_console_output,
            "lock": self._lock,
            "unlock": self._unlock,
            "os-resetState": self._reset_state,
            "restore": self._restore,
            "forceDelete": self._force_delete,
            "trigger_crash_dump": self._trigger_crash_dump,
        }
        self._dispatch.update(
            security_group_actions.SecurityGroupActions(compute_api).handlers())
        self._dispatch.update(rescue_actions.RescueActions(compute_api).handlers())
        self._dispatch.update(
            snapshot_shelve_actions.SnapshotShelveActions(compute_api).handlers())
        self._dispatch.update(server_moves.ServerMoveActions(compute_api).handlers())

    def action(self, req: wsgi.Request, id: str, body=None):
        handler = actions.handler_for(self._dispatch, body)
        result = handler(req, id, body=body)
        code = getattr(handler, "wsgi_code", 200)
        if isinstance(result, wsgi.ResponseObject):  # with headers
            result.code = result.code or code
            return result
        return wsgi.ResponseObject(result, code=code)

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

    @wsgi.response(202)
    @validation.schema(schema.rebuild, "2.1", "2.18")
    @validation.schema(schema.rebuild_v219, "2.19", "2.53")
    @validation.schema(schema.rebuild_v254, "2.54", "2.56")
    @validation.schema(schema.rebuild_v257, "2.57", "2.62")
    @validation.schema(schema.rebuild_v263, "2.63", "2.89")
    @validation.schema(schema.rebuild_v290, "2.90", "2.93")
    @validation.schema(schema.rebuild_v294, "2.94")
    @validation.response_body_schema(schema.rebuild_response, "2.1", "2.74")
    @validation.response_body_schema(schema.rebuild_response_v275, "2.75")
    def _rebuild(self, req, id, body):
        """Remake the server from an image (Nova's ``_action_rebuild``)."""
        rebuild = body["rebuild"]
        context = req.context
        instance = self._servers.get_instance(req, id)
        target = {"project_id": instance["project_id"], "user_id": instance["user_id"]}
        policy.authorize(context, SERVERS % "rebuild", target)
        password = (rebuild["adminPass"] if "adminPass" in rebuild
                    else servers_api.generate_password())
        changes = {column: rebuild[field] for field, column in _REBUILD_FIELDS
                   if field in rebuild}
        if req.is_microversion("2.19") and "description" in rebuild:
            changes["description"] = rebuild["description"]
        if req.is_microversion("2.54") and "key_name" in rebuild:
            changes["key_name"] = rebuild["key_name"]
        if req.is_microversion("2.57") and "user_data" in rebuild:
            changes["user_data"] = rebuild["user_data"]
        if req.is_microversion("2.63") and "trusted_image_certificates" in rebuild:
            # null unsets them: minova has no default trusted certificates
            # (Nova's come from [glance] default_trusted_certificate_ids, and
            # only with signature verification on).
            policy.authorize(context, SERVERS % "rebuild:trusted_certs", target)
            certs = rebuild["trusted_image_certificates"]
            changes["trusted_certs"] = list(certs) if certs else None
        if req.is_microversion("2.90") and "hostname" in rebuild:
            changes["hostname"] = rebuild["hostname"]
        preserve_ephemeral = strutils.bool_from_string(
            rebuild.get("preserve_ephemeral", False), strict=True)
        try:
            self.compute_api.rebuild(
                context, instance, rebuild["imageRef"], changes,
                preserve_ephemeral=preserve_ephemeral,
                files=_personality_files(rebuild.get("personality")))
        except exception.ImageNotFoundForBuild:
            raise webob.exc.HTTPBadRequest(
                explanation="Cannot find image for rebuild") from None
        except exception.KeypairNotFoundForBuild:
            raise webob.exc.HTTPBadRequest(explanation="Invalid key_name provided.") from None
        instance = self._servers.get_instance(req, id)
        host_statuses = (self._servers._host_statuses(req, [instance])
                         if req.is_microversion("2.75") else None)
        view = servers_view.rebuild(req, instance, password,
                                    self._servers._server_groups(req, instance),
                                    host_statuses)
        # As Nova: the server's own link as the Location.
        return wsgi.ResponseObject(view, headers={
            "Location": view["server"]["links"][0]["href"]})


    # --- lock and unlock: database writes, no compute host (any state)

    @wsgi.response(202)
    @validation.schema(schema.lock, "2.1", "2.72")
    @validation.schema(schema.lock_v2_73, "2.73")
    def _lock(self, req, id, body):
        instance = self._instance(req, id, "os_compute_api:os-lock-server:lock")
        reason = None
        if req.is_microversion("2.73") and body["lock"] is not None:
            reason = body["lock"].get("locked_reason")
        self.compute_api.lock(req.context, instance, reason=reason)

    @wsgi.response(202)
    @validation.schema(schema.unlock)
    def _unlock(self, req, id, body):
        instance = self._servers.get_instance(req, id)
        target = {"project_id": instance["project_id"]}
        policy.authorize(req.context, "os_compute_api:os-lock-server:unlock", target)
        if not self.compute_api.is_expected_locked_by(req.context, instance):
            # Locked by the other side (an admin, for the project): Nova's override.
            policy.authorize(req.context,
                             "os_compute_api:os-lock-server:unlock:unlock_override", target)
        self.compute_api.unlock(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.reset_state)
    def _reset_state(self, req, id, body):
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, "os_compute_api:os-admin-actions:reset_state",
                         {"project_id": instance["project_id"]})
        vm_state = {"active": states.ACTIVE,
                    "error": states.ERROR}[body["os-resetState"]["state"]]
        self.compute_api.reset_state(req.context, instance, vm_state)

    # --- deferred delete ([DEFAULT] reclaim_instance_interval > 0)

    @wsgi.response(202)
    @validation.schema(schema.restore)
    def _restore(self, req, id, body):
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, "os_compute_api:os-deferred-delete:restore",
                         {"project_id": instance["project_id"]})
        self.compute_api.restore(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.force_delete)
    def _force_delete(self, req, id, body):
        instance = self._instance(req, id, "os_compute_api:os-deferred-delete:force")
        self.compute_api.force_delete(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.trigger_crash_dump, "2.17")
    def _trigger_crash_dump(self, req, id, body):
        if not req.is_microversion("2.17"):
            # As Nova's: the action does not exist before 2.17.
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        instance = self._instance(req, id, "os_compute_api:servers:trigger_crash_dump")
        self.compute_api.trigger_crash_dump(req.context, instance)


def _personality_files(personality: list | None) -> list[list[str]]:
    """``[[path, contents], ...]`` of a rebuild's personality (before 2.57),
    the contents as sent (base64, as Nova's quota check counts them)."""
    return [[item.get("path", ""), item.get("contents", "")] for item in personality or ()]
