"""``/servers/{server_id}/metadata``: a server's key/value metadata (Nova's v2.1 API).

Reads come from the server record; writes go through the compute API to
the conductor, which refuses them (409) unless the server is active,
paused, suspended or stopped, as Nova does. Keys and values follow Nova's
metadata schema (1-255 characters of ``[a-zA-Z0-9-_:. ]`` / at most 255),
and a server holds at most its project's ``metadata_items`` quota
(default 128; 403 beyond).
Policy is checked against the server's project after the lookup, so
another project's server is a 404.
"""

import webob.exc

from minova import exception
from minova.api import validation, wsgi
from minova.api.openstack import server_lookup
from minova.api.openstack.servers import ServersController
from minova.api.schemas import server_metadata as schema
from minova.policies import server_metadata as metadata_policies

POLICY_ROOT = metadata_policies.POLICY_ROOT


class ServerMetadataController:
    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self._servers = ServersController(compute_api)

    def _instance(self, req: wsgi.Request, server_id: str, action: str) -> dict:
        return server_lookup.get_authorized(self._servers, req, server_id, POLICY_ROOT % action)

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request, server_id: str) -> dict:
        return {"metadata": self._instance(req, server_id, "index").get("metadata") or {}}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, server_id: str, id: str) -> dict:
        metadata = self._instance(req, server_id, "show").get("metadata") or {}
        if id not in metadata:
            raise exception.MetadataItemNotFound()
        return {"meta": {id: metadata[id]}}

    # Nova answers these two with 200 (not 201), for backwards compatibility.
    @validation.schema(schema.create)
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, server_id: str, body: dict) -> dict:
        """Merge the items into the server's metadata; the whole metadata after."""
        self._instance(req, server_id, "create")
        return {"metadata": self.compute_api.update_instance_metadata(
            req.context, server_id, body["metadata"])}

    @validation.schema(schema.update_all)
    @validation.response_body_schema(schema.update_all_response)
    def update_all(self, req: wsgi.Request, server_id: str, body: dict) -> dict:
        """Replace the server's metadata with the items given."""
        self._instance(req, server_id, "update_all")
        return {"metadata": self.compute_api.update_instance_metadata(
            req.context, server_id, body["metadata"], delete=True)}

    @validation.schema(schema.update)
    @validation.response_body_schema(schema.update_response)
    def update(self, req: wsgi.Request, server_id: str, id: str, body: dict) -> dict:
        """Set the one item named in the URL; the body must name the same key."""
        self._instance(req, server_id, "update")
        meta = body["meta"]
        if id not in meta:
            raise webob.exc.HTTPBadRequest(explanation="Request body and URI mismatch")
        self.compute_api.update_instance_metadata(req.context, server_id, meta)
        return {"meta": meta}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, server_id: str, id: str) -> None:
        self._instance(req, server_id, "delete")
        self.compute_api.delete_instance_metadata(req.context, server_id, id)
