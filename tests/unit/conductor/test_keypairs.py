"""Keypairs and flavor access in the conductor: endpoints over RPC, and what a
create checks (the caller's keypair, a flavor shared with the project)."""

import pytest

from minova import exception
from minova.conductor import flavor_access, keypairs, rpcapi
from minova.db import flavor_access as db_flavor_access
from minova.db import flavors, instances
from minova.db import keypairs as db_keypairs
from tests import fake_bus
from tests.unit.test_crypto import FINGERPRINT, PUBLIC_KEY

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


@pytest.fixture
def conductor_api(sqlite_db):
    flavors.bootstrap()
    with fake_bus.rpc_server(rpcapi.TOPIC, "kp-test", [keypairs.KeypairManager(),
                                                      flavor_access.FlavorAccessManager()]):
        yield rpcapi.ConductorAPI()


def test_keypair_calls_round_trip(conductor_api, ctxt_factory):
    ctxt = ctxt_factory(user="u1")
    imported = conductor_api.keypair_create(ctxt, "u1", "mine", public_key=PUBLIC_KEY)
    assert imported["fingerprint"] == FINGERPRINT and "private_key" not in imported
    generated = conductor_api.keypair_create(ctxt, "u1", "gen")
    assert generated["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    # the private key is answered once, never stored
    assert "private_key" not in conductor_api.keypair_get(ctxt, "u1", "gen")
    assert db_keypairs.get("u1", "gen")["public_key"] == generated["public_key"]
    assert [k["name"] for k in conductor_api.keypair_get_all(ctxt, "u1")] == ["gen", "mine"]
    assert [k["name"] for k in conductor_api.keypair_get_all(
        ctxt, "u1", limit=1, marker="gen")] == ["mine"]
    conductor_api.keypair_delete(ctxt, "u1", "gen")
    with pytest.raises(exception.KeypairNotFound):
        conductor_api.keypair_get(ctxt, "u1", "gen")


def test_keypair_errors_cross_rpc_as_themselves(conductor_api, ctxt_factory):
    ctxt = ctxt_factory(user="u1")
    conductor_api.keypair_create(ctxt, "u1", "mine", public_key=PUBLIC_KEY)
    with pytest.raises(exception.KeyPairExists):
        conductor_api.keypair_create(ctxt, "u1", "mine")
    with pytest.raises(exception.InvalidKeypair):
        conductor_api.keypair_create(ctxt, "u1", "bad", public_key="ssh-rsa nope")
    with pytest.raises(exception.InvalidKeypair):
        conductor_api.keypair_create(ctxt, "u1", "bad", key_type="x509",
                                     public_key=PUBLIC_KEY)
    with pytest.raises(exception.MarkerNotFound):
        conductor_api.keypair_get_all(ctxt, "u1", marker="nope")
    assert [k["name"] for k in db_keypairs.get_all("u1")] == ["mine"]


def test_x509_keypair_generated_and_imported(conductor_api, ctxt_factory):
    ctxt = ctxt_factory(user="u1")
    generated = conductor_api.keypair_create(ctxt, "u1", "cert", key_type="x509")
    assert generated["type"] == "x509"
    assert generated["public_key"].startswith("-----BEGIN CERTIFICATE-----")
    imported = conductor_api.keypair_create(ctxt, "u2", "cert", key_type="x509",
                                            public_key=generated["public_key"])
    assert imported["fingerprint"] == generated["fingerprint"]


def test_flavor_access_calls_round_trip(conductor_api, admin_ctxt):
    flavors.flavor_create({"flavorid": "p", "name": "private", "vcpus": 1, "memory_mb": 64,
                           "root_gb": 1, "is_public": False})
    assert conductor_api.flavor_access_add(admin_ctxt, "p", "projA") == ["projA"]
    with pytest.raises(exception.FlavorAccessExists):
        conductor_api.flavor_access_add(admin_ctxt, "p", "projA")
    assert conductor_api.flavor_access_remove(admin_ctxt, "p", "projA") == []
    with pytest.raises(exception.FlavorAccessNotFound):
        conductor_api.flavor_access_remove(admin_ctxt, "p", "projA")
    with pytest.raises(exception.FlavorNotFound):
        conductor_api.flavor_access_add(admin_ctxt, "nope", "projA")


def _create(conductor, ctxt, flavor_ref="1", key_name=None):
    base = {"display_name": "vm", "flavor_ref": flavor_ref, "image_ref": IMAGE}
    if key_name is not None:
        base["key_name"] = key_name
    return conductor.create_instances(ctxt, base=base, count=1,
                                      request_spec={"scheduler_hints": {}})["instances"]


def test_create_with_the_users_key_name(conductor, ctxt_factory):
    ctxt = ctxt_factory(user="u1")
    db_keypairs.create("u1", "mine", PUBLIC_KEY, FINGERPRINT)
    (instance,) = _create(conductor, ctxt, key_name="mine")
    assert instances.get(ctxt, instance["uuid"])["key_name"] == "mine"


@pytest.mark.parametrize("owner", ["u2", None])
def test_create_with_a_key_name_not_the_users_is_refused(conductor, ctxt_factory, owner):
    ctxt = ctxt_factory(user="u1")
    if owner:
        db_keypairs.create(owner, "theirs", PUBLIC_KEY, FINGERPRINT)
    with pytest.raises(exception.KeypairNotFoundForBuild) as err:
        _create(conductor, ctxt, key_name="theirs")
    assert err.value.code == 400 and err.value.format_message() == "Invalid key_name provided."
    assert instances.get_all(ctxt_factory(admin=True), {}) == []


def test_create_with_a_private_flavor_needs_access(conductor, ctxt_factory):
    flavors.flavor_create({"flavorid": "p", "name": "private", "vcpus": 1, "memory_mb": 64,
                           "root_gb": 1, "is_public": False})
    with pytest.raises(exception.FlavorNotFoundForBuild):
        _create(conductor, ctxt_factory(project="p1"), flavor_ref="p")
    db_flavor_access.add("p", "p1")
    assert _create(conductor, ctxt_factory(project="p1"), flavor_ref="p")
    with pytest.raises(exception.FlavorNotFoundForBuild):
        _create(conductor, ctxt_factory(project="p2"), flavor_ref="p")
    # admins use any flavor, as in Nova
    assert _create(conductor, ctxt_factory(project="p3", admin=True), flavor_ref="p")
