"""``/os-keypairs``, over the real conductor endpoint on SQLite.

The real keypair facade runs over an EndpointConductor, which calls
minova.conductor.keypairs directly (no bus), so the errors, the keys and
the stored values are the real ones. Every microversion boundary Nova
has here is checked on both sides: 2.1/2.2, 2.9/2.10, 2.34/2.35,
2.74/2.75, 2.91/2.92.
"""

import pytest

from minova import exception
from minova.conductor import keypairs
from minova.db import keypairs as db_keypairs
from tests.unit.test_crypto import FINGERPRINT, PUBLIC_KEY

from .. import fakes

BASE = "/v2.1/os-keypairs"
BOB_TOKEN = fakes.OTHER_TOKEN  # user bob


@pytest.fixture
def client(sqlite_db):
    conductor = fakes.EndpointConductor(keypairs.KeypairManager("test"), "keypair_")
    return fakes.Client(conductor_api=conductor)


def _import(client, name="mine", version=None, token=fakes.USER_TOKEN, **extra):
    body = {"keypair": {"name": name, "public_key": PUBLIC_KEY, **extra}}
    return client.post(BASE, body, token=token, headers=fakes.microversion(version))


def _names(user=fakes.USER) -> list[str]:
    return [k["name"] for k in db_keypairs.get_all(user)]


# --- create


def test_import_at_2_1_answers_200_without_type(client):
    resp = _import(client)
    assert resp.status_int == 200, resp.json
    assert resp.json == {"keypair": {"name": "mine", "public_key": PUBLIC_KEY,
                                     "fingerprint": FINGERPRINT, "user_id": fakes.USER}}
    assert _names() == ["mine"]


def test_import_from_2_2_answers_201_with_type(client, latest):
    resp = _import(client, version="2.2")
    assert resp.status_int == 201
    assert resp.json["keypair"]["type"] == "ssh" and "private_key" not in resp.json["keypair"]


def test_type_is_refused_at_2_1(client):
    resp = _import(client, type="ssh")
    assert resp.status_int == 400 and "badRequest" in resp.json
    assert _names() == []


def test_generate_answers_the_private_key_once(client, latest):
    resp = client.post(BASE, {"keypair": {"name": "gen"}}, headers=fakes.microversion("2.91"))
    assert resp.status_int == 201
    keypair = resp.json["keypair"]
    assert keypair["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert keypair["public_key"].startswith("ssh-rsa ")
    assert set(keypair) == {"name", "public_key", "fingerprint", "user_id", "type",
                            "private_key"}
    shown = client.get(f"{BASE}/gen").json["keypair"]
    assert "private_key" not in shown and shown["public_key"] == keypair["public_key"]


def test_generate_is_gone_from_2_92(client, latest):
    resp = client.post(BASE, {"keypair": {"name": "gen"}}, headers=fakes.microversion("2.92"))
    assert resp.status_int == 400
    assert "'public_key' is a required property" in resp.json["badRequest"]["message"]
    assert _names() == []
    assert _import(client, version="2.92").status_int == 201


@pytest.mark.parametrize("name", ["me@host", "my.key"])
def test_names_with_at_and_dot_from_2_92(client, latest, name):
    resp = _import(client, name=name, version="2.91")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "An invalid 'name' value was provided. The name must be: Only expected characters: "
        "[_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]")
    assert _import(client, name=name, version="2.92").status_int == 201
    assert client.get(f"{BASE}/{name}", headers=fakes.microversion("2.92")).status_int == 200


@pytest.mark.parametrize("name", ["", " lead", "bad/name", "x" * 256, "tab\tname"])
def test_bad_names_are_400(client, name):
    assert _import(client, name=name).status_int == 400
    assert _names() == []


def test_existing_name_is_409(client):
    _import(client)
    resp = _import(client)
    assert resp.status_int == 409
    assert resp.json == {"conflictingRequest": {
        "code": 409, "message": "Key pair 'mine' already exists."}}
    # another user may use the name
    assert _import(client, token=BOB_TOKEN).status_int == 200


def test_invalid_public_key_is_400(client, latest):
    resp = client.post(BASE, {"keypair": {"name": "k", "public_key": "ssh-rsa nope"}})
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {
        "code": 400, "message": "Keypair data is invalid: failed to generate fingerprint"}}
    resp = _import(client, name="cert", version="2.2", type="x509")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"].startswith(
        "Keypair data is invalid: failed to generate X509 fingerprint.")
    assert _names() == []


def test_x509_generated_from_2_2(client, latest):
    resp = client.post(BASE, {"keypair": {"name": "cert", "type": "x509"}},
                       headers=fakes.microversion("2.2"))
    assert resp.status_int == 201
    assert resp.json["keypair"]["type"] == "x509"
    assert resp.json["keypair"]["public_key"].startswith("-----BEGIN CERTIFICATE-----")


def test_user_id_for_admins_from_2_10(client, latest):
    assert _import(client, version="2.9", user_id="bob",
                   token=fakes.ADMIN_TOKEN).status_int == 400
    resp = _import(client, version="2.10", user_id="bob", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 201 and resp.json["keypair"]["user_id"] == "bob"
    assert _names("bob") == ["mine"] and _names("admin") == []


def test_user_id_of_another_user_is_403_for_members(client, latest):
    resp = _import(client, version="2.10", user_id="bob")
    assert resp.status_int == 403
    assert resp.json == {"forbidden": {"code": 403, "message": (
        "Policy doesn't allow os_compute_api:os-keypairs:create to be performed.")}}
    assert _names("bob") == []
    assert _import(client, version="2.10", user_id=fakes.USER).status_int == 201


# --- show, list, delete


def test_show_at_2_1_and_2_2(client, latest):
    _import(client)
    keypair = client.get(f"{BASE}/mine").json["keypair"]
    assert set(keypair) == {"name", "public_key", "fingerprint", "user_id", "id",
                            "created_at", "updated_at", "deleted", "deleted_at"}
    assert keypair["deleted"] is False and keypair["deleted_at"] is None
    assert keypair["user_id"] == fakes.USER
    assert client.get(f"{BASE}/mine",
                      headers=fakes.microversion("2.2")).json["keypair"]["type"] == "ssh"


def test_another_users_keypair_is_404(client):
    _import(client)
    resp = client.get(f"{BASE}/mine", token=BOB_TOKEN)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": "Keypair mine not found for user bob"}}
    assert client.delete(f"{BASE}/mine", token=BOB_TOKEN).status_int == 404
    assert client.get(f"{BASE}", token=BOB_TOKEN).json == {"keypairs": []}
    assert _names() == ["mine"]


def test_admin_reads_another_users_keypairs_from_2_10(client, latest):
    _import(client)
    # user_id ignored before 2.10
    assert client.get(f"{BASE}/mine?user_id={fakes.USER}", token=fakes.ADMIN_TOKEN,
                      headers=fakes.microversion("2.9")).status_int == 404
    resp = client.get(f"{BASE}/mine?user_id={fakes.USER}", token=fakes.ADMIN_TOKEN,
                      headers=fakes.microversion("2.10"))
    assert resp.status_int == 200 and resp.json["keypair"]["user_id"] == fakes.USER
    listed = client.get(f"{BASE}?user_id={fakes.USER}", token=fakes.ADMIN_TOKEN,
                        headers=fakes.microversion("2.10")).json
    assert [k["keypair"]["name"] for k in listed["keypairs"]] == ["mine"]
    assert client.get(f"{BASE}?user_id=admin", token=fakes.USER_TOKEN,
                      headers=fakes.microversion("2.10")).status_int == 403


def test_list_shape_per_version(client, latest):
    _import(client)
    assert client.get(BASE).json == {"keypairs": [{"keypair": {
        "name": "mine", "public_key": PUBLIC_KEY, "fingerprint": FINGERPRINT}}]}
    listed = client.get(BASE, headers=fakes.microversion("2.2")).json
    assert listed["keypairs"][0]["keypair"]["type"] == "ssh"


def test_paging_from_2_35(client, latest):
    for name in ("k3", "k1", "k2"):
        _import(client, name=name)
    # before 2.35 limit and marker are ignored
    assert len(client.get(f"{BASE}?limit=1",
                          headers=fakes.microversion("2.34")).json["keypairs"]) == 3
    page = client.get(f"{BASE}?limit=2", headers=fakes.microversion("2.35")).json
    assert [k["keypair"]["name"] for k in page["keypairs"]] == ["k1", "k2"]
    [link] = page["keypairs_links"]
    assert link["rel"] == "next" and "marker=k2" in link["href"]
    assert "/v2.1/os-keypairs?" in link["href"]
    rest = client.get(f"{BASE}?limit=2&marker=k2", headers=fakes.microversion("2.35")).json
    assert [k["keypair"]["name"] for k in rest["keypairs"]] == ["k3"]
    assert "keypairs_links" not in rest


@pytest.mark.parametrize("query, message", [
    ("marker=nope", "Marker nope could not be found."),
    ("limit=x", "limit param must be an integer"),
    ("limit=-1", "limit param must be positive"),
])
def test_bad_paging_is_400(client, latest, query, message):
    resp = client.get(f"{BASE}?{query}", headers=fakes.microversion("2.35"))
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": message}}


def test_unknown_query_parameters_refused_from_2_75(client, latest):
    _import(client)
    assert client.get(f"{BASE}?foo=1", headers=fakes.microversion("2.74")).status_int == 200
    for path in (BASE, f"{BASE}/mine"):
        resp = client.get(f"{path}?foo=1", headers=fakes.microversion("2.75"))
        assert resp.status_int == 400
        assert resp.json["badRequest"]["message"] == (
            "Additional properties are not allowed ('foo' was unexpected)")
    assert client.delete(f"{BASE}/mine?foo=1", headers=fakes.microversion("2.75")).status_int == 400
    assert _names() == ["mine"]


def test_delete_202_at_2_1_and_204_from_2_2(client, latest):
    _import(client, name="a")
    _import(client, name="b")
    resp = client.delete(f"{BASE}/a")
    assert resp.status_int == 202 and resp.body == b""
    resp = client.delete(f"{BASE}/b", headers=fakes.microversion("2.2"))
    assert resp.status_int == 204
    assert _names() == []
    assert client.delete(f"{BASE}/b").status_int == 404


def test_admin_deletes_another_users_keypair_from_2_10(client, latest):
    _import(client)
    assert client.delete(f"{BASE}/mine?user_id={fakes.USER}", token=fakes.ADMIN_TOKEN,
                         headers=fakes.microversion("2.10")).status_int == 204
    assert _names() == []


def test_over_the_key_pairs_quota_is_novas_403(client, monkeypatch):
    def over(*args, **kwargs):
        raise exception.KeypairLimitExceeded()
    monkeypatch.setattr(client.conductor_api.manager, "keypair_create", over)
    resp = _import(client)
    assert resp.status_int == 403
    assert resp.json == {"forbidden": {"code": 403,
                                       "message": "Quota exceeded, too many key pairs."}}
