"""The assembled pipeline: ids, error shapes, media types, routing, size limit."""

import json
import subprocess
import sys

import pytest
import webob.exc

from . import fakes

REQUEST_ID_HEADERS = ("x-openstack-request-id", "x-compute-request-id")


def _assert_request_ids(resp) -> None:
    value = resp.headers["x-openstack-request-id"]
    assert value.startswith("req-") and len(value) == 40
    assert resp.headers["x-compute-request-id"] == value


def _fault(resp, name: str, code: int) -> dict:
    assert resp.status_int == code
    assert resp.content_type == "application/json"
    body = json.loads(resp.body)
    assert list(body) == [name]
    assert body[name]["code"] == code
    return body[name]


def test_request_id_on_success(client):
    resp = client.get("/v2.1/flavors")
    assert resp.status_int == 200
    _assert_request_ids(resp)


@pytest.mark.parametrize("path", ["/", "/v2.1", "/v2.1/nope", "/nope"])
def test_request_id_on_versions_and_errors(client, path):
    _assert_request_ids(client.get(path))


def test_request_id_differs_per_request(client):
    first = client.get("/v2.1/flavors").headers["x-openstack-request-id"]
    second = client.get("/v2.1/flavors").headers["x-openstack-request-id"]
    assert first != second


def test_request_id_is_the_context_request_id(client):
    compute = client.compute_api
    seen = {}
    original = compute.get_all

    def spy(ctxt, **kwargs):
        seen["request_id"] = ctxt.request_id
        return original(ctxt, **kwargs)

    compute.get_all = spy
    resp = client.get("/v2.1/servers")
    assert seen["request_id"] == resp.headers["x-openstack-request-id"]


def test_request_id_on_internal_error():
    compute = fakes.FakeComputeAPI()
    compute.fail_with["get_all"] = RuntimeError("db password is hunter2")
    resp = fakes.Client(compute).get("/v2.1/servers")
    _assert_request_ids(resp)


def test_unexpected_exception_is_a_generic_compute_fault():
    compute = fakes.FakeComputeAPI()
    compute.fail_with["get_all"] = RuntimeError("db password is hunter2")
    resp = fakes.Client(compute).get("/v2.1/servers")
    fault = _fault(resp, "computeFault", 500)
    assert "hunter2" not in resp.text
    assert "Traceback" not in resp.text
    assert "RuntimeError" not in resp.text
    assert fault["message"] == (
        "The server has either erred or is incapable of performing the requested operation."
    )


def test_unknown_url_is_item_not_found(client):
    fault = _fault(client.get("/v2.1/no-such-thing"), "itemNotFound", 404)
    assert fault["message"] == "The resource could not be found."


def test_url_outside_the_api_is_not_found(client):
    _fault(client.get("/v3/servers"), "itemNotFound", 404)


def test_wrong_method_is_bad_method(client):
    resp = client.request("PUT", "/v2.1/servers")
    _fault(resp, "badMethod", 405)
    assert resp.headers["Allow"] == "GET, HEAD, POST"


def test_head_is_answered_like_get(client):
    resp = client.request("HEAD", "/v2.1/flavors")
    assert resp.status_int == 200
    assert resp.body == b""


def test_wrong_method_on_version_document(client):
    _fault(client.post("/v2.1", {}), "badMethod", 405)


def test_non_json_content_type_is_bad_media_type(client):
    resp = client.post("/v2.1/servers", raw=b"<server/>", content_type="application/xml")
    fault = _fault(resp, "badMediaType", 415)
    assert fault["message"] == "Unsupported Content-Type"
    assert client.compute_api.mutating_calls() == []


def test_json_with_charset_is_accepted(client):
    resp = client.post("/v2.1/servers",
                       {"server": {"name": "a", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"}},
                       content_type="application/json; charset=UTF-8")
    assert resp.status_int == 202


def test_missing_content_type_is_parsed_as_json(client):
    resp = client.post("/v2.1/servers",
                       {"server": {"name": "a", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"}},
                       content_type=None)
    assert resp.status_int == 202


def test_malformed_json_is_bad_request(client):
    resp = client.post("/v2.1/servers", raw=b'{"server": ')
    fault = _fault(resp, "badRequest", 400)
    assert fault["message"] == "Malformed request body"
    assert client.compute_api.mutating_calls() == []


@pytest.mark.parametrize("raw", [
    b'{"a": ' * 5000 + b"1" + b"}" * 5000,   # past the parser's recursion limit
    b"[" * 5000 + b"]" * 5000,
    b'{"server": ' + b'{"a": ' * 40 + b"1" + b"}" * 41,  # parses, but too deep to walk
], ids=["objects", "arrays", "just-too-deep"])
def test_deeply_nested_json_is_malformed(client, raw):
    """Thousands of nested objects were a RecursionError, a 500."""
    resp = client.post("/v2.1/servers", raw=raw)
    fault = _fault(resp, "badRequest", 400)
    assert fault["message"] == "Malformed request body"
    assert client.compute_api.mutating_calls() == []


def test_nesting_up_to_the_limit_is_parsed():
    from minova.api import wsgi

    nested = b'{"a": ' * (wsgi.MAX_BODY_DEPTH - 1) + b"[]" + b"}" * (wsgi.MAX_BODY_DEPTH - 1)
    assert wsgi.parse_json_body(nested)["a"]
    with pytest.raises(webob.exc.HTTPBadRequest):
        wsgi.parse_json_body(b"[" + nested + b"]")


def test_body_too_large(client):
    server = {"server": {"name": "a", "imageRef": fakes.IMAGE_ID, "flavorRef": "1",
                         "metadata": {"k": "x" * 200000}}}
    resp = client.post("/v2.1/servers", server)
    fault = _fault(resp, "overLimit", 413)
    assert fault["message"] == "Request is too large."
    _assert_request_ids(resp)
    assert client.compute_api.mutating_calls() == []


def test_chunked_body_too_large_is_counted_while_read(client):
    import io

    import webob

    req = webob.Request.blank("/v2.1/servers", method="POST")
    req.headers["X-Auth-Token"] = fakes.USER_TOKEN
    req.content_type = "application/json"
    req.environ["wsgi.input"] = io.BytesIO(b"[" + b" " * 200000 + b"]")
    req.environ["wsgi.input_terminated"] = True
    resp = req.get_response(client.app)
    _fault(resp, "overLimit", 413)


def test_body_at_the_limit_is_read(client):
    body = {"server": {"name": "a", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"}}
    raw = json.dumps(body).encode()
    raw = raw + b" " * (114688 - len(raw))
    assert client.post("/v2.1/servers", raw=raw).status_int == 202


def test_project_id_in_url(client):
    client.compute_api.instances = {i["uuid"]: i for i in [fakes.make_instance(1)]}
    resp = client.get(f"/v2.1/{fakes.PROJECT}/servers")
    assert resp.status_int == 200
    link = resp.json["servers"][0]["links"][0]["href"]
    assert link.startswith(f"http://localhost/v2.1/{fakes.PROJECT}/servers/")


def test_project_id_in_url_must_be_the_callers(client):
    fault = _fault(client.get("/v2.1/someone-else/servers"), "badRequest", 400)
    assert "doesn't match Context's project_id" in fault["message"]


def test_api_never_imports_the_database_layer():
    """The api talks to the conductor only; importing it must not load minova.db."""
    code = (
        "import sys, pkgutil, importlib, minova.api\n"
        "for mod in pkgutil.walk_packages(minova.api.__path__, 'minova.api.'):\n"
        "    importlib.import_module(mod.name)\n"
        "import minova.policy, minova.policies\n"
        "bad = sorted(m for m in sys.modules if m == 'minova.db' or m.startswith('minova.db.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
