"""Private flavors' project access in the database."""

import pytest

from minova import exception
from minova.db import flavor_access, flavors


@pytest.fixture
def private(sqlite_db):
    return flavors.flavor_create({"flavorid": "p1", "name": "private", "vcpus": 1,
                                  "memory_mb": 512, "root_gb": 1, "ephemeral_gb": 0,
                                  "swap": 0, "rxtx_factor": 1.0, "is_public": False,
                                  "disabled": False})


def test_a_new_flavor_is_shared_with_nobody(private):
    assert private["projects"] == []
    assert all(f["projects"] == [] for f in flavors.flavor_get_all())


def test_add_and_remove_show_in_every_read(private):
    assert flavor_access.add("p1", "projA") == ["projA"]
    assert flavor_access.add("p1", "projB") == ["projA", "projB"]
    assert flavors.flavor_get("p1")["projects"] == ["projA", "projB"]
    by_id = {f["flavorid"]: f for f in flavors.flavor_get_all()}
    assert by_id["p1"]["projects"] == ["projA", "projB"]
    assert flavor_access.remove("p1", "projA") == ["projB"]
    assert flavors.flavor_get("p1")["projects"] == ["projB"]


def test_add_twice_is_a_conflict(private):
    flavor_access.add("p1", "projA")
    with pytest.raises(exception.FlavorAccessExists) as err:
        flavor_access.add("p1", "projA")
    assert err.value.code == 409
    assert err.value.format_message() == (
        "Flavor access already exists for flavor p1 and project projA combination.")
    assert flavors.flavor_get("p1")["projects"] == ["projA"]


def test_remove_what_is_not_there_is_not_found(private):
    with pytest.raises(exception.FlavorAccessNotFound) as err:
        flavor_access.remove("p1", "projA")
    assert err.value.code == 404
    assert err.value.format_message() == (
        "Flavor access not found for p1 / projA combination.")


def test_unknown_flavor_is_not_found(sqlite_db):
    with pytest.raises(exception.FlavorNotFound):
        flavor_access.add("nope", "projA")
    with pytest.raises(exception.FlavorNotFound):
        flavor_access.remove("nope", "projA")


def test_deleting_a_shared_flavor_removes_its_access(private):
    flavor_access.add("p1", "projA")
    flavors.flavor_delete("p1")
    with pytest.raises(exception.FlavorNotFound):
        flavors.flavor_get("p1")
    again = flavors.flavor_create({"flavorid": "p1", "name": "private", "vcpus": 1,
                                   "memory_mb": 512, "root_gb": 1, "is_public": False})
    assert again["projects"] == []
