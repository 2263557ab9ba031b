"""Who may do what under the default policy: Nova's admin / member / reader roles.

The matrix names every registered rule and the personas it lets through,
checked against a resource of project ``demo`` owned by ``alice``. A new
rule fails ``test_every_rule_is_in_the_matrix`` until its defaults are
written down here. The API tests at the end check the other half of the
isolation: another project's resources are not found at all (404, as in
Nova), before any policy is asked.
"""

import pytest

from minova import policies, policy
from minova.context import RequestContext

from . import fakes

TARGET = {"project_id": fakes.PROJECT, "user_id": fakes.USER}

PERSONAS = {
    "admin": RequestContext(user_id="admin", project_id="admin", is_admin=True,
                            roles=["admin", "member", "reader"]),
    "member": RequestContext(user_id=fakes.USER, project_id=fakes.PROJECT,
                             roles=["member", "reader"]),
    "reader": RequestContext(user_id="carol", project_id=fakes.PROJECT, roles=["reader"]),
    "other_member": RequestContext(user_id="bob", project_id=fakes.OTHER_PROJECT,
                                   roles=["member", "reader"]),
    "no_roles": RequestContext(user_id="dave", project_id=fakes.PROJECT, roles=[]),
}

ADMIN = {"admin"}
MEMBER_OR_ADMIN = {"admin", "member"}
READER_OR_ADMIN = {"admin", "member", "reader"}
ANYONE = set(PERSONAS)
# Glance's reads: any reader (the conductor decides which images are visible).
ANY_READER = {"admin", "member", "reader", "other_member"}
# A keypair is its user's (alice is the member persona).
KEYPAIR_OWNER_OR_ADMIN = {"admin", "member"}

EXPECTED = {
    # base rules
    "context_is_admin": ADMIN,
    "project_member_api": {"member"},
    "project_reader_api": {"member", "reader"},
    "project_member_or_admin": MEMBER_OR_ADMIN,
    "project_reader_or_admin": READER_OR_ADMIN,
    "project_manager_api": set(),  # no persona has the manager role
    "project_manager_or_admin": ADMIN,
    "service_api": set(),  # no persona has the service role
    "service_or_admin": ADMIN,
    # the legacy rules: no roles at all, why they are no default any more
    "admin_api": ADMIN,
    "admin_or_owner": {"admin", "member", "reader", "no_roles"},
    # servers
    "os_compute_api:servers:index": READER_OR_ADMIN,
    "os_compute_api:servers:detail": READER_OR_ADMIN,
    "os_compute_api:servers:index:get_all_tenants": ADMIN,
    "os_compute_api:servers:detail:get_all_tenants": ADMIN,
    "os_compute_api:servers:allow_all_filters": ADMIN,
    "os_compute_api:servers:show": READER_OR_ADMIN,
    "os_compute_api:servers:show:flavor-extra-specs": READER_OR_ADMIN,
    "os_compute_api:servers:show:host_status": ADMIN,
    "os_compute_api:servers:create": MEMBER_OR_ADMIN,
    "compute:servers:create:requested_destination": ADMIN,
    "os_compute_api:servers:update": MEMBER_OR_ADMIN,
    "os_compute_api:servers:delete": MEMBER_OR_ADMIN,
    "compute:server:topology:index": READER_OR_ADMIN,
    "compute:server:topology:host:index": ADMIN,
    # server actions
    "os_compute_api:servers:stop": MEMBER_OR_ADMIN,
    "os_compute_api:servers:start": MEMBER_OR_ADMIN,
    "os_compute_api:servers:reboot": MEMBER_OR_ADMIN,
    "os_compute_api:servers:rebuild": MEMBER_OR_ADMIN,
    "os_compute_api:servers:rebuild:trusted_certs": MEMBER_OR_ADMIN,
    "os_compute_api:os-pause-server:pause": MEMBER_OR_ADMIN,
    "os_compute_api:os-pause-server:unpause": MEMBER_OR_ADMIN,
    "os_compute_api:os-suspend-server:suspend": MEMBER_OR_ADMIN,
    "os_compute_api:os-suspend-server:resume": MEMBER_OR_ADMIN,
    "os_compute_api:os-console-output": MEMBER_OR_ADMIN,
    "os_compute_api:os-lock-server:lock": MEMBER_OR_ADMIN,
    "os_compute_api:os-lock-server:unlock": MEMBER_OR_ADMIN,
    "os_compute_api:os-lock-server:unlock:unlock_override": ADMIN,
    "os_compute_api:os-migrate-server:migrate": ADMIN,
    "os_compute_api:os-migrate-server:migrate:host": ADMIN,
    "os_compute_api:servers:resize": MEMBER_OR_ADMIN,
    "os_compute_api:servers:confirm_resize": MEMBER_OR_ADMIN,
    "os_compute_api:servers:revert_resize": MEMBER_OR_ADMIN,
    "os_compute_api:os-admin-actions:reset_state": ADMIN,
    "os_compute_api:os-deferred-delete:restore": MEMBER_OR_ADMIN,
    "os_compute_api:os-deferred-delete:force": MEMBER_OR_ADMIN,
    "os_compute_api:servers:create_image": MEMBER_OR_ADMIN,
    "os_compute_api:os-shelve:shelve": MEMBER_OR_ADMIN,
    "os_compute_api:os-shelve:shelve_offload": ADMIN,
    "os_compute_api:os-shelve:unshelve": MEMBER_OR_ADMIN,
    "os_compute_api:os-shelve:unshelve_to_host": ADMIN,
    "os_compute_api:servers:trigger_crash_dump": MEMBER_OR_ADMIN,
    "os_compute_api:os-rescue": MEMBER_OR_ADMIN,
    "os_compute_api:os-unrescue": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-diagnostics": ADMIN,
    "os_compute_api:os-extended-server-attributes": ADMIN,
    # flavors
    "os_compute_api:os-flavor-manage:create": ADMIN,
    "os_compute_api:os-flavor-manage:delete": ADMIN,
    "os_compute_api:os-flavor-manage:update": ADMIN,
    "os_compute_api:os-flavor-extra-specs:index": READER_OR_ADMIN,
    "os_compute_api:os-flavor-extra-specs:show": READER_OR_ADMIN,
    "os_compute_api:os-flavor-extra-specs:create": ADMIN,
    "os_compute_api:os-flavor-extra-specs:update": ADMIN,
    "os_compute_api:os-flavor-extra-specs:delete": ADMIN,
    "os_compute_api:os-flavor-access": ADMIN,
    "os_compute_api:os-flavor-access:add_tenant_access": ADMIN,
    "os_compute_api:os-flavor-access:remove_tenant_access": ADMIN,
    # hosts and services
    "os_compute_api:os-hypervisors:list": ADMIN,
    "os_compute_api:os-hypervisors:list-detail": ADMIN,
    "os_compute_api:os-hypervisors:show": ADMIN,
    "os_compute_api:os-hypervisors:statistics": ADMIN,
    "os_compute_api:os-hypervisors:uptime": ADMIN,
    "os_compute_api:os-hypervisors:search": ADMIN,
    "os_compute_api:os-hypervisors:servers": ADMIN,
    "os_compute_api:os-hosts:list": ADMIN,
    "os_compute_api:os-hosts:show": ADMIN,
    "os_compute_api:os-hosts:update": ADMIN,
    "os_compute_api:os-hosts:reboot": ADMIN,
    "os_compute_api:os-hosts:shutdown": ADMIN,
    "os_compute_api:os-hosts:start": ADMIN,
    "os_compute_api:os-instance-usage-audit-log:list": ADMIN,
    "os_compute_api:os-instance-usage-audit-log:show": ADMIN,
    "os_compute_api:extensions": ANYONE,
    "os_compute_api:os-migrations:index": ADMIN,  # or the project's managers
    "os_compute_api:os-migrations:index:all_projects": ADMIN,
    "os_compute_api:os-migrations:index:host": ADMIN,
    "os_compute_api:os-quota-class-sets:show": ADMIN,
    "os_compute_api:os-quota-class-sets:update": ADMIN,
    "os_compute_api:os-server-external-events:create": ADMIN,  # or the service role
    "os_compute_api:os-networks:list": READER_OR_ADMIN,
    "os_compute_api:os-networks:show": READER_OR_ADMIN,
    "os_compute_api:os-security-groups:add": MEMBER_OR_ADMIN,
    "os_compute_api:os-security-groups:remove": MEMBER_OR_ADMIN,
    "os_compute_api:os-services:list": ADMIN,
    "os_compute_api:os-services:update": ADMIN,
    "os_compute_api:os-aggregates:index": ADMIN,
    "os_compute_api:os-aggregates:create": ADMIN,
    "os_compute_api:os-aggregates:show": ADMIN,
    "os_compute_api:os-aggregates:update": ADMIN,
    "os_compute_api:os-aggregates:delete": ADMIN,
    "os_compute_api:os-aggregates:add_host": ADMIN,
    "os_compute_api:os-aggregates:remove_host": ADMIN,
    "os_compute_api:os-aggregates:set_metadata": ADMIN,
    "compute:aggregates:images": ADMIN,
    "os_compute_api:os-availability-zone:list": ANYONE,
    "os_compute_api:os-availability-zone:detail": ADMIN,
    # instance actions
    "os_compute_api:os-instance-actions:list": READER_OR_ADMIN,
    "os_compute_api:os-instance-actions:show": READER_OR_ADMIN,
    "os_compute_api:os-instance-actions:events": ADMIN,
    "os_compute_api:os-instance-actions:events:details": ADMIN,
    # server groups
    "os_compute_api:os-server-groups:create": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-groups:delete": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-groups:index": READER_OR_ADMIN,
    "os_compute_api:os-server-groups:index:all_projects": ADMIN,
    "os_compute_api:os-server-groups:show": READER_OR_ADMIN,
    # server metadata and tags
    "os_compute_api:server-metadata:index": READER_OR_ADMIN,
    "os_compute_api:server-metadata:show": READER_OR_ADMIN,
    "os_compute_api:server-metadata:create": MEMBER_OR_ADMIN,
    "os_compute_api:server-metadata:update_all": MEMBER_OR_ADMIN,
    "os_compute_api:server-metadata:update": MEMBER_OR_ADMIN,
    "os_compute_api:server-metadata:delete": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-tags:index": READER_OR_ADMIN,
    "os_compute_api:os-server-tags:show": READER_OR_ADMIN,
    "os_compute_api:os-server-tags:update_all": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-tags:update": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-tags:delete_all": MEMBER_OR_ADMIN,
    "os_compute_api:os-server-tags:delete": MEMBER_OR_ADMIN,
    # keypairs, quotas, limits, usage
    "os_compute_api:os-keypairs:index": KEYPAIR_OWNER_OR_ADMIN,
    "os_compute_api:os-keypairs:create": KEYPAIR_OWNER_OR_ADMIN,
    "os_compute_api:os-keypairs:delete": KEYPAIR_OWNER_OR_ADMIN,
    "os_compute_api:os-keypairs:show": KEYPAIR_OWNER_OR_ADMIN,
    "os_compute_api:os-quota-sets:update": ADMIN,
    "os_compute_api:os-quota-sets:defaults": ANYONE,
    "os_compute_api:os-quota-sets:show": READER_OR_ADMIN,
    "os_compute_api:os-quota-sets:delete": ADMIN,
    "os_compute_api:os-quota-sets:detail": READER_OR_ADMIN,
    "os_compute_api:limits": ANYONE,
    "os_compute_api:limits:other_project": ADMIN,
    "os_compute_api:os-simple-tenant-usage:show": READER_OR_ADMIN,
    "os_compute_api:os-simple-tenant-usage:list": ADMIN,
    # the image service, under Glance's names and (2023.1) defaults
    "add_image": MEMBER_OR_ADMIN,
    "get_image": ANY_READER,
    "get_images": ANY_READER,
    "modify_image": MEMBER_OR_ADMIN,
    "delete_image": MEMBER_OR_ADMIN,
    "upload_image": MEMBER_OR_ADMIN,
    "download_image": ANY_READER,
    "publicize_image": ADMIN,
    "communitize_image": MEMBER_OR_ADMIN,
}


def test_every_rule_is_in_the_matrix():
    registered = {rule.name for rule in policies.list_rules()}
    assert sorted(registered - set(EXPECTED)) == [], (
        "new rules: add each to EXPECTED with the personas Nova's default lets through")
    assert sorted(set(EXPECTED) - registered) == [], "expectations of unknown rules"


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_default_policy_matrix(rule):
    allowed = {name for name, ctxt in PERSONAS.items()
               if policy.authorize(ctxt, rule, dict(TARGET), fatal=False)}
    assert allowed == EXPECTED[rule]


# --- the same through the API (noauth2, roles from X-Roles)

SERVER = fakes.make_instance(1)
SERVER_PATH = f"/v2.1/servers/{SERVER['uuid']}"
READER = {"X-Roles": "reader"}


@pytest.fixture
def api() -> fakes.Client:
    return fakes.Client(fakes.FakeComputeAPI([dict(SERVER)]))


def test_a_reader_sees_a_server_but_cannot_delete_it(api):
    assert api.get(SERVER_PATH, headers=READER).status_int == 200
    assert api.get("/v2.1/servers/detail", headers=READER).status_int == 200
    resp = api.delete(SERVER_PATH, headers=READER)
    assert resp.status_int == 403
    assert "os_compute_api:servers:delete" in resp.json["forbidden"]["message"]
    assert api.compute_api.mutating_calls() == []


def test_a_reader_cannot_create_a_server(api):
    body = {"server": {"name": "vm", "flavorRef": "1", "imageRef": fakes.IMAGE_ID}}
    assert api.post("/v2.1/servers", body, headers=READER).status_int == 403
    assert api.compute_api.mutating_calls() == []


def test_a_member_deletes_its_projects_server(api):
    assert api.delete(SERVER_PATH).status_int == 204
    assert [call[0] for call in api.compute_api.mutating_calls()] == ["delete"]


def test_a_user_without_roles_sees_nothing_of_its_project(api):
    no_roles = {"X-Roles": ""}
    assert api.get("/v2.1/servers", headers=no_roles).status_int == 403
    assert api.get(SERVER_PATH, headers=no_roles).status_int == 403


def test_anyone_lists_flavors_and_availability_zones(api):
    no_roles = {"X-Roles": ""}
    assert api.get("/v2.1/flavors", headers=no_roles).status_int == 200
    assert api.get("/v2.1/os-availability-zone", headers=no_roles).status_int == 200


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_another_projects_server_is_not_found(api, method):
    resp = api.request(method, SERVER_PATH, token=fakes.OTHER_TOKEN)
    assert resp.status_int == 404
    assert api.compute_api.mutating_calls() == []


def test_another_project_does_not_list_the_server(api):
    resp = api.get("/v2.1/servers", token=fakes.OTHER_TOKEN)
    assert resp.json == {"servers": []}


@pytest.mark.parametrize("path", ["/v2.1/os-hypervisors", "/v2.1/os-services",
                                  "/v2.1/os-aggregates", "/v2.1/servers?all_tenants=1"])
def test_a_member_is_refused_admin_apis(api, path):
    assert api.get(path).status_int == 403


def test_an_admin_role_from_x_roles_is_an_admin(api):
    assert api.get("/v2.1/os-hypervisors", token=fakes.OTHER_TOKEN,
                   headers={"X-Roles": "admin"}).status_int == 200
    assert api.get(SERVER_PATH, token=fakes.OTHER_TOKEN,
                   headers={"X-Roles": "admin"}).status_int == 200
