"""The ``resize``, ``confirmResize``, ``revertResize`` and ``migrate`` (2.56:
with ``host``) server actions, as Nova answers them: 202 (confirmResize
204) with no body; the move goes on by casts (see "The life of a cold
migration" in docs/architecture.md). Policy first, on the server's project;
then the conductor's checks (400 for the flavor or host, 409 for the state
or a lock), with nothing changed when they refuse.
"""

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack.servers import ServersController
from minova.api.schemas import server_moves as schema
from minova.policies import server_moves as move_policies


class ServerMoveActions:
    """The four actions, for ``ServerActionsController``'s dispatch table."""

    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self._servers = ServersController(compute_api)

    def handlers(self) -> dict:
        return {"resize": self._resize, "confirmResize": self._confirm_resize,
                "revertResize": self._revert_resize, "migrate": self._migrate}

    def _instance(self, req: wsgi.Request, id: str, rule: str) -> dict:
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, rule, {"project_id": instance["project_id"],
                                             "user_id": instance["user_id"]})
        return instance

    @wsgi.response(202)
    @validation.schema(schema.resize)
    def _resize(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, move_policies.SERVERS_ROOT % "resize")
        # OS-DCF:diskConfig is accepted and has no effect: minova's root disk
        # always takes the flavor's size (Nova's AUTO on libvirt).
        self.compute_api.resize(req.context, instance, flavor_ref=str(body["resize"]["flavorRef"]))

    @wsgi.response(204)
    @validation.schema(schema.confirm_resize)
    def _confirm_resize(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, move_policies.SERVERS_ROOT % "confirm_resize")
        self.compute_api.confirm_resize(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.revert_resize)
    def _revert_resize(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, move_policies.SERVERS_ROOT % "revert_resize")
        self.compute_api.revert_resize(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.migrate, "2.1", "2.55")
    @validation.schema(schema.migrate_v256, "2.56")
    def _migrate(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, move_policies.MIGRATE_ROOT % "migrate")
        host = None
        if req.is_microversion("2.56"):
            host = (body["migrate"] or {}).get("host")
            if host is not None:
                policy.authorize(req.context, move_policies.MIGRATE_ROOT % "migrate:host",
                                 {"project_id": instance["project_id"]})
        self.compute_api.resize(req.context, instance, flavor_ref=None, host=host)
