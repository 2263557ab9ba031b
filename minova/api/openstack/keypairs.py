"""``/os-keypairs``: a user's ssh keys (and x509 certificates), as Nova serves them.

A keypair is its user's: another user's is not found (404), and naming
another user (``user_id``, 2.10) is for admins (policy, 403). The
microversions that change it: 2.2 (``type``; create 201, delete 204),
2.10 (``user_id``), 2.35 (``limit``/``marker`` paging of the list), 2.75
(unknown query parameters refused) and 2.92 (``public_key`` required: no
more generated keys; ``@`` and ``.`` allowed in names).
"""

import webob.exc

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query
from minova.api.schemas import keypairs as schema
from minova.api.views import keypairs as view
from minova.compute.keypair_api import KeypairAPI
from minova.policies import keypairs as kp_policies

KEYPAIR_TYPE_MICROVERSION = "2.2"
USER_ID_MICROVERSION = "2.10"
PAGINATION_MICROVERSION = "2.35"


class KeypairController:
    """Controller of ``/os-keypairs``."""

    def __init__(self, keypair_api: KeypairAPI) -> None:
        self.keypair_api = keypair_api

    def _user_id(self, req: wsgi.Request, policy_name: str, user_id: str | None = None) -> str:
        """The user the request acts for, after the policy check against it."""
        if user_id is None and req.is_microversion(USER_ID_MICROVERSION) and "user_id" in req.GET:
            user_id = req.GET.getall("user_id")[0]
        user_id = user_id or req.context.user_id
        policy.authorize(req.context, kp_policies.POLICY_ROOT % policy_name,
                         {"user_id": user_id, "project_id": req.context.project_id})
        return user_id

    @validation.schema(schema.create, "2.1", "2.1")
    @validation.schema(schema.create_v22, "2.2", "2.9")
    @validation.schema(schema.create_v210, "2.10", "2.91")
    @validation.schema(schema.create_v292, "2.92")
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, body: dict) -> wsgi.ResponseObject:
        """Import a public key, or (before 2.92) generate a pair and answer its private key."""
        params = body["keypair"]
        user_id = self._user_id(req, "create", params.get("user_id"))
        try:
            keypair = self.keypair_api.create_key_pair(
                req.context, user_id, params["name"], key_type=params.get("type", "ssh"),
                public_key=params.get("public_key"))
        except exception.KeypairLimitExceeded:
            # Nova's API words the key_pairs quota its own way
            raise webob.exc.HTTPForbidden(
                explanation="Quota exceeded, too many key pairs.") from None
        code = 201 if req.is_microversion(KEYPAIR_TYPE_MICROVERSION) else 200
        return wsgi.ResponseObject(view.create(req, keypair), code=code)

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        paged = req.is_microversion(PAGINATION_MICROVERSION)
        query.check_known(req, ("user_id", "limit", "marker"))
        user_id = self._user_id(req, "index")
        limit = marker = None
        if paged:
            limit, marker = pagination.get_limit_and_marker(req)
        # an unknown marker is MarkerNotFound, Nova's 400
        keypairs = self.keypair_api.get_key_pairs(req.context, user_id, limit=limit,
                                                  marker=marker)
        return view.index(req, keypairs, with_links=paged)

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        query.check_known(req, ("user_id",))
        user_id = self._user_id(req, "show")
        return view.show(req, self.keypair_api.get_key_pair(req.context, user_id, id))

    def delete(self, req: wsgi.Request, id: str) -> wsgi.ResponseObject:
        query.check_known(req, ("user_id",))
        user_id = self._user_id(req, "delete")
        self.keypair_api.delete_key_pair(req.context, user_id, id)
        code = 204 if req.is_microversion(KEYPAIR_TYPE_MICROVERSION) else 202
        return wsgi.ResponseObject(None, code=code)
