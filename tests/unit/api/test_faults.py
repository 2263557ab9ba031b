"""Nova's error bodies from exceptions of every kind."""

import json

import pytest
import webob
import webob.exc

from minova import exception
from minova.api import faults


def _app_raising(exc):
    def app(environ, start_response):
        raise exc

    return faults.FaultWrapper(app)


def _call(exc):
    resp = webob.Request.blank("/").get_response(_app_raising(exc))
    return resp, json.loads(resp.body)


@pytest.mark.parametrize("code,name", [
    (400, "badRequest"), (401, "unauthorized"), (403, "forbidden"),
    (404, "itemNotFound"), (405, "badMethod"), (409, "conflictingRequest"),
    (413, "overLimit"), (415, "badMediaType"), (429, "overLimit"),
    (501, "notImplemented"), (503, "serviceUnavailable"), (500, "computeFault"),
    (502, "computeFault"),
])
def test_fault_names(code, name):
    assert faults.fault_name(code) == name


@pytest.mark.parametrize("exc,code,name", [
    (exception.InstanceNotFound(instance_id="abc"), 404, "itemNotFound"),
    (exception.FlavorNotFoundForBuild(flavor_id="9"), 400, "badRequest"),
    (exception.PolicyNotAuthorized(action="x"), 403, "forbidden"),
    (exception.FlavorExists(key="name", value="m1"), 409, "conflictingRequest"),
])
def test_minova_exception_uses_its_code_and_message(exc, code, name):
    resp, body = _call(exc)
    assert resp.status_int == code
    assert resp.content_type == "application/json"
    assert body == {name: {"code": code, "message": exc.format_message()}}


def test_internal_minova_exception_hides_its_message():
    resp, body = _call(exception.NoValidHost(reason="host db1.internal is full"))
    assert resp.status_int == 500
    assert "db1.internal" not in resp.text
    assert body["computeFault"]["message"] == faults.GENERIC_500_MESSAGE


def test_webob_exception_keeps_explanation_and_headers():
    exc = webob.exc.HTTPMethodNotAllowed(explanation="nope", headers=[("Allow", "GET")])
    resp, body = _call(exc)
    assert resp.status_int == 405
    assert resp.headers["Allow"] == "GET"
    assert body == {"badMethod": {"code": 405, "message": "nope"}}


def test_generic_exception_is_500_without_details(caplog):
    resp, body = _call(ValueError("secret detail"))
    assert resp.status_int == 500
    assert body == {"computeFault": {"code": 500, "message": faults.GENERIC_500_MESSAGE}}
    assert "secret detail" not in resp.text


def test_successful_response_passes_through():
    def app(environ, start_response):
        return webob.Response(body=b"ok")(environ, start_response)

    resp = webob.Request.blank("/").get_response(faults.FaultWrapper(app))
    assert resp.status_int == 200 and resp.body == b"ok"
