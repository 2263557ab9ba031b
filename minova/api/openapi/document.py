"""Build the OpenAPI 3.1 document of the v2.1 API at one microversion.

Every route of the URL table is an operation. Its request body is the
schema the controller validates with at that version (for the ``action``
routes, one of the actions' schemas), its success answer the schema the
controller's answers are checked against, and every operation may also
answer Nova's error body for the 4xx statuses the pipeline produces.
"""

import re

from minova.api import api_version_request as api_version
from minova.api import faults
from minova.api.openapi import json_schema, query_parameters
from minova.api.openstack import routes
from minova.api.schemas import versions as versions_schema

OPENAPI_VERSION = "3.1.0"
SECURITY_SCHEME = "authToken"
MICROVERSION_PARAMETER = "microversion"

_PATH_PARAMETER = re.compile(r"{([^}]+)}")

# Success statuses a controller picks at run time (a ResponseObject's
# code) rather than declares (wsgi.response), as they are at the maximum
# version: (controller class, action) -> statuses. The response schema, if
# any, is that of each.
RUNTIME_STATUSES = {
    ("ServerTagsController", "update"): (201, 204),  # added / was there
    ("KeypairController", "create"): (201,),  # 200 before 2.2
    ("KeypairController", "delete"): (204,),  # 202 before 2.2
    ("ServerExternalEventsController", "create"): (200, 207),  # 207: some not accepted
}

# Errors only some operations answer: Nova's 501 for what minova's drivers
# do not do, 410 for nova-network's removed APIs.
EXTRA_ERRORS = {
    ("HostController", "update"): (501,),
    ("HostController", "startup"): (501,),
    ("HostController", "shutdown"): (501,),
    ("HostController", "reboot"): (501,),
    ("HypervisorsController", "uptime"): (501,),
    ("NetworkController", "create"): (410,),
    ("NetworkController", "add"): (410,),
    ("NetworkController", "delete"): (410,),
    ("NetworkController", "action"): (410,),
}

# Errors any operation may answer: malformed input or version (400),
# no or a bad token (401), a policy (403), an unknown resource or a
# version that does not serve it (404), a version above the maximum (406).
_COMMON_ERRORS = (400, 401, 403, 404, 406)
# ... and those that change something: a state that forbids it (409).
_WRITE_ERRORS = (409,)
# ... and those that carry a body: too large (413), not JSON (415).
_BODY_ERRORS = (413, 415)


def fault_schema(code: int) -> dict:
    """Nova's error body for one status: ``{"<faultName>": {"code", "message"}}``."""
    name = faults.fault_name(code)
    return {
        "type": "object",
        "properties": {name: {
            "type": "object",
            "properties": {"code": {"type": "integer", "const": code},
                           "message": {"type": "string"}},
            "required": ["code", "message"],
            "additionalProperties": False,
        }},
        "required": [name],
        "additionalProperties": False,
    }


def at_version(schemas, version: str) -> dict | None:
    """The schema of ``[(schema, min, max), ...]`` whose range holds ``version``."""
    requested = api_version.APIVersionRequest(version)
    for schema, min_version, max_version in schemas or ():
        if requested.matches(min_version or api_version.MIN_API_VERSION, max_version):
            return schema
    return None


def last_version(schemas) -> str | None:
    """The last version any of ``[(schema, min, max), ...]`` covers, None when
    one of them has no end (the route is served at every later version)."""
    ends = [max_version for _schema, _min, max_version in schemas or ()]
    if not ends or None in ends:
        return None
    return max(ends, key=api_version.APIVersionRequest)


def build(version: str = api_version.MAX_API_VERSION) -> dict:
    """The document (a JSON-able dict) of the API at ``version``; no ``servers``
    entry: where the API is depends on the request that asks."""
    paths: dict[str, dict] = {
        "/": {"get": _version_document_operation()},
        "/openapi.json": {"get": _openapi_operation()},
    }
    for path, method, resource, action in routes.route_table(None):
        operation = _operation(path, method, resource.controller, action, version)
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "minova compute API",
            "version": version,
            "description": (
                f"minova's subset of Nova's compute API v2.1, as served at microversion "
                f"{version} (ask for it with `OpenStack-API-Version: compute {version}`; "
                f"without the header a request is served at "
                f"{api_version.MIN_API_VERSION}, whose answers differ as docs/api.md "
                f"lists). Every path is also served under `/{{project_id}}`. Generated "
                f"from the URL table and the JSON schemas the API validates with."),
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "security": [{SECURITY_SCHEME: []}],
        "paths": paths,
        "components": {
            "schemas": {f"fault{code}": fault_schema(code) for code in sorted(
                set(_COMMON_ERRORS + _WRITE_ERRORS + _BODY_ERRORS).union(
                    *EXTRA_ERRORS.values()))},
            "securitySchemes": {SECURITY_SCHEME: {
                "type": "apiKey", "in": "header", "name": "X-Auth-Token",
                "description": "A Keystone token, or `user:project` with "
                               "[api] auth_strategy = noauth2 (user `admin` is an admin).",
            }},
            "parameters": {MICROVERSION_PARAMETER: {
                "name": api_version.HEADER,
                "in": "header",
                "required": False,
                "description": (
                    f"`compute X.Y` (or `compute latest`): the microversion to serve, "
                    f"from {api_version.MIN_API_VERSION} to {api_version.MAX_API_VERSION}; "
                    f"{api_version.MIN_API_VERSION} without it. This document describes "
                    f"{version}."),
                "schema": {"type": "string",
                           "pattern": r"^compute (latest|[1-9][0-9]*\.(0|[1-9][0-9]*))$",
                           "examples": [f"compute {version}"]},
            }},
        },
    }


def _version_document_operation() -> dict:
    return {
        "operationId": "versions.show",
        "tags": ["versions"],
        "summary": "The v2.1 version document (no token needed).",
        "security": [],
        "responses": {"200": _json_response("The version document.",
                                            versions_schema.version_response)},
    }


def _openapi_operation() -> dict:
    return {
        "operationId": "openapi.show",
        "tags": ["versions"],
        "summary": "This document (no token needed).",
        "security": [],
        "responses": {"200": _json_response("The OpenAPI document.", {"type": "object"})},
    }


def _json_response(description: str, schema: dict | None) -> dict:
    response: dict = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


def _handlers(controller, action: str) -> list:
    """The methods that answer one route: the method itself, or for a
    ``POST .../action`` route every action it dispatches to."""
    dispatch = getattr(controller, "_dispatch", None)
    if action == "action" and dispatch:
        return list(dispatch.values())
    return [getattr(controller, action)]


def _operation(path: str, method: str, controller, action: str, version: str) -> dict:
    class_name = type(controller).__name__
    handlers = _handlers(controller, action)
    parameters = [{"$ref": f"#/components/parameters/{MICROVERSION_PARAMETER}"}]
    parameters += [{"name": name, "in": "path", "required": True,
                    "schema": {"type": "string"}}
                   for name in _PATH_PARAMETER.findall(path)]
    parameters += query_parameters.query_parameters(class_name, action)
    operation: dict = {
        "operationId": f"{class_name.removesuffix('Controller')}.{action}",
        "tags": [type(controller).__module__.rsplit(".", 1)[-1]],
        "summary": _summary(handlers[0] if len(handlers) == 1 else getattr(controller, action)),
        "parameters": parameters,
    }

    request_schemas = [at_version(getattr(h, "request_schemas", None), version)
                       for h in handlers]
    request_schemas = [json_schema.from_draft4(s) for s in request_schemas
                       if s is not None and s.get("type") != "null"]
    if request_schemas:
        schema = request_schemas[0] if len(request_schemas) == 1 else {"oneOf": request_schemas}
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": schema}}}

    responses: dict[str, dict] = {}
    removed_after = None
    names = {handler: name for name, handler in (getattr(controller, "_dispatch", None)
                                                 or {}).items()}
    answers: dict[int, list] = {}
    for handler in handlers:
        schemas = getattr(handler, "response_schemas", None)
        schema = at_version(schemas, version)
        last = last_version(schemas)
        if schema is None and last is not None and (
                api_version.APIVersionRequest(last) < api_version.APIVersionRequest(version)):
            # A route Nova removed: documented as answered in its last version.
            schema, removed_after = at_version(schemas, last), last
        codes = RUNTIME_STATUSES.get((class_name, action),
                                      (getattr(handler, "wsgi_code", 200),))
        for code in codes:
            answers.setdefault(code, []).append((names.get(handler), schema))
    for code, answered in answers.items():
        responses[str(code)] = _success(answered)
    errors = list(_COMMON_ERRORS)
    if method != "GET":
        errors += _WRITE_ERRORS
    if method in ("POST", "PUT"):
        errors += _BODY_ERRORS
    errors += EXTRA_ERRORS.get((class_name, action), ())
    for code in sorted(errors):
        responses[str(code)] = _json_response(faults.fault_name(code),
                                              {"$ref": f"#/components/schemas/fault{code}"})
    operation["responses"] = responses
    if removed_after is not None:
        operation["deprecated"] = True
        operation["description"] = (f"Served up to {removed_after} (as Nova); a 404 at "
                                    f"later versions, this document's included.")
    if class_name == "ImagesController":
        operation["deprecated"] = True
        operation["description"] = ("Nova's image proxy: served up to 2.35, a 404 from 2.36 "
                                    "(use the image API, /image/v2).")
    return operation


def _success(answers: list[tuple[str | None, dict | None]]) -> dict:
    """The documented answer of one success status, from what each handler
    of the route answers with it (``(action name, body schema or None)``).

    One body, or any of several. When some actions of an ``action`` route
    answer the status with a body and others with none (``rebuild`` and
    ``reboot`` both answer 202), an OpenAPI response cannot say "this body
    or none": the bodies are then given per action in ``x-action-bodies``,
    and the response itself documents no content.
    """
    schemas: list[dict] = []
    for _name, schema in answers:
        if schema is not None and not any(schema is known for known in schemas):
            schemas.append(schema)
    if not schemas:
        return _json_response("Success, no body.", None)
    if any(schema is None for _name, schema in answers):
        return {"description": "Success: the actions in x-action-bodies answer with "
                               "a body, the others with none.",
                "x-action-bodies": {name: schema for name, schema in answers
                                    if schema is not None}}
    return _json_response("Success.", schemas[0] if len(schemas) == 1
                          else {"anyOf": schemas})


def _summary(method) -> str:
    doc = (getattr(method, "__doc__", None) or "").strip()
    return doc.split("\n", 1)[0] if doc else method.__name__.strip("_").replace("_", " ")

