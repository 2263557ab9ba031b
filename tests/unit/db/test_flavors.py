"""Flavors in the database: what may change after a flavor is created."""

import pytest

from minova import exception
from minova.db import flavors


@pytest.fixture
def flavor(sqlite_db):
    return flavors.flavor_create({"flavorid": "f1", "name": "small", "vcpus": 1,
                                  "memory_mb": 512, "root_gb": 1, "ephemeral_gb": 0,
                                  "swap": 0, "rxtx_factor": 1.0, "is_public": True,
                                  "disabled": False, "description": None})


def test_update_changes_only_the_description(flavor):
    """API 2.55: the description, and nothing else, whatever values say."""
    updated = flavors.flavor_update("f1", {"description": "for tests", "vcpus": 64})
    assert updated["description"] == "for tests"
    assert updated["vcpus"] == 1
    assert updated["updated_at"] is not None
    assert flavors.flavor_get("f1")["description"] == "for tests"
    assert flavors.flavor_update("f1", {"description": None})["description"] is None


def test_update_unknown_flavor(flavor):
    with pytest.raises(exception.FlavorNotFound):
        flavors.flavor_update("nope", {"description": "x"})
