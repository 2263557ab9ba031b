"""``/image/v2/images``: Glance's shapes and status codes, Nova's fault bodies."""

import json

import pytest

from . import fakes

BASE = "/image/v2/images"
UUID = "6a2cd7a6-7c1e-4bb4-9f55-c2b1cd1d6e4f"

IMAGE_KEYS = {"id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
              "os_hash_algo", "os_hash_value", "size", "virtual_size", "min_disk", "min_ram",
              "disk_format", "container_format", "owner", "tags", "created_at", "updated_at",
              "self", "file", "schema"}


def _fault(resp, code: int) -> str:
    """The message of a Nova-shaped JSON fault with status ``code``."""
    assert resp.status_int == code, resp.text
    assert resp.content_type == "application/json"
    body = json.loads(resp.body)
    [(name, fault)] = body.items()
    assert fault["code"] == code
    return fault["message"]


# --- versions and schemas

@pytest.mark.parametrize("path,code", [("/image", 300), ("/image/", 300),
                                       ("/image/versions", 200)])
def test_versions_need_no_token(client, path, code):
    resp = client.get(path, token=None)
    assert resp.status_int == code
    versions = resp.json["versions"]
    assert versions[0] == {"id": "v2.7", "status": "CURRENT",
                           "links": [{"rel": "self", "href": "http://localhost/image/v2/"}]}
    assert {v["status"] for v in versions[1:]} == {"SUPPORTED"}
    assert versions[-1]["id"] == "v2.0"


def test_versions_refuse_other_methods(client):
    assert _fault(client.post("/image", {}), 405)


def test_schema_documents(client):
    image = client.get("/image/v2/schemas/image").json
    assert image["name"] == "image"
    assert image["properties"]["status"]["readOnly"] is True
    assert "qcow2" in image["properties"]["disk_format"]["enum"]
    assert image["additionalProperties"] == {"type": "string", "maxLength": 65535}
    assert client.get("/image/v2/schemas/images").json["name"] == "images"


def test_unknown_path_and_method(client):
    assert _fault(client.get("/image/v2/nope"), 404)
    resp = client.request("POST", f"{BASE}/{fakes.PUBLIC_ID}", body={})
    _fault(resp, 405)
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "PATCH", "DELETE"}


# --- create

def test_create_minimal(client):
    resp = client.post(BASE, {"name": "ubuntu", "disk_format": "qcow2",
                              "container_format": "bare"})
    assert resp.status_int == 201
    image = resp.json
    assert set(image) == IMAGE_KEYS
    assert image["status"] == "queued"
    assert image["owner"] == fakes.PROJECT
    assert image["visibility"] == "shared"
    assert image["size"] is None and image["virtual_size"] is None
    assert image["self"] == f"/v2/images/{image['id']}"
    assert image["file"] == f"/v2/images/{image['id']}/file"
    assert image["schema"] == "/v2/schemas/image"
    assert image["created_at"].endswith("Z") and len(image["created_at"]) == 20
    assert resp.headers["Location"] == f"http://localhost/image/v2/images/{image['id']}"


def test_create_with_everything(client):
    body = {"name": "kernel-boot", "id": UUID, "visibility": "private", "disk_format": "ami",
            "container_format": "ami", "min_disk": 1, "min_ram": 64, "protected": True,
            "tags": ["a", "b"], "kernel_id": fakes.PUBLIC_ID, "os_command_line": "console=ttyS0",
            "hw_disk_bus": "virtio"}
    image = client.post(BASE, body).json
    assert image["id"] == UUID
    assert (image["min_disk"], image["min_ram"], image["protected"]) == (1, 64, True)
    assert image["tags"] == ["a", "b"]
    # custom properties are top-level keys, as in Glance
    assert image["kernel_id"] == fakes.PUBLIC_ID
    assert image["os_command_line"] == "console=ttyS0"
    [(_, kwargs)] = client.image_api.mutating_calls()
    assert kwargs["values"]["properties"] == {"kernel_id": fakes.PUBLIC_ID,
                                              "os_command_line": "console=ttyS0",
                                              "hw_disk_bus": "virtio"}
    assert kwargs["values"]["owner"] == fakes.PROJECT


@pytest.mark.parametrize("body,fragment", [
    ({"disk_format": "floppy"}, "disk_format"),
    ({"container_format": "zip"}, "container_format"),
    ({"visibility": "everyone"}, "visibility"),
    ({"min_disk": -1}, "min_disk"),
    ({"min_ram": "64"}, "min_ram"),
    ({"protected": "yes"}, "protected"),
    ({"id": "not-a-uuid"}, "id"),
    ({"name": "x" * 256}, "name"),
    ({"tags": "a"}, "tags"),
    ({"tags": [1]}, "1 is not of type 'string'"),
    ({"kernel_id": 5}, "kernel_id"),
    ({"hw_numa": {"nodes": 2}}, "hw_numa"),
    ({"hw_flag": True}, "hw_flag"),
    ({"hw_list": ["a"]}, "hw_list"),
])
def test_create_bad_input_is_400(client, body, fragment):
    message = _fault(client.post(BASE, body), 400)
    assert fragment in message
    assert client.image_api.mutating_calls() == []


@pytest.mark.parametrize("raw,content_type,code", [
    (b"[]", "application/json", 400),
    (b'"x"', "application/json", 400),
    (b"{", "application/json", 400),
    (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "application/json", 400),
    (b"", "application/json", 400),
    (b"{}", "text/xml", 415),
])
def test_create_bad_body(client, raw, content_type, code):
    _fault(client.request("POST", BASE, raw=raw, content_type=content_type), code)
    assert client.image_api.mutating_calls() == []


@pytest.mark.parametrize("key", ["status", "size", "checksum", "os_hash_value", "created_at",
                                 "self", "file", "locations", "virtual_size"])
def test_create_read_only_attribute_is_403(client, key):
    assert _fault(client.post(BASE, {key: "x"}), 403) == f"Attribute '{key}' is read-only."
    assert client.image_api.mutating_calls() == []


def test_create_reserved_attribute_is_403(client):
    message = _fault(client.post(BASE, {"os_glance_minova_tags": "x"}), 403)
    assert message == "Attribute 'os_glance_minova_tags' is reserved."


def test_create_long_property_name_is_400(client):
    _fault(client.post(BASE, {"k" * 256: "v"}), 400)


def test_too_many_properties_is_413(client):
    _fault(client.post(BASE, {f"p{i}": "v" for i in range(129)}), 413)
    assert client.image_api.mutating_calls() == []


def test_public_images_are_for_admins(client):
    _fault(client.post(BASE, {"visibility": "public"}), 403)
    assert client.image_api.mutating_calls() == []
    resp = client.post(BASE, {"visibility": "public"}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 201 and resp.json["visibility"] == "public"


def test_community_images_are_for_owners(client):
    assert client.post(BASE, {"visibility": "community"}).json["visibility"] == "community"


def test_create_for_another_owner(client):
    _fault(client.post(BASE, {"owner": fakes.OTHER_PROJECT}), 403)
    resp = client.post(BASE, {"owner": fakes.OTHER_PROJECT}, token=fakes.ADMIN_TOKEN)
    assert resp.json["owner"] == fakes.OTHER_PROJECT


def test_create_duplicate_id_is_409(client):
    _fault(client.post(BASE, {"id": fakes.PUBLIC_ID}), 409)


def test_create_without_token_is_401(client):
    _fault(client.post(BASE, {}, token=None), 401)
    assert client.image_api.mutating_calls() == []


# --- list and show

def _ids(resp) -> list[str]:
    assert resp.status_int == 200, resp.text
    return [image["id"] for image in resp.json["images"]]


def test_list_newest_first_and_scoped(client):
    resp = client.get(BASE)
    # another project's private image is not there
    assert _ids(resp) == [fakes.PROTECTED_ID, fakes.OWN_PRIVATE_ID, fakes.QUEUED_ID,
                          fakes.PUBLIC_ID]
    assert resp.json["first"] == "/v2/images"
    assert resp.json["schema"] == "/v2/schemas/images"
    assert "next" not in resp.json
    cirros = resp.json["images"][-1]
    assert set(cirros) == IMAGE_KEYS | {"hw_disk_bus"}
    assert cirros["hw_disk_bus"] == "virtio"
    assert fakes.OTHER_PRIVATE_ID in _ids(client.get(BASE, token=fakes.ADMIN_TOKEN))
    assert fakes.OTHER_PRIVATE_ID in _ids(client.get(BASE, token=fakes.OTHER_TOKEN))
    assert fakes.OWN_PRIVATE_ID not in _ids(client.get(BASE, token=fakes.OTHER_TOKEN))


def test_list_filters(client):
    assert _ids(client.get(BASE + "?name=cirros")) == [fakes.PUBLIC_ID]
    assert _ids(client.get(BASE + "?status=queued")) == [fakes.QUEUED_ID]
    assert _ids(client.get(BASE + "?visibility=private")) == [fakes.OWN_PRIVATE_ID,
                                                              fakes.QUEUED_ID]
    assert _ids(client.get(BASE + "?name=in:cirros,mine")) == [fakes.OWN_PRIVATE_ID,
                                                               fakes.PUBLIC_ID]
    assert _ids(client.get(BASE + "?hw_disk_bus=virtio")) == [fakes.PUBLIC_ID]
    assert _ids(client.get(BASE + "?protected=true")) == [fakes.PROTECTED_ID]
    assert len(_ids(client.get(BASE + "?visibility=all"))) == 4
    [(_, call)] = [c for c in client.image_api.calls if c[0] == "get_all"][-1:]
    assert call["filters"]["os_hidden"] is False  # hidden images only when asked


@pytest.mark.parametrize("query", ["visibility=everyone", "status=gone", "limit=x",
                                   "limit=-1", "marker=nope", "protected=maybe",
                                   "sort_key=name", "sort_dir=asc", "tag=x",
                                   "size_min=1", "bad%20key=1"])
def test_list_bad_query_is_400(client, query):
    _fault(client.get(f"{BASE}?{query}"), 400)


def test_list_paging(client):
    first = client.get(BASE + "?limit=2&name=in:cirros,mine,keep,uploading")
    assert _ids(first) == [fakes.PROTECTED_ID, fakes.OWN_PRIVATE_ID]
    assert first.json["first"] == "/v2/images?limit=2&name=in%3Acirros%2Cmine%2Ckeep%2Cuploading"
    assert first.json["next"] == (first.json["first"] + "&marker=" + fakes.OWN_PRIVATE_ID)
    second = client.get("/image" + first.json["next"])
    assert _ids(second) == [fakes.QUEUED_ID, fakes.PUBLIC_ID]
    third = client.get("/image" + second.json["next"])
    assert _ids(third) == [] and "next" not in third.json


def test_list_limit_is_capped(client):
    client.get(BASE + "?limit=100000")
    assert client.image_api.calls[-1][1]["limit"] == 1000
    client.get(BASE)
    assert client.image_api.calls[-1][1]["limit"] == 25


def test_show(client):
    resp = client.get(f"{BASE}/{fakes.PUBLIC_ID}")
    assert resp.status_int == 200
    assert resp.json["name"] == "cirros" and resp.json["hw_disk_bus"] == "virtio"
    assert resp.json["created_at"] == "2026-11-21T05:30:49Z"


@pytest.mark.parametrize("image_id", [fakes.OTHER_PRIVATE_ID, "nope"])
def test_show_other_projects_private_image_is_404(client, image_id):
    assert _fault(client.get(f"{BASE}/{image_id}"), 404) == (
        f"Image {image_id} could not be found.")


# --- update (JSON patch)

def _patch(client, image_id, ops, **kw):
    return client.patch(f"{BASE}/{image_id}", ops, **kw)


def test_patch_properties_and_attributes(client):
    resp = _patch(client, fakes.QUEUED_ID, [
        {"op": "add", "path": "/kernel_id", "value": fakes.PUBLIC_ID},
        {"op": "add", "path": "/ramdisk_id", "value": UUID},
        {"op": "add", "path": "/os_command_line", "value": "console=ttyS0"},
        {"op": "replace", "path": "/name", "value": "renamed"},
        {"op": "replace", "path": "/min_ram", "value": 128},
        {"op": "replace", "path": "/disk_format", "value": "ami"},
        {"op": "add", "path": "/tags", "value": ["x"]},
    ])
    assert resp.status_int == 200, resp.text
    image = resp.json
    assert (image["kernel_id"], image["ramdisk_id"]) == (fakes.PUBLIC_ID, UUID)
    assert image["os_command_line"] == "console=ttyS0"
    assert (image["name"], image["min_ram"], image["disk_format"]) == ("renamed", 128, "ami")
    [(_, call)] = client.image_api.mutating_calls()
    assert call["values"] == {"name": "renamed", "min_ram": 128, "disk_format": "ami",
                              "tags": ["x"]}
    assert call["properties"] == {"kernel_id": fakes.PUBLIC_ID, "ramdisk_id": UUID,
                                  "os_command_line": "console=ttyS0"}


def test_patch_replace_and_remove_custom_property(client):
    image = _patch(client, fakes.PROTECTED_ID, [
        {"op": "add", "path": "/a", "value": "1"},
        {"op": "add", "path": "/b", "value": "2"}]).json
    assert (image["a"], image["b"]) == ("1", "2")
    image = _patch(client, fakes.PROTECTED_ID, [
        {"op": "replace", "path": "/a", "value": "3"},
        {"op": "remove", "path": "/b"}]).json
    assert image["a"] == "3" and "b" not in image
    assert client.image_api.mutating_calls()[-1][1]["remove_properties"] == ["b"]


def test_patch_json_pointer_escapes(client):
    image = _patch(client, fakes.OWN_PRIVATE_ID,
                   [{"op": "add", "path": "/a~1b~0c", "value": "v"}]).json
    assert image["a/b~c"] == "v"


@pytest.mark.parametrize("op", ["replace", "remove"])
def test_patch_missing_property_is_409(client, op):
    change = {"op": op, "path": "/nothing"}
    if op == "replace":
        change["value"] = "x"
    assert _fault(_patch(client, fakes.OWN_PRIVATE_ID, [change]), 409) == (
        "Property nothing does not exist.")
    assert client.image_api.mutating_calls() == []


@pytest.mark.parametrize("ops,code", [
    ([{"op": "replace", "path": "/status", "value": "active"}], 403),
    ([{"op": "replace", "path": "/checksum", "value": "0"}], 403),
    ([{"op": "replace", "path": "/owner", "value": "me"}], 403),
    ([{"op": "replace", "path": "/id", "value": UUID}], 403),
    ([{"op": "add", "path": "/os_glance_x", "value": "1"}], 403),
    ([{"op": "remove", "path": "/name"}], 403),
    ([{"op": "replace", "path": "/disk_format", "value": "raw"}], 403),  # active image
    ([{"op": "replace", "path": "/visibility", "value": "public"}], 403),  # admin only
    ([{"op": "test", "path": "/name", "value": "x"}], 400),
    ([{"op": "add", "path": "/name"}], 400),
    ([{"op": "add", "path": "name", "value": "x"}], 400),
    ([{"op": "add", "path": "/a/b", "value": "x"}], 400),
    ([{"op": "add", "path": "/kernel_id", "value": 1}], 400),
    ([{"op": "replace", "path": "/min_ram", "value": "big"}], 400),
    ([{"op": "replace", "path": "/min_disk", "value": -1}], 400),
    ([{"path": "/name", "value": "x"}], 400),
    ({"op": "add"}, 400),
])
def test_patch_refused(client, ops, code):
    _fault(_patch(client, fakes.OWN_PRIVATE_ID, ops), code)
    assert client.image_api.mutating_calls() == []


def test_patch_bad_disk_format_of_queued_image_is_400(client):
    resp = _patch(client, fakes.QUEUED_ID,
                  [{"op": "replace", "path": "/disk_format", "value": "floppy"}])
    assert "disk_format" in _fault(resp, 400)
    assert client.image_api.mutating_calls() == []


def test_patch_needs_the_patch_media_type(client):
    resp = _patch(client, fakes.OWN_PRIVATE_ID, [], content_type="application/json")
    _fault(resp, 415)
    assert resp.headers["Accept-Patch"] == "application/openstack-images-v2.1-json-patch"


def test_patch_of_another_projects_images(client):
    _fault(_patch(client, fakes.OTHER_PRIVATE_ID,
                  [{"op": "replace", "path": "/name", "value": "x"}]), 404)
    # visible but not owned: 403
    _fault(_patch(client, fakes.PUBLIC_ID,
                  [{"op": "replace", "path": "/name", "value": "x"}]), 403)
    assert client.image_api.mutating_calls() == []


def test_patch_without_change_writes_nothing(client):
    resp = _patch(client, fakes.OWN_PRIVATE_ID,
                  [{"op": "replace", "path": "/name", "value": "mine"}])
    assert resp.status_int == 200 and resp.json["name"] == "mine"
    assert client.image_api.mutating_calls() == []


def test_admin_publicizes(client):
    resp = _patch(client, fakes.OWN_PRIVATE_ID,
                  [{"op": "replace", "path": "/visibility", "value": "public"}],
                  token=fakes.ADMIN_TOKEN)
    assert resp.json["visibility"] == "public"


# --- delete

def test_delete_removes_record_and_bytes(client, store):
    store.add(fakes.OWN_PRIVATE_ID, [b"abc"])
    resp = client.delete(f"{BASE}/{fakes.OWN_PRIVATE_ID}")
    assert resp.status_int == 204 and resp.body == b""
    assert fakes.OWN_PRIVATE_ID not in client.image_api.images
    assert not store.exists(fakes.OWN_PRIVATE_ID)
    _fault(client.get(f"{BASE}/{fakes.OWN_PRIVATE_ID}"), 404)


def test_delete_protected_is_403(client, store):
    store.add(fakes.PROTECTED_ID, [b"abc"])
    assert _fault(client.delete(f"{BASE}/{fakes.PROTECTED_ID}"), 403) == (
        f"Image {fakes.PROTECTED_ID} is protected and cannot be deleted.")
    assert fakes.PROTECTED_ID in client.image_api.images
    assert store.exists(fakes.PROTECTED_ID)


def test_delete_by_non_owner(client):
    _fault(client.delete(f"{BASE}/{fakes.OTHER_PRIVATE_ID}"), 404)
    _fault(client.delete(f"{BASE}/{fakes.PUBLIC_ID}"), 403)
    assert client.image_api.mutating_calls() == []
    assert client.delete(f"{BASE}/{fakes.PUBLIC_ID}", token=fakes.ADMIN_TOKEN).status_int == 204


def test_json_bodies_keep_the_size_limit(client):
    _fault(client.post(BASE, {"name": "x", "big": "y" * 200000}), 413)
    assert client.image_api.mutating_calls() == []


def test_responses_carry_request_ids(client):
    resp = client.get(BASE)
    assert resp.headers["x-openstack-request-id"].startswith("req-")


def test_nova_proxy_lists_the_same_images(client):
    created = client.post(BASE, {"name": "fresh", "disk_format": "raw",
                                 "container_format": "bare"}).json
    glance_ids = _ids(client.get(BASE))
    nova = client.get("/v2.1/images/detail")
    assert nova.status_int == 200
    assert [i["id"] for i in nova.json["images"]] == glance_ids
    fresh = nova.json["images"][0]
    assert (fresh["id"], fresh["status"], fresh["progress"]) == (created["id"], "SAVING", 25)
    assert client.get(f"/v2.1/images/{fakes.OTHER_PRIVATE_ID}").status_int == 404


def test_os_hidden_filter_ignores_case_as_glance_does(client):
    # openstacksdk's image list sends os_hidden=True; protected stays strict.
    assert client.get(BASE + "?os_hidden=True").status_int == 200
    [(_, call)] = [c for c in client.image_api.calls if c[0] == "get_all"][-1:]
    assert call["filters"]["os_hidden"] is True
    assert client.get(BASE + "?os_hidden=FALSE").status_int == 200
    assert client.get(BASE + "?protected=True").status_int == 400
