"""Server metadata, rename, description and tags through HTTP on the multi-process
deployment (MariaDB); the database is checked as well as the answers.

The description (2.19) and tags (2.26, at create 2.52) need the deployment
to advertise those microversions: the versioned test speaks 2.53 (or the
advertised maximum, if lower) and FAILS, never skips, when the maximum is
below 2.26, so CI cannot pass without having run it.
"""

import json

from minova.api.api_version_request import APIVersionRequest

NEEDED = APIVersionRequest("2.26")
WANTED = APIVersionRequest("2.53")


def _put(api, path, body=None, headers=None):
    return api.request("PUT", path, body=body, headers=headers)


def _instance_row(deployment, server_id):
    (row,) = deployment.query(
        "SELECT display_name, description, metadata FROM instances WHERE uuid = :u",
        u=server_id)
    metadata = row.metadata if isinstance(row.metadata, dict) else json.loads(row.metadata)
    return row.display_name, row.description, metadata


def _tag_rows(deployment, server_id):
    return sorted(r.tag for r in deployment.query(
        "SELECT tag FROM tags WHERE resource_id = :u", u=server_id))


def test_metadata_and_rename(shared_mysql):
    deployment = shared_mysql
    alice = deployment.api.as_user("alice:projM")
    server_id = alice.create_server("meta")
    assert alice.wait_for_status(server_id)["status"] == "ACTIVE"
    url = f"/v2.1/servers/{server_id}/metadata"

    status, body, _ = alice.post(url, {"metadata": {"a": "1", "b": "2"}})
    assert (status, body) == (200, {"metadata": {"a": "1", "b": "2"}})
    status, body, _ = _put(alice, url + "/b", {"meta": {"b": "3"}})
    assert (status, body) == (200, {"meta": {"b": "3"}})
    assert alice.get(url)[1] == {"metadata": {"a": "1", "b": "3"}}
    assert alice.get(url + "/a")[1] == {"meta": {"a": "1"}}
    status, body, _ = _put(alice, url, {"metadata": {"c": "4"}})
    assert (status, body) == (200, {"metadata": {"c": "4"}})
    assert alice.server(server_id)["metadata"] == {"c": "4"}
    assert alice.delete(url + "/c")[0] == 204
    assert alice.get(url + "/c")[0] == 404
    assert alice.post(url, {"metadata": {"keep": "me"}})[0] == 200

    status, body, _ = _put(alice, f"/v2.1/servers/{server_id}",
                           {"server": {"name": "renamed"}})
    assert status == 200 and body["server"]["name"] == "renamed"
    names = [s["name"] for s in alice.get("/v2.1/servers")[1]["servers"]]
    assert names == ["renamed"]

    # Bad input: 400, nothing written.
    before = _instance_row(deployment, server_id)
    assert alice.post(url, {"metadata": {"k": 1}})[0] == 400
    assert _put(alice, url + "/x", {"meta": {"y": "1"}})[0] == 400
    assert _put(alice, f"/v2.1/servers/{server_id}", {"server": {"name": ""}})[0] == 400
    assert _instance_row(deployment, server_id) == before

    # Another project: 404 everywhere, nothing changes.
    bob = deployment.api.as_user("bob:projOther")
    for method, path, payload in (
            ("GET", url, None), ("GET", url + "/keep", None),
            ("POST", url, {"metadata": {"x": "y"}}), ("PUT", url, {"metadata": {}}),
            ("PUT", url + "/keep", {"meta": {"keep": "no"}}), ("DELETE", url + "/keep", None),
            ("PUT", f"/v2.1/servers/{server_id}", {"server": {"name": "bobs"}})):
        status, body, _ = bob.request(method, path, body=payload)
        assert status == 404 and "itemNotFound" in body, (method, path, status, body)
    assert _instance_row(deployment, server_id) == ("renamed", "meta", {"keep": "me"})

    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    alice.wait_for_gone(server_id)


def test_description_and_tags(shared_mysql):
    deployment = shared_mysql
    advertised = APIVersionRequest(deployment.api.get("/v2.1/")[1]["version"]["version"])
    assert advertised >= NEEDED, (
        f"the deployment advertises compute {advertised}: server tags (2.26) and "
        f"descriptions (2.19) cannot be tested below 2.26")
    version = min(advertised, WANTED)
    vh = {"OpenStack-API-Version": f"compute {version}"}
    carol = deployment.api.as_user("carol:projT")

    server = {"name": "tagged", "flavorRef": "1",
              "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "description": "front"}
    if version >= APIVersionRequest("2.37"):
        server["networks"] = "none"
    if version >= APIVersionRequest("2.52"):
        server["tags"] = ["web", "blue"]
    status, body, _ = carol.post("/v2.1/servers", {"server": server}, headers=vh)
    assert status == 202, body
    first = body["server"]["id"]
    assert carol.wait_for_status(first)["status"] == "ACTIVE"
    shown = carol.get(f"/v2.1/servers/{first}", headers=vh)[1]["server"]
    assert shown["description"] == "front"
    expected = ["blue", "web"] if version >= APIVersionRequest("2.52") else []
    assert shown["tags"] == expected and _tag_rows(deployment, first) == expected

    status, body, _ = _put(carol, f"/v2.1/servers/{first}",
                           {"server": {"description": "back"}}, headers=vh)
    assert status == 200 and body["server"]["description"] == "back"
    assert _instance_row(deployment, first)[1] == "back"

    tags = f"/v2.1/servers/{first}/tags"
    status, _, headers = _put(carol, tags + "/green", headers=vh)
    assert status == 201 and headers["location"].endswith(f"/servers/{first}/tags/green")
    assert _put(carol, tags + "/green", headers=vh)[0] == 204
    assert carol.get(tags + "/green", headers=vh)[0] == 204
    assert carol.get(tags + "/nope", headers=vh)[0] == 404
    status, body, _ = _put(carol, tags, {"tags": ["a", "b"]}, headers=vh)
    assert (status, body) == (200, {"tags": ["a", "b"]})
    assert carol.get(tags, headers=vh)[1] == {"tags": ["a", "b"]}
    assert _put(carol, tags + "/bad,tag", headers=vh)[0] == 400
    assert _put(carol, tags, {"tags": ["x" * 61]}, headers=vh)[0] == 400
    assert _tag_rows(deployment, first) == ["a", "b"]

    second = carol.create_server("second")
    assert carol.wait_for_status(second)["status"] == "ACTIVE"
    assert _put(carol, f"/v2.1/servers/{second}/tags", {"tags": ["b", "c"]},
                headers=vh)[0] == 200

    def listed(query, user=carol):
        servers = user.get(f"/v2.1/servers?{query}", headers=vh)[1]["servers"]
        return {s["id"] for s in servers}

    assert listed("tags=a,b") == {first}
    assert listed("tags=b") == {first, second}
    assert listed("tags-any=a,c") == {first, second}
    assert listed("not-tags=b,c") == {first}
    assert listed("not-tags-any=a") == {second}
    detail = carol.get("/v2.1/servers/detail?tags-any=c", headers=vh)[1]["servers"]
    assert [(s["id"], s["tags"]) for s in detail] == [(second, ["b", "c"])]

    # Another project: 404, its filters see nothing of carol's, nothing changes.
    bob = deployment.api.as_user("bob:projOther")
    for method, path, payload in (("GET", tags, None), ("GET", tags + "/a", None),
                                  ("PUT", tags, {"tags": []}), ("PUT", tags + "/z", None),
                                  ("DELETE", tags + "/a", None), ("DELETE", tags, None)):
        status, body, _ = bob.request(method, path, body=payload, headers=vh)
        assert status == 404 and "itemNotFound" in body, (method, path, status, body)
    assert listed("tags=b", user=bob) == set()
    assert _tag_rows(deployment, first) == ["a", "b"]

    # Below 2.26 the tags API does not exist.
    assert carol.get(tags, headers={"OpenStack-API-Version": "compute 2.25"})[0] == 404

    assert carol.delete(tags + "/a", headers=vh)[0] == 204
    assert carol.delete(tags + "/a", headers=vh)[0] == 404
    assert carol.delete(tags, headers=vh)[0] == 204
    assert carol.get(tags, headers=vh)[1] == {"tags": []}
    assert _tag_rows(deployment, first) == []

    # A deleted server's tags go with it.
    assert carol.delete(f"/v2.1/servers/{second}")[0] == 204
    carol.wait_for_gone(second)
    assert _tag_rows(deployment, second) == []
    assert carol.delete(f"/v2.1/servers/{first}")[0] == 204
    carol.wait_for_gone(first)
