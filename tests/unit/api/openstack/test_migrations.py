"""``/os-migrations``: minova records no migration yet; the query is Nova's."""

import pytest

from minova.api import api_version_request as av
from minova.api.views import migrations as migrations_view
from minova.compute import migration_api

from .. import fakes

BASE = "/v2.1/os-migrations"

def _get(client, query: str = "", version: str = "2.1", token: str = fakes.ADMIN_TOKEN):
    return client.get(BASE + query, token=token, headers=fakes.microversion(version))


@pytest.mark.parametrize("version", ["2.1", "2.23", "2.59", "2.80"])
def test_empty_list_at_every_version(client, latest, version):
    resp = _get(client, version=version)
    assert resp.status_int == 200
    assert resp.json == {"migrations": []}


def test_filters_before_2_59_are_anything(client):
    resp = _get(client, "?status=done&host=h&whatever=1&changes-since=bad")
    assert resp.status_int == 200


@pytest.mark.parametrize("query, version", [
    ("?whatever=1", "2.59"),
    ("?limit=-1", "2.59"),
    ("?limit=a", "2.59"),
    ("?changes-since=yesterday", "2.59"),
    ("?changes-before=2026-01-01T00:00:00Z", "2.65"),
    ("?changes-since=2026-02-01T00:00:00Z&changes-before=2026-01-01T00:00:00Z", "2.66"),
    ("?user_id=u", "2.79"),
    ("?limit=1&limit=2", "2.59"),
])
def test_bad_queries_from_2_59_are_400(client, latest, query, version):
    resp = _get(client, query, version)
    assert resp.status_int == 400
    assert "badRequest" in resp.json


def test_a_marker_is_unknown(client, latest):
    resp = _get(client, "?marker=00000000-0000-0000-0000-000000000001", "2.59")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "Marker 00000000-0000-0000-0000-000000000001 could not be found.")


def test_good_queries_at_2_80(client, latest):
    resp = _get(client, "?limit=5&changes-since=2026-01-01T00:00:00Z&changes-before="
                "2026-02-01T00:00:00Z&user_id=u&project_id=p&status=done", "2.80")
    assert resp.status_int == 200 and resp.json == {"migrations": []}


def test_members_are_refused(client):
    resp = _get(client, token=fakes.USER_TOKEN)
    assert resp.status_int == 403


def test_views_at_each_version(latest):
    """What a recorded migration will look like (the view is ready for them)."""
    class _Req:
        def __init__(self, version):
            self.version = version

        def is_microversion(self, min_version, max_version=None):
            return av.APIVersionRequest(self.version).matches(min_version, max_version)

    migration = {"id": 7, "uuid": "00000000-0000-0000-0000-000000000007",
                 "instance_uuid": "00000000-0000-0000-0000-000000000001",
                 "source_compute": "c1", "source_node": "c1", "dest_compute": "c2",
                 "dest_node": "c2", "dest_host": "192.0.2.2", "old_instance_type_id": 1,
                 "new_instance_type_id": 2, "status": "finished",
                 "migration_type": "resize", "created_at": "2026-01-01T00:00:00",
                 "updated_at": None, "user_id": "u", "project_id": "p"}
    view = migrations_view.show(_Req("2.1"), migration, show_hosts=False)
    assert view["source_compute"] is None and "migration_type" not in view
    view = migrations_view.show(_Req("2.80"), migration, show_hosts=True)
    assert (view["source_compute"], view["migration_type"], view["uuid"],
            view["user_id"]) == ("c1", "resize", migration["uuid"], "u")


def test_the_facade_has_none():
    api = migration_api.MigrationAPI(None)
    assert api.get_migrations(None, {}) == []
