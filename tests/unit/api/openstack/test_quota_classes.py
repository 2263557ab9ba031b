"""``/os-quota-class-sets/{id}`` (admins), over the real conductor endpoint on SQLite."""

import pytest

from minova.conductor import quotas

from .. import fakes

BASE = "/v2.1/os-quota-class-sets"


@pytest.fixture
def client(sqlite_db):
    conductor = fakes.EndpointConductor(quotas.QuotaManager("test"), "quota_")
    return fakes.Client(conductor_api=conductor)


def _call(client, method, path, body=None, version="2.1", token=fakes.ADMIN_TOKEN):
    return client.request(method, BASE + path, body=body, token=token,
                          headers=fakes.microversion(version))


def test_show_default_class_at_2_1(client):
    resp = _call(client, "GET", "/default")
    assert resp.status_int == 200
    assert resp.json == {"quota_class_set": {
        "id": "default", "instances": 10, "cores": 20, "ram": 51200, "metadata_items": 128,
        "injected_files": 5, "injected_file_content_bytes": 10240,
        "injected_file_path_bytes": 255, "key_pairs": 100, "fixed_ips": -1,
        "floating_ips": -1, "security_groups": -1, "security_group_rules": -1}}


@pytest.mark.parametrize("version, shown, hidden", [
    ("2.50", {"server_groups", "server_group_members", "injected_files"}, {"fixed_ips"}),
    ("2.57", {"server_groups"}, {"injected_files", "fixed_ips"}),
])
def test_show_by_version(client, latest, version, shown, hidden):
    quota_set = _call(client, "GET", "/default", version=version).json["quota_class_set"]
    assert shown <= set(quota_set) and not hidden & set(quota_set)


def test_update_default_changes_every_projects_defaults(client):
    resp = _call(client, "PUT", "/default", {"quota_class_set": {"cores": 40,
                                                                 "instances": "15"}})
    assert resp.status_int == 200
    assert "id" not in resp.json["quota_class_set"]
    assert (resp.json["quota_class_set"]["cores"],
            resp.json["quota_class_set"]["instances"]) == (40, 15)
    defaults = client.get(f"/v2.1/os-quota-sets/{fakes.PROJECT}/defaults").json["quota_set"]
    assert (defaults["cores"], defaults["instances"]) == (40, 15)
    assert client.get(f"/v2.1/os-quota-sets/{fakes.PROJECT}").json["quota_set"]["cores"] == 40


def test_other_classes_are_kept_but_apply_to_no_project(client):
    _call(client, "PUT", "/gold", {"quota_class_set": {"cores": 99}})
    assert _call(client, "GET", "/gold").json["quota_class_set"]["cores"] == 99
    defaults = client.get(f"/v2.1/os-quota-sets/{fakes.PROJECT}/defaults").json["quota_set"]
    assert defaults["cores"] == 20


def test_networks_is_accepted_and_not_kept_before_2_50(client, latest):
    resp = _call(client, "PUT", "/default", {"quota_class_set": {"networks": 3}})
    assert resp.status_int == 200
    resp = _call(client, "PUT", "/default", {"quota_class_set": {"networks": 3}},
                 version="2.50")
    assert resp.status_int == 400


@pytest.mark.parametrize("body", [{}, {"quota_class_set": {"cores": -2}},
                                  {"quota_class_set": {"cores": "many"}},
                                  {"quota_class_set": {"bogus": 1}},
                                  {"quota_class_set": {"cores": 1}, "x": 1}])
def test_bad_bodies_are_400(client, body):
    assert _call(client, "PUT", "/default", body).status_int == 400
    assert _call(client, "GET", "/default").json["quota_class_set"]["cores"] == 20


def test_class_name_too_long_is_400(client):
    resp = _call(client, "PUT", "/" + "c" * 256, {"quota_class_set": {"cores": 1}})
    assert resp.status_int == 400


@pytest.mark.parametrize("method, body", [("GET", None),
                                          ("PUT", {"quota_class_set": {"cores": 1}})])
def test_members_are_refused(client, method, body):
    assert _call(client, method, "/default", body, token=fakes.USER_TOKEN).status_int == 403
