"""The OpenAPI document: valid OpenAPI 3.1, and complete for what is routed."""

import jsonschema
import pytest
from schemathesis.specs.openapi import definitions

from minova.api import api_version_request as api_version
from minova.api.openapi import document, query_parameters
from minova.api.openstack import routes
from minova.api.schemas import servers as servers_schema
from minova.api.schemas import services as services_schema
from tests.unit.api import fakes


@pytest.fixture(scope="module")
def doc() -> dict:
    return dict(document.build(), servers=[{"url": "http://localhost/v2.1"}])


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _schemas(value):
    """Every Schema Object of the document (request, response, parameter)."""
    if isinstance(value, dict):
        if "schema" in value and isinstance(value["schema"], dict):
            yield value["schema"]
        for key, sub in value.items():
            if key != "schema":
                yield from _schemas(sub)
    elif isinstance(value, list):
        for sub in value:
            yield from _schemas(sub)


def test_is_valid_openapi_31(doc):
    jsonschema.Draft202012Validator(definitions.OPENAPI_31).validate(doc)
    for schema in _schemas(doc):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_meta_schema_check_can_fail(doc):
    broken = dict(doc, paths={"/servers": {"get": {"responses": {"200": {}}}}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(definitions.OPENAPI_31).validate(broken)


def test_every_route_has_an_operation(doc):
    for path, method, _resource, _action in routes.route_table(None):
        assert method.lower() in doc["paths"].get(path, {}), (method, path)


def test_the_tables_of_the_document_name_routed_actions():
    routed = {(type(resource.controller).__name__, action)
              for _path, _method, resource, action in routes.route_table(None)}
    assert set(document.RUNTIME_STATUSES) <= routed
    assert set(query_parameters.QUERY_PARAMETERS) <= routed


def test_operation_ids_are_unique(doc):
    ids = [operation["operationId"] for _path, _method, operation in _operations(doc)]
    assert len(ids) == len(set(ids))


def test_every_operation_with_a_request_schema_has_a_request_body(doc):
    for path, method, resource, action in routes.route_table(None):
        operation = doc["paths"][path][method.lower()]
        schema = document.at_version(
            getattr(getattr(resource.controller, action), "request_schemas", None),
            api_version.MAX_API_VERSION)
        if schema is not None and schema.get("type") != "null":
            assert operation["requestBody"]["required"] is True, (method, path)
    body = doc["paths"]["/servers/{id}/action"]["post"]["requestBody"]
    actions = {next(iter(option["required"]))
               for option in body["content"]["application/json"]["schema"]["oneOf"]}
    assert {"os-stop", "reboot", "rebuild", "os-getConsoleOutput", "lock", "unlock",
            "os-resetState", "restore", "forceDelete", "trigger_crash_dump", "rescue",
            "unrescue", "resize", "confirmResize", "revertResize", "migrate"} <= actions


def test_diagnostics_are_documented_with_the_2_48_shape(doc):
    operation = doc["paths"]["/servers/{server_id}/diagnostics"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"state", "driver", "memory_details", "cpu_details", "nic_details",
            "disk_details"} <= set(schema["required"])


def test_request_bodies_are_the_schemas_of_the_maximum_version(doc):
    schema = (doc["paths"]["/servers"]["post"]["requestBody"]["content"]
              ["application/json"]["schema"])
    assert schema["properties"]["server"]["required"] == (
        servers_schema.create_v252["properties"]["server"]["required"])
    assert "tags" in schema["properties"]["server"]["properties"]


def test_every_get_documents_its_answer(doc):
    for path, method, operation in _operations(doc):
        if method != "get":
            continue
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert success, path
        if path != "/servers/{server_id}/tags/{id}":  # 204 or 404, no body
            assert "content" in operation["responses"]["200"], path


def test_responses_are_those_of_the_maximum_version(doc):
    services = doc["paths"]["/os-services"]["get"]["responses"]["200"]
    assert services["content"]["application/json"]["schema"] is (
        services_schema.index_response_v253)


def test_errors_are_novas_fault_body(doc):
    operation = doc["paths"]["/servers/{id}"]["get"]
    assert {"400", "401", "403", "404", "406"} <= set(operation["responses"])
    assert "409" not in operation["responses"]
    assert {"409", "413", "415"} <= set(doc["paths"]["/servers"]["post"]["responses"])
    fault = doc["components"]["schemas"]["fault404"]
    jsonschema.validate({"itemNotFound": {"code": 404, "message": "gone"}}, fault)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"badRequest": {"code": 400, "message": "no"}}, fault)


def test_path_query_header_parameters_and_security(doc):
    operation = doc["paths"]["/servers/{server_id}/metadata/{id}"]["put"]
    path_params = {p["name"] for p in operation["parameters"] if p.get("in") == "path"}
    assert path_params == {"server_id", "id"}
    assert {"$ref": "#/components/parameters/microversion"} in operation["parameters"]
    servers = doc["paths"]["/servers/detail"]["get"]["parameters"]
    assert {"limit", "marker", "status", "tags"} <= {p.get("name") for p in servers}
    assert doc["components"]["securitySchemes"]["authToken"]["name"] == "X-Auth-Token"
    assert doc["security"] == [{"authToken": []}]
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []


def test_served_without_a_token_at_the_maximum_version():
    resp = fakes.Client().get("/v2.1/openapi.json", token=None)
    assert resp.status_int == 200
    assert resp.content_type == "application/json"
    assert resp.json["info"]["version"] == api_version.MAX_API_VERSION
    assert resp.json["servers"] == [{"url": "http://localhost/v2.1"}]


def test_only_get_and_head():
    resp = fakes.Client().post("/v2.1/openapi.json", body={})
    assert resp.status_int == 405


def test_routes_nova_removed_are_documented_as_in_their_last_version(doc):
    """e.g. /os-hypervisors/statistics, served up to 2.87: its last answer, marked
    deprecated (a 404 at the document's version is listed with every GET)."""
    operation = doc["paths"]["/os-hypervisors/statistics"]["get"]
    assert operation["deprecated"] is True
    assert "Served up to 2.87" in operation["description"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "hypervisor_statistics" in schema["properties"]
    assert "404" in operation["responses"]


def test_a_status_some_actions_answer_with_a_body_lists_the_bodies_per_action(doc):
    """202 is rebuild's (the server), createImage's (2.45: the image id) and
    reboot's (no body): no content is documented for it, the bodies are,
    per action."""
    accepted = doc["paths"]["/servers/{id}/action"]["post"]["responses"]["202"]
    assert "content" not in accepted
    assert set(accepted["x-action-bodies"]) == {"rebuild", "createImage"}
    assert accepted["x-action-bodies"]["createImage"]["required"] == ["image_id"]
    server = accepted["x-action-bodies"]["rebuild"]["properties"]["server"]
    assert {"adminPass", "OS-EXT-STS:task_state"} <= set(server["properties"])
    # confirmResize's 204 is documented, with no body.
    assert "content" not in doc["paths"]["/servers/{id}/action"]["post"]["responses"]["204"]
    ok = doc["paths"]["/servers/{id}/action"]["post"]["responses"]["200"]
    # os-getConsoleOutput's output and rescue's adminPass, each with a body
    bodies = ok["content"]["application/json"]["schema"]["anyOf"]
    assert [set(body["properties"]) for body in bodies] == [{"output"}, {"adminPass"}]
