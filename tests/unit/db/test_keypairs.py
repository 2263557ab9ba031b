"""Keypairs in the database: unique per user, listed by name, paged by name."""

import pytest

from minova import exception
from minova.db import keypairs


def _make(user="u1", name="k1"):
    return keypairs.create(user, name, f"ssh-rsa AAAA {name}", "aa:bb", "ssh")


def test_create_get_and_the_stored_columns(sqlite_db):
    created = _make()
    assert created == keypairs.get("u1", "k1")
    assert created["user_id"] == "u1" and created["type"] == "ssh"
    assert created["fingerprint"] == "aa:bb" and created["public_key"] == "ssh-rsa AAAA k1"
    assert created["created_at"] and created["updated_at"] is None


def test_names_are_unique_per_user_only(sqlite_db):
    _make("u1", "k1")
    with pytest.raises(exception.KeyPairExists) as err:
        _make("u1", "k1")
    assert err.value.code == 409
    assert err.value.format_message() == "Key pair 'k1' already exists."
    assert _make("u2", "k1")["user_id"] == "u2"


def test_another_users_keypair_is_not_found(sqlite_db):
    _make("u1", "k1")
    with pytest.raises(exception.KeypairNotFound) as err:
        keypairs.get("u2", "k1")
    assert err.value.format_message() == "Keypair k1 not found for user u2"
    with pytest.raises(exception.KeypairNotFound):
        keypairs.delete("u2", "k1")
    assert keypairs.get("u1", "k1")


def test_list_is_the_users_by_name_with_marker_and_limit(sqlite_db):
    for name in ("c", "a", "b", "d"):
        _make("u1", name)
    _make("u2", "a0")
    assert [k["name"] for k in keypairs.get_all("u1")] == ["a", "b", "c", "d"]
    assert [k["name"] for k in keypairs.get_all("u1", limit=2)] == ["a", "b"]
    assert [k["name"] for k in keypairs.get_all("u1", limit=2, marker="b")] == ["c", "d"]
    assert keypairs.get_all("u1", marker="d") == []
    assert keypairs.count("u1") == 4 and keypairs.count("nobody") == 0
    with pytest.raises(exception.MarkerNotFound):
        keypairs.get_all("u1", marker="a0")  # u2's name is no marker for u1


def test_delete(sqlite_db):
    _make("u1", "k1")
    keypairs.delete("u1", "k1")
    with pytest.raises(exception.KeypairNotFound):
        keypairs.get("u1", "k1")
    with pytest.raises(exception.KeypairNotFound):
        keypairs.delete("u1", "k1")
