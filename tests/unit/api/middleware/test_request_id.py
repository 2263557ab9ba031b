"""Request ids: minted per request, echoed in both headers."""

import webob
import webob.dec

from minova.api.middleware import request_id


def _app():
    seen = {}

    @webob.dec.wsgify
    def inner(req):
        seen.update(req.environ)
        return webob.Response(body=b"ok")

    return request_id.RequestIdMiddleware(inner), seen


def test_headers_match_environ():
    app, seen = _app()
    resp = webob.Request.blank("/").get_response(app)
    rid = seen[request_id.ENV_REQUEST_ID]
    assert rid.startswith("req-")
    assert resp.headers["x-openstack-request-id"] == rid
    assert resp.headers["x-compute-request-id"] == rid


def test_valid_inbound_id_becomes_the_global_request_id():
    app, seen = _app()
    inbound = request_id.generate_request_id()
    resp = webob.Request.blank("/", headers={"X-OpenStack-Request-ID": inbound}).get_response(app)
    assert seen[request_id.ENV_GLOBAL_REQUEST_ID] == inbound
    assert resp.headers["x-openstack-request-id"] != inbound


def test_malformed_inbound_id_is_ignored():
    app, seen = _app()
    webob.Request.blank("/", headers={"X-OpenStack-Request-ID": "evil"}).get_response(app)
    assert request_id.ENV_GLOBAL_REQUEST_ID not in seen
