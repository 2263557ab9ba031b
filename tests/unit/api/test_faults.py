"""Nova's error bodies from exceptions of every kind."""

import json

import kombu.exceptions
import oslo_messaging
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


@pytest.mark.parametrize("exc", [
    exception.ServiceUnavailable(),
    exception.DatabaseUnavailable(),
    oslo_messaging.MessagingTimeout("Timed out waiting for a reply to message ID 1"),
    oslo_messaging.MessageDeliveryFailure("Unable to connect to AMQP server after 2 tries"),
    # what a bounded reconnection raises once the broker refused it
    kombu.exceptions.OperationalError("[Errno 111] Connection refused"),
], ids=["service", "database", "rpc-timeout", "broker-unreachable", "broker-refused"])
def test_unreachable_services_are_503_with_retry_after(exc):
    """Nova's serviceUnavailable body, never a generic 500, and no internals."""
    resp, body = _call(exc)
    assert resp.status_int == 503
    assert resp.headers["Retry-After"] == str(faults.RETRY_AFTER)
    assert list(body) == ["serviceUnavailable"]
    assert body["serviceUnavailable"]["code"] == 503
    assert body["serviceUnavailable"]["message"].startswith("Service is unavailable at this time")
    assert "AMQP" not in body["serviceUnavailable"]["message"]


def test_database_unavailable_raised_by_the_conductor_is_503():
    """As it crosses RPC: oslo.messaging rebuilds it from minova.exception."""
    from oslo_messaging import _utils  # noqa: F401
    from oslo_messaging._drivers import common as rpc_common

    failure = rpc_common.serialize_remote_exception(
        (exception.DatabaseUnavailable, exception.DatabaseUnavailable(), None))
    remote = rpc_common.deserialize_remote_exception(failure, ["minova.exception"])
    resp, body = _call(remote)
    assert resp.status_int == 503 and "Retry-After" in resp.headers
    assert body["serviceUnavailable"]["message"] == (
        "Service is unavailable at this time: the database cannot be reached.")
