"""noauth2: X-Auth-Token parsing, the 401 without one, Nova's legacy login."""

import pytest
import webob
import webob.dec
from oslo_config import cfg

from minova import exception
from minova.api.middleware import auth, request_id


def _capture():
    seen = {}

    @webob.dec.wsgify
    def app(req):
        seen["context"] = req.environ[auth.ENV_CONTEXT]
        return webob.Response(body=b"ok")

    return auth.NoAuthMiddleware(app), seen


def _context(token: str, roles: str | None = None, **environ):
    app, seen = _capture()
    headers = {"X-Auth-Token": token}
    if roles is not None:
        headers["X-Roles"] = roles
    req = webob.Request.blank("/v2.1/servers", headers=headers)
    req.environ.update(environ)
    assert req.get_response(app).status_int == 200
    return seen["context"]


def test_member_token():
    ctxt = _context("alice:demo")
    assert (ctxt.user_id, ctxt.project_id) == ("alice", "demo")
    assert ctxt.is_admin is False
    assert ctxt.roles == ["member", "reader"]


def test_admin_token():
    ctxt = _context("admin:ops")
    assert (ctxt.user_id, ctxt.project_id) == ("admin", "ops")
    assert ctxt.is_admin is True
    assert ctxt.roles == ["admin", "member", "reader"]


def test_roles_from_the_x_roles_header():
    ctxt = _context("alice:demo", roles="reader")
    assert ctxt.roles == ["reader"]
    assert ctxt.is_admin is False


def test_x_roles_is_comma_separated_and_trimmed():
    ctxt = _context("alice:demo", roles=" member , reader,")
    assert ctxt.roles == ["member", "reader"]


def test_x_roles_overrides_the_admin_users_defaults():
    ctxt = _context("admin:admin", roles="reader")
    assert ctxt.roles == ["reader"]
    assert ctxt.is_admin is False


def test_admin_role_makes_any_user_an_administrator():
    ctxt = _context("bob:other", roles="admin")
    assert ctxt.is_admin is True


def test_empty_x_roles_means_no_roles():
    ctxt = _context("alice:demo", roles="")
    assert ctxt.roles == []
    assert ctxt.is_admin is False


def test_token_without_colon_is_user_and_project():
    ctxt = _context("alice")
    assert (ctxt.user_id, ctxt.project_id) == ("alice", "alice")


def test_context_takes_the_request_id():
    ctxt = _context("alice:demo", **{request_id.ENV_REQUEST_ID: "req-123"})
    assert ctxt.request_id == "req-123"


def test_missing_token_is_401_saying_how_to_authenticate():
    app, seen = _capture()
    resp = webob.Request.blank("/v2.1/servers").get_response(app)
    assert resp.status_int == 401
    assert resp.content_type == "application/json"
    message = resp.json["unauthorized"]["message"]
    assert resp.json["unauthorized"]["code"] == 401
    assert "X-Auth-Token: USER:PROJECT" in message and "noauth2" in message
    assert "X-Auth-Token" not in resp.headers
    assert seen == {}


def test_x_auth_user_gets_novas_legacy_login_answer():
    app, seen = _capture()
    req = webob.Request.blank("/v2.1", headers={"X-Auth-User": "bob",
                                                "X-Auth-Project-Id": "proj"})
    resp = req.get_response(app)
    assert resp.status_int == 204
    assert resp.body == b""
    assert resp.headers["X-Auth-Token"] == "bob:proj"
    assert resp.headers["X-Server-Management-Url"] == "http://localhost/v2.1/proj"
    assert seen == {}


def test_legacy_login_project_defaults_to_admin():
    app, _seen = _capture()
    resp = webob.Request.blank("/v2.1/", headers={"X-Auth-User": "bob"}).get_response(app)
    assert resp.status_int == 204
    assert resp.headers["X-Auth-Token"] == "bob:admin"


def test_missing_token_through_the_app(client):
    resp = client.get("/v2.1/servers", token=None)
    assert resp.status_int == 401
    assert resp.json["unauthorized"]["code"] == 401
    assert client.compute_api.calls == []


def test_missing_token_on_the_image_api(client):
    resp = client.get("/image/v2/images", token=None)
    assert resp.status_int == 401
    assert resp.json["unauthorized"]["code"] == 401


def test_strategy_from_configuration():
    app = auth.wrap_with_auth(lambda environ, start_response: None)
    assert isinstance(app, auth.NoAuthMiddleware)


def test_unknown_strategy_is_a_configuration_error():
    with pytest.raises(exception.ConfigurationError):
        auth.wrap_with_auth(lambda environ, start_response: None, strategy="kerberos")


def test_default_strategy_is_noauth2():
    assert cfg.CONF.api.auth_strategy == "noauth2"
