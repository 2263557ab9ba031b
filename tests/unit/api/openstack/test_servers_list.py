"""``GET /servers`` query parsing: who may filter on what, times, sorting, links."""

import urllib.parse
import uuid

import pytest

from .. import fakes

BASE = "/v2.1/servers"


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def listing():
    return fakes.Client(fakes.FakeComputeAPI([fakes.make_instance(i) for i in range(1, 6)]))


def _call(client) -> dict:
    name, call = client.compute_api.calls[-1]
    assert name == "get_all"
    return call


def _filters(client, query: str, **kwargs) -> dict:
    resp = client.get(f"{BASE}?{query}", **kwargs)
    assert resp.status_int == 200, resp.json
    return _call(client)["filters"]


def _bad(client, query: str, **kwargs) -> str:
    resp = client.get(f"{BASE}?{query}", **kwargs)
    assert resp.status_int == 400
    assert not any(c[0] == "get_all" for c in client.compute_api.calls)
    return resp.json["badRequest"]["message"]


# --- filters and who may use them


def test_user_filters_become_database_filters(listing):
    filters = _filters(listing, "name=^web&image=img-1&flavor=2&reservation_id=r-1")
    assert filters == {"display_name": "^web", "image_ref": "img-1", "flavorid": "2",
                       "reservation_id": "r-1", "project_id": fakes.PROJECT}


@pytest.mark.parametrize("param", ["host", "node", "availability_zone", "key_name",
                                   "vm_state", "user_id", "launched_at", "uuid"])
def test_admin_filters_are_dropped_for_users_and_kept_for_admins(listing, param):
    assert param not in _filters(listing, f"{param}=x")
    assert _filters(listing, f"{param}=x", token=fakes.ADMIN_TOKEN)[param] == "x"


def test_tenant_id_is_project_id_with_all_tenants(listing):
    filters = _filters(listing, "all_tenants=1&tenant_id=other", token=fakes.ADMIN_TOKEN)
    assert filters["project_id"] == "other"


def test_more_user_filters_from_2_83(listing):
    assert "availability_zone" not in _filters(listing, "availability_zone=az",
                                               headers=fakes.microversion("2.82"))
    filters = _filters(listing, "availability_zone=az&key_name=k&host=h",
                       headers=fakes.microversion("2.83"))
    assert filters["availability_zone"] == "az" and filters["key_name"] == "k"
    assert "host" not in filters


def test_paging_and_sorting_are_not_filters(listing):
    filters = _filters(listing, "limit=2&sort_key=uuid&sort_dir=asc", token=fakes.ADMIN_TOKEN)
    assert filters == {"project_id": "admin"}


@pytest.mark.parametrize("param", ["metadata", "system_metadata", "_secret"])
def test_joined_table_filters_are_400_for_admins(listing, param):
    assert _bad(listing, f"{param}=x", token=fakes.ADMIN_TOKEN) == (
        f"Invalid filter field: {param}.")
    # for users they are unknown options, dropped like any other
    assert param not in _filters(listing, f"{param}=x")


@pytest.mark.parametrize("query", ["name=((", "reservation_id=[a", "name="])
def test_bad_regex_is_a_400(listing, query):
    """Nova's 'regex' format, which refuses the empty pattern too."""
    assert "is not a 'regex'" in _bad(listing, query)


def test_regex_not_matchable_in_bounded_time_is_a_400(listing):
    """A backreference is a valid Python regex but has no linear-time match."""
    message = _bad(listing, "name=(a)%5C1")
    assert message.startswith("Invalid input for query parameters name. Value: (a)\\1.")
    assert "bounded time" in message
    assert not any(c[0] == "get_all" for c in listing.compute_api.calls)


@pytest.mark.parametrize("query", ["ip=10.0.0.1", "ip6=::1"])
def test_address_filters_match_nothing(listing, query):
    resp = listing.get(f"{BASE}?{query}", headers=fakes.microversion("2.5"))
    assert resp.json == {"servers": []}
    assert not any(c[0] == "get_all" for c in listing.compute_api.calls)


def test_deleted_filter_for_admins(listing):
    assert _filters(listing, "deleted=true", token=fakes.ADMIN_TOKEN)["deleted"] is True
    assert _filters(listing, "deleted=junk", token=fakes.ADMIN_TOKEN)["deleted"] is False
    assert "deleted" not in _filters(listing, "deleted=true")


def test_deleted_status_lists_deleted_servers_for_admins(listing):
    filters = _filters(listing, "status=DELETED", token=fakes.ADMIN_TOKEN)
    assert filters["vm_state"] == ["deleted"] and filters["deleted"] is True


def test_status_with_a_task_state_is_filtered_in_the_database(listing):
    filters = _filters(listing, "status=REBOOT")
    assert filters["vm_state"] == ["active"] and filters["task_state"] == ["rebooting"]
    assert "task_state" not in _filters(listing, "status=ACTIVE")


# --- changes-since / changes-before


def test_changes_since_is_normalized_to_naive_utc(listing):
    since = urllib.parse.quote("2026-11-21T08:00:00+02:00")
    assert _filters(listing, f"changes-since={since}")["changes-since"] == "2026-11-21T06:00:00"
    assert _filters(listing, "changes-since=2026-11-21")["changes-since"] == (
        "2026-11-21T00:00:00")


@pytest.mark.parametrize("param,version", [("changes-since", "2.1"),
                                           ("changes-before", "2.66")])
def test_bad_time_is_a_400(listing, param, version):
    assert _bad(listing, f"{param}=yesterday", headers=fakes.microversion(version)) == (
        f"Invalid input for query parameters {param}. Value: yesterday. "
        "'yesterday' is not a 'date-time'")


def test_changes_before_from_2_66(listing):
    assert "changes-before" not in _filters(listing, "changes-before=2026-11-21T00:00:00",
                                            headers=fakes.microversion("2.65"))
    assert "changes-before" not in _filters(listing, "changes-before=2026-11-21T00:00:00",
                                            headers=fakes.microversion("2.65"),
                                            token=fakes.ADMIN_TOKEN)
    filters = _filters(listing, "changes-before=2026-11-21T00:00:00",
                       headers=fakes.microversion("2.66"))
    assert filters["changes-before"] == "2026-11-21T00:00:00"


def test_changes_before_earlier_than_since_is_a_400(listing):
    query = "changes-since=2026-11-21T10:00:00&changes-before=2026-11-21T09:00:00"
    assert _bad(listing, query, headers=fakes.microversion("2.66")) == (
        "The value of changes-since must be less than or equal to changes-before.")
    equal = "changes-since=2026-11-21T10:00:00&changes-before=2026-11-21T10:00:00"
    assert _filters(listing, equal, headers=fakes.microversion("2.66"))["changes-before"]


# --- sorting


def _sort(client, query: str, **kwargs) -> tuple[list, list]:
    resp = client.get(f"{BASE}?{query}", **kwargs)
    assert resp.status_int == 200, resp.json
    call = _call(client)
    return call["sort_keys"], call["sort_dirs"]


def test_default_sort_is_newest_first(listing):
    assert _sort(listing, "") == (["created_at"], ["desc"])


def test_several_sort_keys_keep_their_order(listing):
    assert _sort(listing, "sort_key=display_name&sort_dir=asc&sort_key=uuid&sort_dir=desc") \
        == (["display_name", "uuid"], ["asc", "desc"])


def test_ignored_sort_keys_go_with_their_direction(listing):
    assert _sort(listing, "sort_key=id&sort_dir=asc&sort_key=display_name&sort_dir=desc") \
        == (["display_name"], ["desc"])
    assert _sort(listing, "sort_key=vcpus") == ([], [])


def test_nova_sort_key_names_map_to_columns(listing):
    assert _sort(listing, "sort_key=display_description")[0] == ["description"]


@pytest.mark.parametrize("key", ["host", "node"])
def test_host_and_node_sort_for_admins_only(listing, key):
    resp = listing.get(f"{BASE}?sort_key={key}")
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == f"Only administrators can sort servers by {key}"
    assert _sort(listing, f"sort_key={key}", token=fakes.ADMIN_TOKEN)[0] == [key]


@pytest.mark.parametrize("query,message", [
    ("sort_dir=sideways",
     "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'"),
    ("sort_key=uuid&sort_dir=asc&sort_dir=desc",
     "Invalid input received: Sort direction size exceeds sort key size"),
])
def test_bad_sort_directions(listing, query, message):
    assert _bad(listing, query) == message


def test_unknown_sort_key(listing):
    assert _bad(listing, "sort_key=password").startswith(
        "Invalid input for query parameters sort_key. Value: password.")


# --- limit, marker, links


def test_next_link_keeps_every_parameter(listing):
    resp = listing.get(f"{BASE}?limit=2&sort_key=display_name&sort_key=uuid&name=server")
    href = resp.json["servers_links"][0]["href"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert query == {"limit": ["2"], "sort_key": ["display_name", "uuid"],
                     "name": ["server"], "marker": [resp.json["servers"][-1]["id"]]}


def test_next_link_replaces_the_marker(listing):
    first = listing.get(f"{BASE}?limit=2").json
    marker = first["servers"][-1]["id"]
    second = listing.get(f"{BASE}?limit=2&marker={marker}").json
    href = second["servers_links"][0]["href"]
    assert href.count("marker=") == 1
    assert href.endswith(f"marker={second['servers'][-1]['id']}")


def test_no_next_link_on_a_partial_page(listing):
    assert "servers_links" not in listing.get(f"{BASE}?limit=50").json


def test_limit_defaults_to_and_is_capped_at_max_limit(listing):
    listing.get(BASE)
    assert _call(listing)["limit"] == 1000
    listing.get(f"{BASE}?limit=5000")
    assert _call(listing)["limit"] == 1000


def test_unknown_marker(listing):
    marker = str(uuid.uuid4())
    resp = listing.get(f"{BASE}/detail?marker={marker}")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == f"marker [{marker}] not found"
