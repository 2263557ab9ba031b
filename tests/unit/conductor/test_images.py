"""The conductor's ImageManager and minova.db.images, on a migrated SQLite database."""

import types

import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import images as conductor_images
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import models


@pytest.fixture
def mgr(sqlite_db):
    return conductor_images.ImageManager("conductor1")


@pytest.fixture
def member(ctxt_factory):
    return ctxt_factory(project="p1", user="u1")


@pytest.fixture
def other(ctxt_factory):
    return ctxt_factory(project="p2", user="u2")


@pytest.fixture
def admin(ctxt_factory):
    return ctxt_factory(project="admin", user="admin", admin=True)


def _create(mgr, ctxt, **values):
    values.setdefault("disk_format", "raw")
    values.setdefault("container_format", "bare")
    return mgr.image_create(ctxt, values)


def test_create_is_queued_and_owned_by_the_caller(mgr, member):
    image = _create(mgr, member, name="a", owner="p2", status="active", size=5,
                    checksum="x", properties={"kernel_id": "k"}, tags=["t1", "t1", "t2"],
                    os_hidden=True)
    assert (image["status"], image["owner"], image["size"], image["checksum"]) == (
        "queued", "p1", None, None)
    assert image["visibility"] == "shared"
    assert image["properties"] == {"kernel_id": "k"}  # the reserved keys are split out
    assert image["tags"] == ["t1", "t2"] and image["os_hidden"] is True
    assert image["created_at"] == image["updated_at"]


def test_admin_may_name_the_owner(mgr, admin):
    assert _create(mgr, admin, owner="p9")["owner"] == "p9"
    assert _create(mgr, admin)["owner"] == "admin"


def test_create_refuses_unknown_attributes(mgr, member):
    with pytest.raises(exception.Invalid):
        _create(mgr, member, kernel_id="k")  # custom properties go in "properties"
    assert mgr.image_get_all(member) == []


def test_create_duplicate_id(mgr, member):
    image = _create(mgr, member)
    with pytest.raises(exception.ImageExists):
        _create(mgr, member, id=image["id"])


def test_get_is_scoped(mgr, member, other, admin):
    private = _create(mgr, member, visibility="private")
    shared = _create(mgr, member, visibility="shared")
    community = _create(mgr, member, visibility="community")
    for image in (private, shared):
        with pytest.raises(exception.ImageNotFound):
            mgr.image_get(other, image["id"])
        assert mgr.image_get(member, image["id"])["id"] == image["id"]
        assert mgr.image_get(admin, image["id"])["id"] == image["id"]
    assert mgr.image_get(other, community["id"])["id"] == community["id"]


def test_get_all_scoping_and_order(mgr, member, other, admin):
    mine = _create(mgr, member, visibility="private", name="mine")
    theirs = _create(mgr, other, visibility="private", name="theirs")
    public = _create(mgr, admin, visibility="public", name="pub")
    community = _create(mgr, other, visibility="community", name="comm")
    ids = [i["id"] for i in mgr.image_get_all(member)]
    assert ids == [community["id"], public["id"], mine["id"]]  # newest first
    assert theirs["id"] not in ids
    assert len(mgr.image_get_all(admin)) == 4


def test_get_all_filters(mgr, member, admin):
    a = _create(mgr, member, name="a", visibility="private", properties={"hw_x": "1"})
    b = _create(mgr, member, name="b", visibility="community", disk_format="qcow2")
    hidden = _create(mgr, member, name="h", os_hidden=True)

    def ids(**filters):
        return {i["id"] for i in mgr.image_get_all(member, filters)}

    assert ids(name="a") == {a["id"]}
    assert ids(name=["a", "b"]) == {a["id"], b["id"]}
    assert ids(visibility="community") == {b["id"]}
    assert ids(disk_format="qcow2") == {b["id"]}
    assert ids(status="queued") == {a["id"], b["id"], hidden["id"]}
    assert ids(status="active") == set()
    assert ids(properties={"hw_x": "1"}) == {a["id"]}
    assert ids(properties={"hw_x": "2"}) == set()
    assert ids(os_hidden=False) == {a["id"], b["id"]}
    assert ids(os_hidden=True) == {hidden["id"]}


def test_get_all_paging(mgr, member, other):
    made = [_create(mgr, member, name=f"i{n}")["id"] for n in range(5)]
    hidden_from_member = _create(mgr, other, visibility="private")
    newest_first = list(reversed(made))
    first = mgr.image_get_all(member, limit=2)
    assert [i["id"] for i in first] == newest_first[:2]
    second = mgr.image_get_all(member, limit=2, marker=first[-1]["id"])
    assert [i["id"] for i in second] == newest_first[2:4]
    rest = mgr.image_get_all(member, marker=second[-1]["id"])
    assert [i["id"] for i in rest] == newest_first[4:]
    for marker in ("nope", hidden_from_member["id"]):
        with pytest.raises(exception.MarkerNotFound):
            mgr.image_get_all(member, marker=marker)


def test_paging_with_equal_timestamps(mgr, member, sqlite_db):
    made = [_create(mgr, member)["id"] for _ in range(4)]
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.images).values(
            created_at=sa.select(sa.func.min(models.images.c.created_at)).scalar_subquery()))
    seen, marker = [], None
    while True:
        page = mgr.image_get_all(member, limit=1, marker=marker)
        if not page:
            break
        seen.append(page[0]["id"])
        marker = page[0]["id"]
    assert sorted(seen) == sorted(made) and len(seen) == 4


def test_update_properties_and_columns(mgr, member):
    image = _create(mgr, member, properties={"a": "1", "b": "2"})
    updated = mgr.image_update(member, image["id"], {"name": "n", "min_ram": 64,
                                                     "tags": ["x"]},
                               properties={"a": "9", "kernel_id": "k"},
                               remove_properties=["b", "absent"])
    assert updated["name"] == "n" and updated["min_ram"] == 64 and updated["tags"] == ["x"]
    assert updated["properties"] == {"a": "9", "kernel_id": "k"}
    assert updated["updated_at"] >= image["updated_at"]
    # tags survive a later update that does not mention them
    again = mgr.image_update(member, image["id"], {"os_hidden": True})
    assert again["tags"] == ["x"] and again["os_hidden"] is True


def test_update_status_is_compare_and_swap(mgr, member):
    image = _create(mgr, member)
    mgr.image_update(member, image["id"], {"status": "saving"}, expected_status="queued")
    with pytest.raises(exception.ImageStatusConflict) as info:
        mgr.image_update(member, image["id"], {"status": "saving"}, expected_status="queued")
    assert info.value.code == 409
    assert mgr.image_get(member, image["id"])["status"] == "saving"
    done = mgr.image_update(member, image["id"],
                            {"status": "active", "size": 3, "checksum": "c" * 32,
                             "os_hash_algo": "sha512", "os_hash_value": "d" * 128},
                            expected_status=["saving"])
    assert (done["status"], done["size"]) == ("active", 3)


def test_update_refuses_unknown_columns(mgr, member):
    image = _create(mgr, member)
    for values in ({"owner": "p2"}, {"id": "x"}, {"created_at": None}):
        with pytest.raises(exception.Invalid):
            mgr.image_update(member, image["id"], values)


def test_update_of_other_projects_images(mgr, member, other, admin):
    private = _create(mgr, member, visibility="private")
    community = _create(mgr, member, visibility="community")
    with pytest.raises(exception.ImageNotFound):
        mgr.image_update(other, private["id"], {"name": "x"})
    with pytest.raises(exception.ImageForbidden) as info:
        mgr.image_update(other, community["id"], {"name": "x"})
    assert info.value.code == 403
    assert mgr.image_get(member, community["id"])["name"] is None
    assert mgr.image_update(admin, private["id"], {"name": "x"})["name"] == "x"


def test_delete(mgr, member, other):
    image = _create(mgr, member, visibility="community")
    with pytest.raises(exception.ImageForbidden):
        mgr.image_delete(other, image["id"])
    assert mgr.image_delete(member, image["id"])["id"] == image["id"]
    with pytest.raises(exception.ImageNotFound):
        mgr.image_get(member, image["id"])
    with pytest.raises(exception.ImageNotFound):
        mgr.image_delete(member, image["id"])


def test_delete_protected(mgr, member):
    image = _create(mgr, member, protected=True)
    with pytest.raises(exception.ImageProtected) as info:
        mgr.image_delete(member, image["id"])
    assert info.value.code == 403
    assert mgr.image_get(member, image["id"])["protected"] is True


def test_delete_of_other_projects_private_image_is_not_found(mgr, member, other):
    image = _create(mgr, member, visibility="private")
    with pytest.raises(exception.ImageNotFound):
        mgr.image_delete(other, image["id"])
    assert mgr.image_get(member, image["id"])


def test_bootstrap_seeds_the_standin_once(sqlite_db, admin):
    assert db_flavors.bootstrap()["images"] == ["cirros-standin"]
    assert db_flavors.bootstrap()["images"] == []
    standin = db_images.image_get(db_flavors.STANDIN_IMAGE_ID)
    assert standin["status"] == "active" and standin["visibility"] == "public"
    # still reachable where a create (minova.conductor.tasks.create) looks it up
    assert db_images.image_get(db_flavors.STANDIN_IMAGE_ID)["id"] == standin["id"]


def test_endpoint_is_served_by_the_conductor_service(monkeypatch):
    from minova.cmd import conductor as conductor_cmd
    from minova.conductor import db_errors

    monkeypatch.setattr(conductor_cmd.manager, "ComputeTaskManager",
                        lambda host: types.SimpleNamespace(builder=None))
    svc = conductor_cmd.create_service("c1")
    endpoints = [db_errors.unwrap(e) for e in svc.endpoints]
    [endpoint] = [e for e in endpoints if isinstance(e, conductor_images.ImageManager)]
    # the database manager no longer answers image calls, so dispatch is unambiguous
    assert not any(hasattr(e, "image_get") for e in endpoints if e is not endpoint)
