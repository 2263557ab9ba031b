"""``GET /flavors`` query parsing: filters, sorting with a tiebreaker, paging, links."""

import urllib.parse

import pytest

from .. import fakes

BASE = "/v2.1/flavors"


@pytest.fixture
def many():
    """Flavors 1-4 of the fakes plus three of the same RAM (a sort tie) and a private one."""
    flavors = fakes.FakeFlavorAPI()
    for flavorid, name in (("12", "m2.a"), ("10", "m2.b"), ("11", "m2.c")):
        flavors.flavors[flavorid] = fakes.make_flavor(flavorid, name, 8192, 4, 80)
    return fakes.Client(flavor_api=flavors)


def _ids(resp) -> list[str]:
    assert resp.status_int == 200, resp.json
    return [f["id"] for f in resp.json["flavors"]]


def test_default_order_is_flavorid(many):
    # flavorid is a string: "10" < "11" < "12" < "2"
    assert _ids(many.get(BASE)) == ["1", "10", "11", "12", "2"]


def test_equal_sort_keys_are_ordered_by_id_in_the_same_direction(many):
    assert _ids(many.get(BASE + "?sort_key=memory_mb")) == ["1", "2", "10", "11", "12"]
    assert _ids(many.get(BASE + "?sort_key=memory_mb&sort_dir=desc")) == [
        "12", "11", "10", "2", "1"]


def test_paging_through_ties_sees_every_flavor_once(many):
    seen, url = [], BASE + "?sort_key=memory_mb&sort_dir=desc&limit=2"
    for _ in range(10):
        resp = many.get(url)
        seen += _ids(resp)
        links = resp.json.get("flavors_links")
        if not links:
            break
        assert links[0]["rel"] == "next"
        url = urllib.parse.urlsplit(links[0]["href"])
        url = f"{url.path}?{url.query}"
    assert seen == ["12", "11", "10", "2", "1"]


def test_filters_apply_after_the_marker(many):
    # the marker (flavor 1, 512 MiB) does not pass minRam itself, as in Nova's paging
    assert _ids(many.get(BASE + "?sort_key=memory_mb&minRam=2048&marker=1")) == [
        "2", "10", "11", "12"]
    assert _ids(many.get(BASE + "?minDisk=40&minRam=8192")) == ["10", "11", "12"]


def test_private_marker_is_unknown_to_members(many):
    resp = many.get(BASE + "?marker=3")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "marker [3] not found"
    assert _ids(many.get(BASE + "?marker=3&sort_key=memory_mb",
                         token=fakes.ADMIN_TOKEN)) == ["10", "11", "12"]


@pytest.mark.parametrize("param", ["minRam", "minDisk"])
def test_bad_minimums(many, param):
    resp = many.get(f"{BASE}?{param}=big")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == f"Invalid {param} filter [big]"


def test_members_cannot_choose_is_public(many):
    assert _ids(many.get(BASE + "?is_public=false")) == _ids(many.get(BASE))


@pytest.mark.parametrize("query,message", [
    ("sort_key=extra_specs", "Sort key supplied was not valid."),
    ("sort_dir=up", "Unknown sort direction, must be 'desc' or 'asc'"),
])
def test_bad_sort(many, query, message):
    resp = many.get(f"{BASE}?{query}")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message


def test_detail_links_keep_the_query(many):
    resp = many.get(BASE + "/detail?limit=1&minRam=4096")
    assert _ids(resp) == ["10"]
    href = resp.json["flavors_links"][0]["href"]
    assert href == "http://localhost/v2.1/flavors/detail?limit=1&minRam=4096&marker=10"


def test_full_page_without_limit_has_no_link(many):
    assert "flavors_links" not in many.get(BASE).json
