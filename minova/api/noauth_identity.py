"""``/identity``: just enough of Keystone's v3 API for the openstack CLI under noauth2.

A noauth2 deployment has no Keystone, yet openstackclient and openstacksdk
learn from Keystone where each service is (the token's catalog) and which
project they act in (the token's scope): without them, ``limits show``
asks a block-storage service that is not there and ``quota show`` has no
project to show. So under noauth2 only, the api answers at ``/identity``,
and etc/clouds.yaml is an ordinary token cloud (``auth_type: v3token``,
``auth_url`` ``http://HOST:8774/identity/v3``, ``token: user:project``):

* ``GET /identity`` (300) and ``GET /identity/v3`` (200): Keystone's
  version documents, which discovery reads;
* ``POST /identity/v3/auth/tokens``: Keystone's token method. The token
  given is noauth2's ``user:project``; the answer (201) is the token in
  ``X-Subject-Token``, scoped to the project of the request's scope if it
  has one (else to the token's own), and a body with that user, project,
  the roles noauth2 gives the user, and a catalog of minova's compute
  (``/v2.1``), image (``/image``) and identity (``/identity``) endpoints;
* ``GET /identity/v3/projects/{id}``: the project itself, because under
  noauth2 a project is whatever string the token names, so every one
  exists, with that string as its id and name.

Nothing else: users, roles and the rest stay Keystone's business, and
under ``auth_strategy = keystone`` this is not mounted at all (clients
use the real Keystone).
"""

import datetime
from collections.abc import Callable

import webob.exc

from minova.api import validation, wsgi
from minova.api.middleware import auth, sizelimit

PREFIX = "/identity"
V3_UPDATED = "2024-04-04T00:00:00Z"  # discovery reads the id, status and links
REGION = "RegionOne"
# How long a client may use a token before it asks for another (Keystone's
# default). noauth2 tokens never expire: this only paces the clients.
TOKEN_LIFETIME = datetime.timedelta(hours=1)
DEFAULT_DOMAIN = {"id": "default", "name": "Default"}

# The strings become the X-Subject-Token header and the request context's
# user and project: printable ASCII only, no header tricks.
_PRINTABLE = "^[\\x20-\\x7e]+$"
_PROJECT = {"type": "object", "properties": {
    "id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": _PRINTABLE},
    "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": _PRINTABLE},
}, "anyOf": [{"required": ["id"]}, {"required": ["name"]}]}
TOKEN_REQUEST = {
    "type": "object",
    "properties": {"auth": {
        "type": "object",
        "properties": {
            "identity": {
                "type": "object",
                "properties": {
                    "methods": {"type": "array", "items": {"type": "string"}},
                    "token": {"type": "object", "properties": {"id": {
                        "type": "string", "minLength": 1, "maxLength": 255,
                        "pattern": _PRINTABLE}}, "required": ["id"]},
                },
                "required": ["methods"],
            },
            # A project scope; "unscoped" and no scope mean the token's own
            # project (a noauth2 token always names one).
            "scope": {"oneOf": [
                {"type": "object", "properties": {"project": _PROJECT},
                 "required": ["project"]},
                {"enum": ["unscoped"]},
            ]},
        },
        "required": ["identity"],
    }},
    "required": ["auth"],
}
_TOKEN_REQUEST_VALIDATOR = validation.SchemaValidator(TOKEN_REQUEST)


def _v3_document(identity_url: str) -> dict:
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": V3_UPDATED,
        "links": [{"rel": "self", "href": f"{identity_url}/v3/"}],
        "media-types": [{"base": "application/json",
                         "type": "application/vnd.openstack.identity-v3+json"}],
    }


def _project(identity_url: str, project_id: str) -> dict:
    return {
        "id": project_id, "name": project_id, "domain_id": "default",
        "description": "", "enabled": True, "is_domain": False, "parent_id": "default",
        "tags": [], "links": {"self": f"{identity_url}/v3/projects/{project_id}"},
    }


def _catalog(base_url: str) -> list[dict]:
    """minova's services, each at the same URL for every interface."""
    services = (("compute", "nova", "/v2.1"), ("image", "glance", "/image"),
                ("identity", "keystone", PREFIX))
    return [{
        "id": service_type, "type": service_type, "name": name,
        "endpoints": [{"id": f"{service_type}-{interface}", "interface": interface,
                       "region": REGION, "region_id": REGION, "url": base_url + path}
                      for interface in ("public", "internal", "admin")],
    } for service_type, name, path in services]


def _isotime(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def issue_token(body, base_url: str, with_catalog: bool = True) -> tuple[str, dict]:
    """The noauth2 token a token-method request ``body`` gets, and its body.

    400 (ValidationError) for a body that is not a token request, 401 for
    one by another method (a password means nothing to noauth2).
    """
    _TOKEN_REQUEST_VALIDATOR.validate(body)
    identity = body["auth"]["identity"]
    if identity["methods"] != ["token"] or "token" not in identity:
        raise webob.exc.HTTPUnauthorized(
            explanation="noauth2 issues tokens for the token method only: "
                        "authenticate with a token USER:PROJECT.")
    token = identity["token"]["id"]
    user_id, _sep, project_id = token.partition(":")
    project_id = project_id or user_id
    scope = body["auth"].get("scope")
    if isinstance(scope, dict):
        project_id = scope["project"].get("id") or scope["project"]["name"]
    now = datetime.datetime.now(datetime.UTC)
    token_body = {
        "methods": ["token"],
        "user": {"id": user_id, "name": user_id, "domain": DEFAULT_DOMAIN,
                 "password_expires_at": None},
        "project": {"id": project_id, "name": project_id, "domain": DEFAULT_DOMAIN},
        "roles": [{"id": role, "name": role} for role in auth.default_noauth_roles(user_id)],
        "is_domain": False,
        "audit_ids": [],
        "issued_at": _isotime(now),
        "expires_at": _isotime(now + TOKEN_LIFETIME),
    }
    if with_catalog:
        token_body["catalog"] = _catalog(base_url)
    return f"{user_id}:{project_id}", {"token": token_body}


def _not_allowed(allowed: str) -> webob.exc.HTTPMethodNotAllowed:
    return webob.exc.HTTPMethodNotAllowed(
        explanation="The method specified is not allowed for this resource.",
        headers=[("Allow", allowed)])


def _answer(req: wsgi.Request, base_url: str) -> webob.Response:
    """The answer to ``req`` (below /identity); raises 404 and 405."""
    identity_url = req.application_url
    path = req.path_info.rstrip("/")
    parts = path.split("/")
    if path == "/v3/auth/tokens":
        if req.method != "POST":
            raise _not_allowed("POST")
        subject, body = issue_token(wsgi.parse_json_body(req.body), base_url,
                                    with_catalog="nocatalog" not in req.GET)
        return wsgi.serialize(wsgi.ResponseObject(body, headers={"X-Subject-Token": subject}),
                              201)
    if path == "":
        found = {"versions": {"values": [_v3_document(identity_url)]}}, 300
    elif path == "/v3":
        found = {"version": _v3_document(identity_url)}, 200
    elif len(parts) == 4 and parts[:3] == ["", "v3", "projects"] and parts[3]:
        found = {"project": _project(identity_url, parts[3])}, 200
    else:
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
    if req.method not in ("GET", "HEAD"):
        raise _not_allowed("GET, HEAD")
    return wsgi.serialize(*found)


class NoAuthIdentity:
    """``/identity[/...]`` -> the answers above; the rest -> ``application``.

    Errors are raised, not answered, so that FaultWrapper gives them
    minova's error body like every other 404 and 405.
    """

    def __init__(self, application: Callable) -> None:
        self.application = application
        self.identity = sizelimit.RequestBodySizeLimiter(self._identity)

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "") or "/"
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            return self.application(environ, start_response)
        return self.identity(environ, start_response)

    @staticmethod
    def _identity(environ: dict, start_response: Callable):
        base_url = wsgi.Request(environ).application_url  # where minova is mounted
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
        environ["PATH_INFO"] = environ.get("PATH_INFO", "")[len(PREFIX):]
        req = wsgi.Request(environ)
        return _answer(req, base_url)(environ, start_response)
