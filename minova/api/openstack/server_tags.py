"""``/servers/{server_id}/tags``: a server's tags (Nova's API, from 2.26).

Below 2.26 every route here is a 404, as Nova's versioned methods are. A
tag is 1-60 characters without "/" or ","; a server has at most 50. Reads
come from the server record (which carries its ``tags``); writes go
through the compute API to the conductor, which refuses them (409) unless
the server is active, paused, suspended or stopped, as Nova does. Policy
is checked against the server's project after the lookup, so another
project's server is a 404.
"""

import functools
from collections.abc import Callable

import jsonschema
import webob.exc

from minova.api import validation, wsgi
from minova.api.openstack import server_lookup
from minova.api.openstack.servers import ServersController
from minova.api.schemas import parameter_types
from minova.api.schemas import server_tags as schema
from minova.api.views import links
from minova.policies import server_tags as tag_policies

POLICY_ROOT = tag_policies.POLICY_ROOT
MIN_VERSION = "2.26"

_TAG_VALIDATOR = jsonschema.Draft4Validator(parameter_types.tag)


def _since(min_version: str) -> Callable:
    """Decorator: the method exists from ``min_version`` on; below, 404 before
    anything else (body validation included), as Nova's versioned methods."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(self, req: wsgi.Request, *args, **kwargs):
            if not req.is_microversion(min_version):
                raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
            return func(self, req, *args, **kwargs)

        return wrapper

    return decorator


def _check_tag(tag: str) -> None:
    """A tag named in the URL, validated as Nova does (400 with its wording)."""
    error = jsonschema.exceptions.best_match(_TAG_VALIDATOR.iter_errors(tag))
    if error is not None:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Tag '{tag}' is invalid. It must be a non empty string without "
                        f"characters '/' and ','. Validation error message: {error.message}")


class ServerTagsController:
    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self._servers = ServersController(compute_api)

    def _instance(self, req: wsgi.Request, server_id: str, action: str) -> dict:
        return server_lookup.get_authorized(self._servers, req, server_id, POLICY_ROOT % action)

    @_since(MIN_VERSION)
    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request, server_id: str) -> dict:
        return {"tags": list(self._instance(req, server_id, "index").get("tags") or [])}

    @_since(MIN_VERSION)
    @wsgi.response(204)
    def show(self, req: wsgi.Request, server_id: str, id: str) -> None:
        """204 if the server has the tag, 404 if not."""
        if id not in (self._instance(req, server_id, "show").get("tags") or []):
            raise webob.exc.HTTPNotFound(
                explanation=f"Server {server_id} has no tag '{id}'")

    @_since(MIN_VERSION)
    @validation.schema(schema.update)
    def update(self, req: wsgi.Request, server_id: str, id: str,
               body=None) -> wsgi.ResponseObject:
        """Add one tag: 201 with its Location, or 204 if the server had it."""
        self._instance(req, server_id, "update")
        _check_tag(id)
        if not self.compute_api.add_tag(req.context, server_id, id):
            return wsgi.ResponseObject(None, code=204)
        location = f"{links.href(req, 'servers', server_id)}/tags/{id}"
        return wsgi.ResponseObject(None, code=201, headers={"Location": location})

    @_since(MIN_VERSION)
    @validation.schema(schema.update_all)
    @validation.response_body_schema(schema.update_all_response)
    def update_all(self, req: wsgi.Request, server_id: str, body: dict) -> dict:
        """Replace every tag; the server's tags after."""
        self._instance(req, server_id, "update_all")
        return {"tags": self.compute_api.set_tags(req.context, server_id, body["tags"])}

    @_since(MIN_VERSION)
    @wsgi.response(204)
    def delete(self, req: wsgi.Request, server_id: str, id: str) -> None:
        self._instance(req, server_id, "delete")
        self.compute_api.delete_tag(req.context, server_id, id)

    @_since(MIN_VERSION)
    @wsgi.response(204)
    def delete_all(self, req: wsgi.Request, server_id: str) -> None:
        self._instance(req, server_id, "delete_all")
        self.compute_api.delete_tags(req.context, server_id)
