"""Controller dispatch: JSON in, a controller method, JSON out.

The router finds a ``Resource`` and the action (controller method name);
the Resource checks the media type, parses the body, calls the method
with the URL arguments and serializes what it returns. Errors are raised,
never rendered here: the fault wrapper renders every error the same way.
"""

import json
from collections.abc import Callable
from typing import Any

import webob
import webob.exc

from minova.api import api_version_request as api_version
from minova.api.middleware.auth import ENV_CONTEXT
from minova.api.middleware.legacy_v2 import ENV_LEGACY_V2
from minova.context import RequestContext

SUPPORTED_CONTENT_TYPES = ("application/json", "application/vnd.openstack.compute+json")
METHODS_WITH_BODY = ("POST", "PUT")

# Set by the router for routes under /{project_id}/..., read by the link builders.
ENV_URL_PROJECT_ID = "minova.url_project_id"


class Request(webob.Request):
    """A webob Request that knows where the auth middleware put the context."""

    @property
    def context(self) -> RequestContext:
        return self.environ[ENV_CONTEXT]

    @property
    def api_version_request(self) -> api_version.APIVersionRequest:
        """The microversion this request is served at (2.1 unless negotiated)."""
        version = self.environ.get(api_version.ENV_KEY)
        return version if version is not None else api_version.min_version()

    def is_legacy_v2(self) -> bool:
        """True for a request of ``/v2``, Nova's legacy v2 compatible endpoint."""
        return bool(self.environ.get(ENV_LEGACY_V2))

    def is_microversion(self, min_version: str, max_version: str | None = None) -> bool:
        """True if served at ``min_version`` or later (and at most ``max_version``)."""
        return self.api_version_request.matches(min_version, max_version)

    def get_content_type(self) -> str | None:
        """The body's media type, None when absent; 415 when it is not JSON.

        As in Nova, ``text/plain`` (what some HTTP stacks send by default)
        counts as absent, and an absent type means "parse as JSON".
        """
        if "Content-Type" not in self.headers:
            return None
        content_type = self.content_type
        if not content_type or content_type == "text/plain":
            return None
        if content_type not in SUPPORTED_CONTENT_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(explanation="Unsupported Content-Type")
        return content_type


class ResponseObject:
    """A controller's answer when it needs a status or headers besides the body."""

    def __init__(self, obj: Any, code: int | None = None,
                 headers: dict | None = None) -> None:
        self.obj = obj
        self.code = code
        self.headers = dict(headers or {})

    def __setitem__(self, header: str, value: str) -> None:
        self.headers[header] = value


def response(code: int) -> Callable:
    """Decorator: the success status of a controller method (200 otherwise)."""

    def decorator(func: Callable) -> Callable:
        func.wsgi_code = code
        return func

    return decorator


# The deepest nesting of objects and arrays a request body may have. Nova's
# deepest bodies (a create's block_device_mapping_v2) nest four levels;
# thousands of levels only serve to exhaust the parser's recursion (a
# RecursionError, which was a 500) or whatever walks the body next.
MAX_BODY_DEPTH = 32


def _too_deep(value: Any) -> bool:
    """True if ``value`` nests objects/arrays deeper than MAX_BODY_DEPTH
    (walked with a stack of its own, so any depth is safe to measure)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def parse_json_body(raw: bytes) -> Any:
    """A request body's JSON; 400 with Nova's "Malformed request body" when
    it is not JSON or nests deeper than MAX_BODY_DEPTH (every API that
    takes a JSON body parses it here)."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise webob.exc.HTTPBadRequest(explanation="Malformed request body") from None
    if isinstance(body, (dict, list)) and _too_deep(body):
        raise webob.exc.HTTPBadRequest(explanation="Malformed request body")
    return body


def _deserialize(req: Request) -> Any:
    """The JSON body of a POST/PUT, None when empty; 400 when malformed."""
    raw = req.body
    if not raw:
        return None
    return parse_json_body(raw)


def encode_body(obj: Any) -> bytes:
    """A response body's JSON bytes, exactly as ``json.dumps`` writes them.

    ``check_circular=False``: the encoder otherwise records and looks up
    every list and dict it enters to detect a cycle, which answer bodies
    (trees of fresh dicts built by the views) never have; at a detail list
    of 1000 servers (~1.3 MB, ~60,000 containers) that bookkeeping was about
    a third of the encoding time. A cycle, were one ever built, still fails
    (RecursionError, a 500) instead of looping.
    """
    return json.dumps(obj, check_circular=False).encode("utf-8")


def serialize(result: Any, default_code: int) -> webob.Response:
    """A controller's result as a response: JSON body, or none for None (e.g. 204)."""
    if isinstance(result, ResponseObject):
        obj, code, headers = result.obj, result.code or default_code, result.headers
    elif isinstance(result, webob.Response):
        return result
    else:
        obj, code, headers = result, default_code, {}
    resp = webob.Response(status=code)
    if obj is None:
        resp.content_type = None
        resp.body = b""
    else:
        resp.content_type = "application/json"
        resp.body = encode_body(obj)
    for key, value in headers.items():
        resp.headers[key] = str(value)
    return resp


class Resource:
    """WSGI app for one controller; the router tells it which action to call."""

    def __init__(self, controller: object) -> None:
        self.controller = controller

    def __call__(self, environ: dict, start_response: Callable):
        req = Request(environ)
        resp = self.dispatch(req)
        return resp(environ, start_response)

    def dispatch(self, req: Request) -> webob.Response:
        """Media type (415), body (400), URL project (400), then the controller."""
        args = dict(req.environ["wsgiorg.routing_args"][1])
        action = args.pop("action")
        args.pop("controller", None)
        args.pop("format", None)

        req.get_content_type()
        if req.method in METHODS_WITH_BODY:
            args["body"] = _deserialize(req)

        project_id = args.pop("project_id", None)
        if project_id is not None:
            context = req.context
            if project_id != context.project_id:
                raise webob.exc.HTTPBadRequest(
                    explanation=(
                        f"Malformed request URL: URL's project_id '{project_id}' doesn't "
                        f"match Context's project_id '{context.project_id}'"
                    )
                )
            req.environ[ENV_URL_PROJECT_ID] = project_id

        method = getattr(self.controller, action)
        result = method(req, **args)
        return serialize(result, getattr(method, "wsgi_code", 200))

