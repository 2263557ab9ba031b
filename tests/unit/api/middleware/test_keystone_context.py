"""auth_strategy = keystone: the RequestContext built from auth_token's headers,
and auth_token itself put in front of it from [keystone_authtoken]."""

import json

import pytest
import webob
import webob.dec
from keystoneauth1 import loading
from keystonemiddleware import auth_token
from oslo_config import cfg

from minova import exception, policy
from minova.api.middleware import auth, request_id

CONF = cfg.CONF

# What auth_token sets for a valid project-scoped token.
MEMBER_HEADERS = {
    "X-Identity-Status": "Confirmed",
    "X-User-Id": "4c5d",
    "X-User-Name": "alice",
    "X-User-Domain-Id": "default",
    "X-User-Domain-Name": "Default",
    "X-Project-Id": "9f2a",
    "X-Project-Name": "demo",
    "X-Project-Domain-Id": "default",
    "X-Project-Domain-Name": "Default",
    "X-Roles": "reader, member",
    "X-Service-Catalog": json.dumps([{"type": "compute", "endpoints": []}]),
    "X-Auth-Token": "gAAAA-token",
}


def _capture():
    seen = {}

    @webob.dec.wsgify
    def app(req):
        seen["context"] = req.environ[auth.ENV_CONTEXT]
        return webob.Response(body=b"ok")

    return auth.KeystoneContext(app), seen


def _request(headers: dict, **environ):
    app, seen = _capture()
    req = webob.Request.blank("/v2.1/servers", headers=headers,
                              environ={"REMOTE_ADDR": "192.0.2.7"})
    req.environ.update(environ)
    return req.get_response(app), seen.get("context")


def test_member_token():
    resp, ctxt = _request(MEMBER_HEADERS)
    assert resp.status_int == 200
    assert (ctxt.user_id, ctxt.project_id) == ("4c5d", "9f2a")
    assert (ctxt.user_name, ctxt.project_name) == ("alice", "demo")
    assert (ctxt.user_domain_id, ctxt.project_domain_id) == ("default", "default")
    assert ctxt.roles == ["reader", "member"]
    assert ctxt.auth_token == "gAAAA-token"
    assert ctxt.remote_address == "192.0.2.7"
    assert ctxt.is_admin is False


def test_admin_role_makes_an_admin():
    _resp, ctxt = _request(dict(MEMBER_HEADERS, **{"X-Roles": "admin,member"}))
    assert ctxt.is_admin is True
    assert ctxt.roles == ["admin", "member"]


def test_context_is_admin_policy_decides(tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"context_is_admin": "role:cloud-operator"\n')
    policy.init()  # registers the [oslo_policy] options
    CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    _resp, operator = _request(dict(MEMBER_HEADERS, **{"X-Roles": "cloud-operator"}))
    _resp, admin = _request(dict(MEMBER_HEADERS, **{"X-Roles": "admin"}))
    assert operator.is_admin is True
    assert admin.is_admin is False


def test_context_takes_the_request_ids():
    _resp, ctxt = _request(MEMBER_HEADERS, **{
        request_id.ENV_REQUEST_ID: "req-123", request_id.ENV_GLOBAL_REQUEST_ID: "req-456"})
    assert (ctxt.request_id, ctxt.global_request_id) == ("req-123", "req-456")


def test_context_survives_the_bus_as_itself():
    _resp, ctxt = _request(MEMBER_HEADERS)
    copy = type(ctxt).from_dict(ctxt.to_dict())
    assert (copy.user_id, copy.project_id, copy.roles, copy.is_admin, copy.auth_token) == (
        "4c5d", "9f2a", ["reader", "member"], False, "gAAAA-token")


def test_no_user_is_401_with_nova_body():
    headers = {k: v for k, v in MEMBER_HEADERS.items() if k != "X-User-Id"}
    headers["X-Identity-Status"] = "Invalid"
    resp, ctxt = _request(headers)
    assert ctxt is None
    assert resp.status_int == 401
    assert resp.json == {"unauthorized": {
        "code": 401, "message": "The request you have made requires authentication."}}


def test_unscoped_token_is_403():
    headers = {k: v for k, v in MEMBER_HEADERS.items() if not k.startswith("X-Project")}
    resp, ctxt = _request(headers)
    assert ctxt is None
    assert resp.status_int == 403
    assert resp.json["forbidden"]["code"] == 403


# --- the whole pipeline, configured from a file as a deployment is

AUTHTOKEN = """
[api]
auth_strategy = keystone

[keystone_authtoken]
www_authenticate_uri = http://keystone.example:5000/v3
auth_url = http://keystone.example:5000/v3
auth_type = password
username = minova
password = secret
project_name = service
user_domain_name = Default
project_domain_name = Default
"""


@pytest.fixture
def password_plugin():
    """Forget the password plugin's options auth_token registers on the global CONF.

    Left registered, its required auth_url would make every later test's
    configuration parse fail.
    """
    yield
    CONF.reset()
    CONF.unregister_opts(loading.get_auth_plugin_conf_options("password"),
                         group="keystone_authtoken")


def _parse(tmp_path, text: str) -> None:
    conf_file = tmp_path / "minova.conf"
    conf_file.write_text(text)
    CONF(["--config-file", str(conf_file)], project="minova", default_config_files=[])


def test_keystone_strategy_puts_auth_token_first(tmp_path, password_plugin):
    _parse(tmp_path, AUTHTOKEN)
    app, seen = _capture()
    wrapped = auth.wrap_with_auth(app.application)
    assert isinstance(wrapped, auth_token.AuthProtocol)

    # No token: auth_token answers without asking Keystone anything.
    resp = webob.Request.blank("/v2.1/servers").get_response(wrapped)
    assert resp.status_int == 401
    assert resp.headers["WWW-Authenticate"] == 'Keystone uri="http://keystone.example:5000/v3"'
    assert resp.json["error"]["code"] == 401
    assert seen == {}


def test_keystone_strategy_needs_service_credentials(tmp_path):
    _parse(tmp_path, "[keystone_authtoken]\nwww_authenticate_uri = http://ks:5000/v3\n")
    with pytest.raises(exception.ConfigurationError, match=r"\[keystone_authtoken\] auth_type"):
        auth.wrap_with_auth(lambda environ, start_response: None, strategy="keystone")
