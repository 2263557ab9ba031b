"""``createImage``, ``shelve``, ``shelveOffload`` and ``unshelve`` server
actions (Nova's ``servers`` createImage and ``os-shelve``).

Each finds the server, checks its policy on the server's project, and
hands it to the compute API facade (``minova.compute.shelve_api``): the
state checks (409), the lock (409 for a project's action on a locked
server, not for createImage, as Nova) and the image are there. The answer
is 202; createImage's carries the new image: a ``Location`` header before
2.45, ``{"image_id": ...}`` from 2.45.
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import actions
from minova.api.schemas import snapshot_shelve as schema
from minova.policies import shelve as shelve_policies


class SnapshotShelveActions(actions.ServerActions):
    """The four actions, for ``ServerActionsController``'s dispatch table."""

    def handlers(self) -> dict:
        return {"createImage": self._create_image, "shelve": self._shelve,
                "shelveOffload": self._shelve_offload, "unshelve": self._unshelve}

    @wsgi.response(202)
    @validation.schema(schema.create_image)
    @validation.response_body_schema(schema.create_image_response_v245, "2.45")
    def _create_image(self, req: wsgi.Request, id: str, body: dict):
        instance = self._instance(req, id, shelve_policies.CREATE_IMAGE)
        args = body["createImage"]
        name = args["name"].strip()
        if not name:
            raise webob.exc.HTTPBadRequest(explanation="Image name cannot be empty")
        image = self.compute_api.snapshot(req.context, instance, name,
                                          metadata=args.get("metadata") or {})
        if req.is_microversion("2.45"):
            return {"image_id": image["id"]}
        # As Nova before 2.45: no body, the image's URL in the image service.
        return wsgi.ResponseObject(None, headers={
            "Location": f"{req.host_url}/image/v2/images/{image['id']}"})

    @wsgi.response(202)
    @validation.schema(schema.shelve)
    def _shelve(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, shelve_policies.BASE_POLICY_NAME % "shelve")
        self.compute_api.shelve(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.shelve_offload)
    def _shelve_offload(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, shelve_policies.BASE_POLICY_NAME % "shelve_offload")
        self.compute_api.shelve_offload(req.context, instance)

    @wsgi.response(202)
    @validation.schema(schema.unshelve, "2.1", "2.76")
    @validation.schema(schema.unshelve_v277, "2.77", "2.90")
    @validation.schema(schema.unshelve_v291, "2.91")
    def _unshelve(self, req: wsgi.Request, id: str, body: dict) -> None:
        instance = self._instance(req, id, shelve_policies.BASE_POLICY_NAME % "unshelve")
        args = body["unshelve"] if req.is_microversion("2.77") else None
        new_zone = host = None
        if isinstance(args, dict):
            if "availability_zone" in args:
                new_zone = {"availability_zone": args["availability_zone"]}
            host = args.get("host")
        if host:
            policy.authorize(req.context, shelve_policies.BASE_POLICY_NAME % "unshelve_to_host",
                             {"project_id": instance["project_id"]})
        self.compute_api.unshelve(req.context, instance, new_zone=new_zone, host=host)
