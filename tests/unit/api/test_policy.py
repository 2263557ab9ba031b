"""minova.policy and minova.policies: defaults in code, overridable by a file."""

import pytest
from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from minova import exception, policies, policy
from minova.context import RequestContext

ADMIN = RequestContext(user_id="admin", project_id="admin", is_admin=True, roles=["admin"])
MEMBER = RequestContext(user_id="alice", project_id="demo", is_admin=False)


def test_rules_are_documented_and_unique():
    rules = policies.list_rules()
    names = [rule.name for rule in rules]
    assert len(names) == len(set(names))
    for name in ("context_is_admin", "admin_api", "admin_or_owner",
                 "os_compute_api:servers:create", "os_compute_api:servers:index",
                 "os_compute_api:servers:detail:get_all_tenants",
                 "os_compute_api:os-flavor-manage:create",
                 "os_compute_api:os-flavor-manage:delete",
                 "os_compute_api:os-hypervisors:list", "os_compute_api:os-services:list",
                 "os_compute_api:os-extended-server-attributes",
                 "os_compute_api:os-instance-actions:events"):
        assert name in names
    for rule in rules:
        if rule.name.startswith("os_compute_api:"):
            assert isinstance(rule, oslo_policy.DocumentedRuleDefault)


def test_base_rules():
    checks = {rule.name: rule.check_str for rule in policies.list_rules()}
    assert checks["context_is_admin"] == "role:admin"
    assert checks["admin_api"] == "is_admin:True"
    assert checks["admin_or_owner"] == "is_admin:True or project_id:%(project_id)s"


def test_admin_api():
    assert policy.authorize(ADMIN, "os_compute_api:os-services:list", {})
    with pytest.raises(exception.PolicyNotAuthorized) as info:
        policy.authorize(MEMBER, "os_compute_api:os-services:list", {})
    assert info.value.code == 403
    assert info.value.format_message() == (
        "Policy doesn't allow os_compute_api:os-services:list to be performed.")


def test_admin_or_owner():
    rule = "os_compute_api:servers:show"
    assert policy.authorize(MEMBER, rule, {"project_id": "demo"})
    assert not policy.authorize(MEMBER, rule, {"project_id": "other"}, fatal=False)
    assert policy.authorize(ADMIN, rule, {"project_id": "other"})


def test_unregistered_rule_fails_loudly():
    with pytest.raises(oslo_policy.PolicyNotRegistered):
        policy.authorize(ADMIN, "os_compute_api:no-such-rule", {})


def test_policy_file_overrides_a_default(tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:os-services:list": "@"\n')
    policy.init()  # registers the [oslo_policy] options
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    assert policy.authorize(MEMBER, "os_compute_api:os-services:list", {})


def test_get_enforcer_for_the_cli_tools():
    enforcer = policy.get_enforcer()
    assert "os_compute_api:servers:create" in enforcer.registered_rules
