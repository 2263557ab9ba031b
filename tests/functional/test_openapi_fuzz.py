"""Fuzz the API from its own OpenAPI document (schemathesis), on a real deployment.

Every operation of ``/v2.1/openapi.json`` gets generated requests, valid
and invalid, as an admin at the maximum microversion (what the document
describes). Three checks, each a bug when it fails: no 5xx (bad input is
a 4xx), every answer's status is one the document lists, and every body
matches the documented schema. Then the same at 2.1, for 5xx only (its
answers are not the document's).

Random ids would only ever reach 404s (and random flavors and images a
400), so half of the time path ids are replaced by those of real objects
made beforehand, and server creates name a real flavor and image; never
for the delete of the object itself, which would leave the operations
after it nothing real to work on.
"""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from minova.api import api_version_request as api_version
from tests.functional.deployment import Deployment

MICROVERSION = api_version.MAX_API_VERSION
MAX_EXAMPLES = 50  # per operation: both tests, deployment included, take ~70 s on 2 cores
MAX_EXAMPLES_MIN_VERSION = 20


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("fuzz"), backend="mysql")
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


@pytest.fixture(scope="module")
def known_ids(deployment) -> dict:
    """Ids of real objects, by the path prefix whose ``{id}``/``{server_id}`` they fill."""
    api = deployment.api
    headers = {"OpenStack-API-Version": f"compute {MICROVERSION}"}
    server_id = api.create_server("fuzzed")
    api.wait_for_status(server_id, ("ACTIVE",))
    status, body, _ = api.post("/v2.1/os-aggregates", {"aggregate": {"name": "fuzzed"}})
    assert status == 200, body
    aggregate_id = str(body["aggregate"]["id"])
    status, body, _ = api.post("/v2.1/os-server-groups",
                               {"server_group": {"name": "fuzzed", "policies": ["affinity"]}})
    assert status == 200, body
    group_id = body["server_group"]["id"]
    _, body, _ = api.get("/v2.1/os-hypervisors", headers=headers)
    hypervisor_id = body["hypervisors"][0]["id"]
    _, body, _ = api.get("/v2.1/os-services?binary=minova-compute", headers=headers)
    service_id = body["services"][0]["id"]
    status, body, _ = api.post("/v2.1/os-keypairs", {"keypair": {"name": "fuzzed"}})
    assert status == 200, body
    _, body, _ = api.get("/v2.1/images/detail")
    image_id = next(image["id"] for image in body["images"]
                    if image["status"] == "ACTIVE")
    return {
        "image": image_id,
        "/servers": server_id,
        "/os-aggregates": aggregate_id,
        "/os-server-groups": group_id,
        "/os-hypervisors": hypervisor_id,
        "/os-services": service_id,
        "/os-keypairs": "fuzzed",
        "/os-quota-sets": "admin",
        "/os-simple-tenant-usage": "admin",
        "/flavors": "1",
    }


_turn = itertools.count()


def _use_known_ids(case, known_ids: dict) -> None:
    """Every other case, point the path at a real object (or, for a server
    create, name a real flavor and image, so that some builds start; for a
    rebuild, a real image)."""
    if next(_turn) % 2:
        return
    if case.method == "POST" and case.path == "/servers":
        server = case.body.get("server") if isinstance(case.body, dict) else None
        if isinstance(server, dict):
            server.update(flavorRef=known_ids["/flavors"], imageRef=known_ids["image"])
        return
    rebuild = case.body.get("rebuild") if isinstance(case.body, dict) else None
    if isinstance(rebuild, dict):  # a rebuild names a real image, so some start
        rebuild["imageRef"] = known_ids["image"]
    if not case.path_parameters:
        return
    prefix = "/" + case.path.split("/")[1]
    known = known_ids.get(prefix)
    if known is None:
        return
    for name in ("server_id", "flavor_id"):
        if name in case.path_parameters:
            case.path_parameters[name] = known
    if "id" in case.path_parameters and case.path.count("{") == 1 and case.method != "DELETE":
        case.path_parameters["id"] = known


REQUEST_TIMEOUT = 120  # seconds: a hang still fails


def _fuzz(operation, known_ids: dict, headers: dict, checks: list,
          max_examples: int) -> list[str]:
    """Generated requests to one operation; what failed."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        _use_known_ids(case, known_ids)
        try:
            # schemathesis gives up after 10 s; a machine loaded by other work
            # can take longer to create a server, and speed is not what this checks.
            case.call_and_validate(headers=headers, checks=checks, timeout=REQUEST_TIMEOUT)
        except Exception as failure:  # schemathesis raises a FailureGroup
            failures.append(str(failure))

    fuzz()
    return failures


def _fuzz_all(deployment, known_ids: dict, version: str, checks: list,
              max_examples: int) -> None:
    status, document, _ = deployment.api.get("/v2.1/openapi.json")
    assert status == 200
    assert document["info"]["version"] == api_version.MAX_API_VERSION
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=document["servers"][0]["url"])
    headers = {"X-Auth-Token": "admin:admin", "OpenStack-API-Version": f"compute {version}"}
    report = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        failures = _fuzz(operation, known_ids, headers, checks, max_examples)
        if failures:
            report[f"{operation.method.upper()} {operation.path}"] = failures[0]
        deployment.check_alive()
    assert len(report) == 0, "\n\n".join(f"{op}: {text}" for op, text in report.items())


def test_api_answers_as_its_openapi_document_says(deployment, known_ids):
    """At the version the document describes: every check."""
    _fuzz_all(deployment, known_ids, api_version.MAX_API_VERSION,
              [not_a_server_error, status_code_conformance, response_schema_conformance],
              MAX_EXAMPLES)


def test_no_server_error_at_the_minimum_version(deployment, known_ids):
    """The same requests at 2.1, whose answers differ from the document's
    (docs/api.md), still never a 5xx: older code paths, same robustness."""
    _fuzz_all(deployment, known_ids, api_version.MIN_API_VERSION, [not_a_server_error],
              MAX_EXAMPLES_MIN_VERSION)
