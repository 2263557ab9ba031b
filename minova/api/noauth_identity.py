"""``/identity``: just enough of Keystone's v3 API for the openstack CLI under noauth2.

A noauth2 deployment has no Keystone, yet openstackclient and openstacksdk
(``auth_type: admin_token`` with ``auth: {token, endpoint}``, as in
etc/clouds.yaml) run version discovery on that endpoint whenever a command
touches the identity service, which ``server list`` does unconditionally,
and ``quota show PROJECT`` resolves the project there. With admin_token the
endpoint is used as given, so it is ``http://HOST:8774/identity/v3``. Under
noauth2 only, the api answers at ``/identity``:

* ``GET /identity`` (300) and ``GET /identity/v3`` (200): Keystone's
  version documents, which is all discovery reads;
* ``GET /identity/v3/projects/{id}``: the project itself, because under
  noauth2 a project is whatever string the token names, so every one
  exists, with that string as its id and name.

Nothing else: tokens, users and the catalog stay Keystone's business, and
under ``auth_strategy = keystone`` this is not mounted at all (clients
discover the real Keystone).
"""

from collections.abc import Callable

import webob.exc

from minova.api import wsgi

PREFIX = "/identity"
V3_UPDATED = "2024-04-04T00:00:00Z"  # discovery reads the id, status and links


def _v3_document(identity_url: str) -> dict:
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": V3_UPDATED,
        "links": [{"rel": "self", "href": f"{identity_url}/v3/"}],
        "media-types": [{"base": "application/json",
                         "type": "application/vnd.openstack.identity-v3+json"}],
    }


def _documents(req: wsgi.Request) -> tuple[dict, int] | None:
    """The body and status for ``req`` (below /identity), None for anything else."""
    identity_url = req.application_url
    path = req.path_info.rstrip("/")
    if path == "":
        return {"versions": {"values": [_v3_document(identity_url)]}}, 300
    if path == "/v3":
        return {"version": _v3_document(identity_url)}, 200
    parts = path.split("/")
    if len(parts) == 4 and parts[:3] == ["", "v3", "projects"] and parts[3]:
        project_id = parts[3]
        return {"project": {
            "id": project_id, "name": project_id, "domain_id": "default",
            "description": "", "enabled": True, "is_domain": False, "parent_id": "default",
            "tags": [], "links": {"self": f"{identity_url}/v3/projects/{project_id}"},
        }}, 200
    return None


class NoAuthIdentity:
    """``/identity[/...]`` -> the documents above; the rest -> ``application``.

    Errors are raised, not answered, so that FaultWrapper gives them
    minova's error body like every other 404 and 405.
    """

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "") or "/"
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            return self.application(environ, start_response)
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
        environ["PATH_INFO"] = path[len(PREFIX):]
        req = wsgi.Request(environ)
        found = _documents(req)
        if found is None:
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        if req.method not in ("GET", "HEAD"):
            raise webob.exc.HTTPMethodNotAllowed(
                explanation="The method specified is not allowed for this resource.",
                headers=[("Allow", "GET, HEAD")])
        return wsgi.serialize(*found)(environ, start_response)
