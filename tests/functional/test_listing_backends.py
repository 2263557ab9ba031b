"""The server list query on the real MariaDB and PostgreSQL servers.

The same scenarios as the SQLite unit tests (tests/unit/db/test_instances_list.py):
the name regex (matched by minova with each backend's semantics), changes-since with
deleted servers, NULL ordering and marker paging on several sort keys.
"""

import pytest

from minova.db import engine, instances, migration
from tests.functional.deployment import Database
from tests.unit.db import test_instances_list as listing
from tests.unit.db.helpers import make_instance


@pytest.fixture(scope="module", params=["mysql", "postgresql"])
def real_db(request, tmp_path_factory):
    """One database per backend for the module: each scenario has its own project."""
    database = Database(request.param, tmp_path_factory.mktemp(request.param))
    database.create()
    db_engine = engine.create_engine(database.url)
    migration.db_sync(db_engine)
    engine.set_engine(db_engine)
    yield request.param
    engine.set_engine(None)
    database.drop()


@pytest.mark.parametrize("scenario", listing.SCENARIOS,
                         ids=lambda s: s.__name__[len("check_"):])
def test_scenario(real_db, ctxt_factory, scenario):
    scenario(ctxt_factory)


def test_mysql_escapes_the_bar_as_nova(real_db, ctxt_factory):
    """Nova's _safe_regex_mysql: on MySQL ``|`` is a literal bar, elsewhere an alternation."""
    ctxt = ctxt_factory(project="bars-" + real_db)
    for name in ("web", "db", "web|db"):
        make_instance(ctxt, name=name)
    found = sorted(i["display_name"] for i in instances.get_all(ctxt, {"display_name": "^web|db$"}))
    assert found == (["web|db"] if real_db == "mysql" else ["db", "web", "web|db"])


def test_pattern_without_a_linear_time_match_is_invalid_input(real_db, ctxt_factory):
    """Matched by minova, not the server: a backreference is a 400 on every backend."""
    from minova import exception

    ctxt = ctxt_factory(project="bad-" + real_db)
    make_instance(ctxt, name="xx")
    with pytest.raises(exception.InvalidInput):
        instances.get_all(ctxt, {"display_name": r"(x)\1"})


def test_mysql_ignores_case_as_its_collation(real_db, ctxt_factory):
    """MariaDB's REGEXP under the tables' _ci collation; PostgreSQL's ``~`` does not."""
    ctxt = ctxt_factory(project="case-" + real_db)
    make_instance(ctxt, name="Web-1")
    found = [i["display_name"] for i in instances.get_all(ctxt, {"display_name": "^web"})]
    assert found == (["Web-1"] if real_db == "mysql" else [])


@pytest.mark.parametrize("backend", ["mysql", "postgresql"])
def test_paging_through_the_api(deploy, backend):
    """Seven servers, three a page: following servers_links gives each once, newest first.

    Then the filters a client polls with: name as a regex, and changes-since
    that also answers the server deleted meanwhile.
    """
    from urllib.parse import urlsplit

    deployment = deploy(backend=backend, computes=("compute1",))
    alice = deployment.api.as_user("alice:projL")
    deployment.api.as_user("bob:projOther").create_server("not-alices")
    ids = [alice.create_server(f"vm-{i}") for i in range(7)]
    newest_first = [row.uuid for row in deployment.query(
        "SELECT uuid FROM instances WHERE project_id = 'projL' "
        "ORDER BY created_at DESC, id DESC")]
    assert sorted(newest_first) == sorted(ids)

    seen, path, pages = [], "/v2.1/servers?limit=3", 0
    while path:
        status, body, _ = alice.get(path)
        assert status == 200, body
        pages += 1
        seen += [s["id"] for s in body["servers"]]
        links = body.get("servers_links")
        if links:
            assert len(body["servers"]) == 3 and links[0]["rel"] == "next"
            href = urlsplit(links[0]["href"])
            path = f"{href.path}?{href.query}"
        else:
            path = None
    assert seen == newest_first
    assert pages == 3  # 3 + 3 + 1

    status, body, _ = alice.get("/v2.1/servers/detail?limit=3&sort_key=display_name&sort_dir=asc")
    assert [s["name"] for s in body["servers"]] == ["vm-0", "vm-1", "vm-2"]
    assert "sort_key=display_name" in body["servers_links"][0]["href"]

    status, body, _ = alice.get("/v2.1/servers?name=^vm-[35]$")
    assert sorted(s["name"] for s in body["servers"]) == ["vm-3", "vm-5"]

    (now,) = deployment.query("SELECT MAX(updated_at) AS newest FROM instances")
    since = now.newest.isoformat()
    gone = ids[2]
    alice.wait_for_status(gone)
    assert alice.delete(f"/v2.1/servers/{gone}")[0] == 204
    alice.wait_for_gone(gone)
    status, body, _ = alice.get(f"/v2.1/servers/detail?changes-since={since}")
    statuses = {s["id"]: s["status"] for s in body["servers"]}
    assert statuses[gone] == "DELETED"
    assert gone not in [s["id"] for s in alice.get("/v2.1/servers")[1]["servers"]]
    status, body, _ = alice.get("/v2.1/servers?changes-since=not-a-time")
    assert status == 400
